/**
 * Opt-in: the project's kernel where researchers already work (VS Code's Jupyter extension, a
 * JupyterLab or Notebook they run themselves), which do not see the project-local kernelspec that
 * the runner finds through JUPYTER_PATH.
 *
 *   npm run kernel:install   [-- --user | --sys-prefix | --prefix DIR]
 *   npm run kernel:uninstall [-- --user | --sys-prefix | --prefix DIR]
 *
 * Default: inside an activated conda environment or virtualenv (CONDA_PREFIX, VIRTUAL_ENV), that
 * environment's prefix (what `--sys-prefix` means to its Python); otherwise the user's Jupyter
 * data directory (`--user`). The kernel keeps the project's name (fragility-tslab) and runs this
 * checkout's tslab with the Node that ran the command (its absolute path: the pinned Node stays
 * pinned). Installed and removed with jupyter_client's kernelspec application
 * (`python -m jupyter_client.kernelspecapp`: Debian's Jupyter has no `jupyter kernelspec`).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { HelpRequested, parseCommandLine, runCli, UsageError } from "./cli";
import { findJupyterPython, INSTALL_HELP, KERNEL_NAME, ROOT } from "./jupyter";

export type Target = { kind: "user" } | { kind: "prefix"; prefix: string; why: string };

/** What the kernel runs: this checkout's tslab, with this Node. */
export function kernelSpec(): Record<string, unknown> {
  const tslab = path.join(ROOT, "node_modules", "tslab", "bin", "tslab");
  if (!fs.existsSync(tslab))
    throw new Error(`tslab is not installed at ${tslab}: run npm ci first`);
  return {
    argv: [process.execPath, tslab, "kernel", "--config-path", "{connection_file}"],
    display_name: "TypeScript (adversarial fragility, tslab)",
    language: "typescript",
    metadata: { fragility: { node: process.version } },
  };
}

function canRun(python: string): boolean {
  return (
    spawnSync(python, ["-c", "import jupyter_client, jupyter_core"], { stdio: "ignore" }).status ===
    0
  );
}

/** The active environment's prefix (conda first, then virtualenv), if any. */
export function activeEnvironment(env = process.env): { prefix: string; why: string } | null {
  if (env.CONDA_PREFIX) return { prefix: env.CONDA_PREFIX, why: "the active conda environment" };
  if (env.VIRTUAL_ENV) return { prefix: env.VIRTUAL_ENV, why: "the active virtualenv" };
  return null;
}

/**
 * The Python that runs jupyter_client: the active environment's when it has Jupyter (inside an
 * environment, its Python comes before the system's), else the project's usual search.
 */
export function kernelPython(env = process.env): string | null {
  const active = activeEnvironment(env);
  if (active) {
    const py = path.join(active.prefix, "bin", "python");
    if (fs.existsSync(py) && canRun(py)) return py;
  }
  const found = findJupyterPython();
  return found && canRun(found) ? found : null;
}

const USAGE = `usage: npm run kernel:install [-- --user | --sys-prefix | --prefix DIR]
       npm run kernel:uninstall [-- --user | --sys-prefix | --prefix DIR]
  registers (removes) the project's kernel where VS Code and your own Jupyter look
  (default: the active conda environment or virtualenv, else your user's Jupyter folder)
  --user        your user's Jupyter folder
  --sys-prefix  the active conda environment or virtualenv
  --prefix DIR  DIR/share/jupyter/kernels
  --help        this text`;

export function parseTarget(argv: string[], env = process.env): Target {
  const { values } = parseCommandLine("kernel", USAGE, argv, {
    user: { type: "boolean" },
    "sys-prefix": { type: "boolean" },
    prefix: { type: "string" },
  });
  const chosen = [values.user, values["sys-prefix"], values.prefix !== undefined].filter(Boolean);
  if (chosen.length > 1)
    throw new UsageError("kernel: give one of --user, --sys-prefix and --prefix, not several");
  if (values.user) return { kind: "user" };
  if (values["sys-prefix"]) {
    const active = activeEnvironment(env);
    if (!active)
      throw new UsageError(
        "--sys-prefix: no conda environment or virtualenv is active (CONDA_PREFIX, VIRTUAL_ENV)",
      );
    return { kind: "prefix", ...active };
  }
  if (values.prefix !== undefined)
    return { kind: "prefix", prefix: path.resolve(values.prefix), why: "--prefix" };
  const active = activeEnvironment(env);
  return active ? { kind: "prefix", ...active } : { kind: "user" };
}

function run(python: string, args: string[], env: NodeJS.ProcessEnv): string {
  const r = spawnSync(python, ["-m", "jupyter_client.kernelspecapp", ...args], {
    encoding: "utf8",
    env: { ...env, PYDEVD_DISABLE_FILE_VALIDATION: "1" },
  });
  if (r.status !== 0)
    throw new Error(
      `${python} -m jupyter_client.kernelspecapp ${args.join(" ")} failed:\n${r.stderr}`,
    );
  return r.stdout + r.stderr;
}

/** The folder the kernelspec goes to for a target. */
export function kernelDir(python: string, target: Target): string {
  if (target.kind === "prefix")
    return path.join(target.prefix, "share", "jupyter", "kernels", KERNEL_NAME);
  const r = spawnSync(
    python,
    ["-c", "from jupyter_core.paths import jupyter_data_dir; print(jupyter_data_dir())"],
    { encoding: "utf8" },
  );
  if (r.status !== 0)
    throw new Error(`cannot ask ${python} for Jupyter's data folder:\n${r.stderr}`);
  return path.join(r.stdout.trim(), "kernels", KERNEL_NAME);
}

export function install(target: Target, python: string): string {
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), "fragility-kernel-"));
  try {
    const src = path.join(staging, KERNEL_NAME);
    fs.mkdirSync(src);
    fs.writeFileSync(path.join(src, "kernel.json"), JSON.stringify(kernelSpec(), null, 2) + "\n");
    const where = target.kind === "user" ? ["--user"] : [`--prefix=${target.prefix}`];
    run(python, ["install", src, `--name=${KERNEL_NAME}`, "--replace", ...where], process.env);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return kernelDir(python, target);
}

/** Removes the kernelspec of this target (and only that one: it is put first on JUPYTER_PATH). */
export function uninstall(target: Target, python: string): string | null {
  const dir = kernelDir(python, target);
  if (!fs.existsSync(path.join(dir, "kernel.json"))) return null;
  const kernels = path.dirname(path.dirname(dir));
  const prior = process.env.JUPYTER_PATH;
  run(python, ["remove", KERNEL_NAME, "-f"], {
    ...process.env,
    JUPYTER_PATH: prior ? `${kernels}${path.delimiter}${prior}` : kernels,
  });
  if (fs.existsSync(dir)) fs.rmSync(dir, { recursive: true, force: true });
  return dir;
}

function main(argv: string[]): number {
  const [command, ...rest] = argv;
  if (command === "--help" || command === "-h") throw new HelpRequested(USAGE);
  if (command !== "install" && command !== "uninstall")
    throw new UsageError(
      `kernel: the first argument is install or uninstall, got ${JSON.stringify(command ?? "")}\n${USAGE}`,
    );
  const target = parseTarget(rest);
  const python = kernelPython();
  if (!python) {
    console.error(`jupyter_client was not found for any Python interpreter.\n${INSTALL_HELP}`);
    return 1;
  }
  const where =
    target.kind === "user" ? "the user's Jupyter folder" : `${target.prefix} (${target.why})`;
  if (command === "install") {
    const dir = install(target, python);
    console.log(`installed kernel ${KERNEL_NAME} into ${where}: ${dir}`);
    console.log(
      `  Node ${process.version} (${process.execPath}); check with: ${python} -m jupyter_client.kernelspecapp list`,
    );
  } else {
    const dir = uninstall(target, python);
    console.log(
      dir ? `removed kernel ${KERNEL_NAME} from ${dir}` : `no kernel ${KERNEL_NAME} in ${where}`,
    );
  }
  return 0;
}

if (require.main === module) runCli(() => main(process.argv.slice(2)));
