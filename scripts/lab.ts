/**
 * npm run lab [-- jupyter options]: opens the notebooks interactively with the project's kernel,
 * while `tsc --watch` rebuilds the library on every change (re-run the import cell, or restart
 * the kernel, to pick up a rebuilt module). JupyterLab is used when installed, else the classic
 * notebook server (Debian's jupyter-notebook).
 */
import { spawn, spawnSync } from "child_process";
import * as path from "path";
import {
  ensureKernelSpec,
  findJupyterPython,
  INSTALL_HELP,
  jupyterEnv,
  NOTEBOOK_DIR,
  ROOT,
} from "./jupyter";

const USAGE = `usage: npm run lab [-- jupyter options]
  opens notebooks/ in Jupyter (JupyterLab when installed, else the classic notebook) with the
  project's kernel, while tsc --watch rebuilds the library; other options go to Jupyter
  --help  this text`;
if (process.argv.slice(2).some((a) => a === "--help" || a === "-h")) {
  console.log(USAGE);
  process.exit(0);
}
const python = findJupyterPython();
if (!python) {
  console.error(INSTALL_HELP);
  process.exit(1);
}
ensureKernelSpec();
const tsc = spawn(
  process.execPath,
  [
    path.join(ROOT, "node_modules", "typescript", "bin", "tsc"),
    "-p",
    ROOT,
    "--watch",
    "--preserveWatchOutput",
  ],
  { stdio: "inherit" },
);
const hasLab = spawnSync(python, ["-c", "import jupyterlab"], { stdio: "ignore" }).status === 0;
const app = hasLab ? "jupyterlab" : "notebook";
// Jupyter refuses to run as root without --allow-root (containers and CI machines often are root).
const rootFlag =
  typeof process.getuid === "function" && process.getuid() === 0 ? ["--allow-root"] : [];
const jupyter = spawn(
  python,
  ["-m", app, `--notebook-dir=${NOTEBOOK_DIR}`, ...rootFlag, ...process.argv.slice(2)],
  { stdio: "inherit", env: jupyterEnv() },
);
const stop = () => {
  tsc.kill();
  jupyter.kill();
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
jupyter.on("exit", (code) => {
  tsc.kill();
  process.exit(code ?? 0);
});
