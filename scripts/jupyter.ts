/**
 * Where Jupyter is and how the project's kernel is registered: a project-local tslab kernelspec
 * under build/jupyter, found through JUPYTER_PATH, so the user's own Jupyter setup is not touched.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

/** The repository root (this file runs from dist/scripts/). */
export const ROOT = path.resolve(__dirname, "..", "..");
export const NOTEBOOK_DIR = path.join(ROOT, "notebooks");
export const JUPYTER_DATA_DIR = path.join(ROOT, "build", "jupyter");
export const KERNEL_NAME = "fragility-tslab";
/** Overrides the search for a Python that has Jupyter (nbclient and nbconvert). */
export const PYTHON_ENV = "FRAGILITY_PYTHON";

export const INSTALL_HELP = `Jupyter (nbclient and nbconvert) was not found for any Python interpreter.
Install it in one of these ways, then run the command again:
  - Debian or Ubuntu, as root or with sudo:
      apt-get update && apt-get install -y jupyter-notebook jupyter-nbconvert python3-nbclient
  - conda (any system): conda env create -f environment.yml && conda activate adversarial-fragility
  - an interpreter of your own that has Jupyter: export ${PYTHON_ENV}=/path/to/python`;

function hasJupyter(python: string): boolean {
  const r = spawnSync(python, ["-c", "import nbclient, nbconvert, nbformat"], { stdio: "ignore" });
  return r.status === 0;
}

/** A Python interpreter that can import nbclient, nbconvert and nbformat, or null. */
export function findJupyterPython(): string | null {
  const requested = process.env[PYTHON_ENV];
  if (requested) return hasJupyter(requested) ? requested : null;
  // Debian's Jupyter runs on /usr/bin/python3; the python3 first on PATH may be another interpreter.
  for (const candidate of ["/usr/bin/python3", "python3", "python"]) {
    if (hasJupyter(candidate)) return candidate;
  }
  return null;
}

/** Writes (or refreshes) the kernelspec that runs this project's own tslab with this Node. */
export function ensureKernelSpec(): string {
  const dir = path.join(JUPYTER_DATA_DIR, "kernels", KERNEL_NAME);
  const tslab = path.join(ROOT, "node_modules", "tslab", "bin", "tslab");
  if (!fs.existsSync(tslab))
    throw new Error(`tslab is not installed at ${tslab}: run npm ci first`);
  const spec = {
    argv: [process.execPath, tslab, "kernel", "--config-path", "{connection_file}"],
    display_name: "TypeScript (adversarial fragility, tslab)",
    language: "typescript",
  };
  const file = path.join(dir, "kernel.json");
  const text = JSON.stringify(spec, null, 2) + "\n";
  if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== text) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(file, text);
  }
  return file;
}

/** The environment for Jupyter processes: the project's kernelspec first on JUPYTER_PATH. */
export function jupyterEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const prior = process.env.JUPYTER_PATH;
  return {
    ...process.env,
    JUPYTER_PATH: prior ? `${JUPYTER_DATA_DIR}${path.delimiter}${prior}` : JUPYTER_DATA_DIR,
    ...extra,
  };
}

/** CLI: `node dist/scripts/jupyter.js kernel` registers the kernelspec and prints where. */
if (require.main === module) {
  const python = findJupyterPython();
  if (!python) {
    console.error(INSTALL_HELP);
    process.exit(1);
  }
  console.log(`Jupyter: ${python}`);
  console.log(`kernelspec: ${ensureKernelSpec()} (found through JUPYTER_PATH=${JUPYTER_DATA_DIR})`);
}
