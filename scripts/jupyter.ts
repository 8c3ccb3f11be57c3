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

export const INSTALL_HELP = `Jupyter (nbclient and nbconvert) was not found for any Python interpreter
(tried: the activated virtualenv or conda environment, /usr/bin/python3, python3, python).
Install it in one of these ways, then run the command again:
  - Debian or Ubuntu, as root or with sudo:
      apt-get update && apt-get install -y jupyter-notebook jupyter-nbconvert python3-nbclient
  - conda (any system): conda env create -f environment.yml && conda activate adversarial-fragility
  - an interpreter of your own that has Jupyter: export ${PYTHON_ENV}=/path/to/python`;

/** What `probePython` prints when the interpreter imports Jupyter: anything else is not one. */
const PROBE_MARK = "fragility-jupyter-ok";

/**
 * Whether `python` is a Python interpreter that imports nbclient, nbconvert and nbformat: null when
 * it is, else why not (no such file, not executable, an import error, or a program that is not
 * Python: it must print the probe's mark, so /bin/true does not pass).
 */
export function probePython(python: string): string | null {
  const r = spawnSync(
    python,
    ["-c", `import nbclient, nbconvert, nbformat; print("${PROBE_MARK}")`],
    { encoding: "utf8", timeout: 120_000 },
  );
  const code = (r.error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT") return python.includes("/") ? "no such file" : "no such command on PATH";
  if (code === "EACCES") return "not executable";
  if (r.error) return `cannot run it (${r.error.message})`;
  if (r.status !== 0) {
    const last = (r.stderr || "").trim().split("\n").pop() || `exit status ${r.status}`;
    return `it cannot import nbclient, nbconvert and nbformat (${last})`;
  }
  const printed = (r.stdout || "").trim();
  if (!printed.includes(PROBE_MARK))
    return `it is not a Python interpreter: \`${python} -c "import nbclient, …; print(…)"\` exited 0 and printed ${printed ? JSON.stringify(printed.slice(0, 80)) : "nothing"}`;
  return null;
}

export interface PythonChoice {
  /** The interpreter that runs Jupyter, or null when none was found. */
  python: string | null;
  /** Where it came from: FRAGILITY_PYTHON, VIRTUAL_ENV, CONDA_PREFIX or the system. */
  source: string;
  /** Set when FRAGILITY_PYTHON names no usable interpreter (then nothing else is tried). */
  problem?: string;
  /** The activated environments' interpreters that were passed over, and why. */
  skipped: string[];
}

/**
 * The Python that runs Jupyter: FRAGILITY_PYTHON when set (and then only it); else the Python of an
 * activated virtualenv (VIRTUAL_ENV) or conda environment (CONDA_PREFIX) when it has nbclient and
 * nbconvert; else the first of /usr/bin/python3 (Debian's Jupyter; the python3 first on PATH may
 * be another interpreter), python3 and python that has them. scripts/setup.sh's find_python
 * follows the same order.
 */
export function locateJupyterPython(env: NodeJS.ProcessEnv = process.env): PythonChoice {
  const requested = env[PYTHON_ENV];
  if (requested) {
    const why = probePython(requested);
    return why
      ? {
          python: null,
          source: PYTHON_ENV,
          problem: `${PYTHON_ENV}=${requested} names no interpreter that can run Jupyter: ${why}`,
          skipped: [],
        }
      : { python: requested, source: PYTHON_ENV, skipped: [] };
  }
  const skipped: string[] = [];
  for (const variable of ["VIRTUAL_ENV", "CONDA_PREFIX"]) {
    const prefix = env[variable];
    if (!prefix) continue;
    const candidates = ["python3", "python"].map((p) => path.join(prefix, "bin", p));
    const found = candidates.find((c) => fs.existsSync(c));
    if (!found) {
      skipped.push(`${variable}=${prefix} has no bin/python3 or bin/python`);
      continue;
    }
    const why = probePython(found);
    if (!why) return { python: found, source: variable, skipped };
    skipped.push(`${found} (${variable}): ${why}`);
  }
  for (const candidate of ["/usr/bin/python3", "python3", "python"]) {
    if (!probePython(candidate)) return { python: candidate, source: "system", skipped };
  }
  return { python: null, source: "none", skipped };
}

/** A Python interpreter that can import nbclient, nbconvert and nbformat, or null. */
export function findJupyterPython(): string | null {
  return locateJupyterPython().python;
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

/** CLI: `node dist/scripts/jupyter.js` registers the kernelspec and prints where. */
if (require.main === module) {
  if (process.argv.length > 2) {
    const help = ["--help", "-h"].includes(process.argv[2]);
    if (!help) console.error(`jupyter: unexpected argument ${JSON.stringify(process.argv[2])}`);
    (help ? console.log : console.error)(
      "usage: node dist/scripts/jupyter.js\n  finds the Python that runs Jupyter and registers the project's kernelspec under build/jupyter",
    );
    process.exit(help ? 0 : 2);
  }
  const choice = locateJupyterPython();
  if (!choice.python) {
    console.error(choice.problem ?? INSTALL_HELP);
    process.exit(choice.problem ? 2 : 1);
  }
  for (const s of choice.skipped) console.log(`note: passed over ${s}`);
  console.log(`Jupyter: ${choice.python} (${choice.source})`);
  console.log(`kernelspec: ${ensureKernelSpec()} (found through JUPYTER_PATH=${JUPYTER_DATA_DIR})`);
}
