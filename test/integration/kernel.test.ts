/**
 * npm run kernel:install / kernel:uninstall against a temporary HOME and a temporary virtualenv,
 * so the machine's real Jupyter is not touched: after install, jupyter_client's own listing finds
 * the kernel without JUPYTER_PATH (what VS Code and a user's JupyterLab see), with the project's
 * name and this Node; the kernel runs a notebook from there; uninstall removes it.
 */
import { after, test } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { KERNEL_NAME } from "../../scripts/jupyter";
import { kernelPython } from "../../scripts/kernel";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "kernel-"));
after(() => fs.rmSync(work, { recursive: true, force: true }));

/** The environment of a user with no Jupyter configuration of their own and no project paths. */
function cleanEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: home,
    PYDEVD_DISABLE_FILE_VALIDATION: "1",
  };
  for (const k of [
    "JUPYTER_PATH",
    "JUPYTER_DATA_DIR",
    "JUPYTER_CONFIG_DIR",
    "JUPYTER_RUNTIME_DIR",
    "XDG_DATA_HOME",
    "CONDA_PREFIX",
    "VIRTUAL_ENV",
  ])
    delete env[k];
  return { ...env, ...extra };
}

function kernelScript(
  args: string[],
  env: NodeJS.ProcessEnv,
): { status: number | null; out: string } {
  const r = spawnSync(
    process.execPath,
    [path.join(ROOT, "dist", "scripts", "kernel.js"), ...args],
    { env, encoding: "utf8" },
  );
  return { status: r.status, out: r.stdout + r.stderr };
}

/** `python -m jupyter_client.kernelspecapp list`: kernel name → folder. */
function listed(python: string, env: NodeJS.ProcessEnv): Map<string, string> {
  const r = spawnSync(python, ["-m", "jupyter_client.kernelspecapp", "list", "--json"], {
    env,
    encoding: "utf8",
  });
  assert.equal(r.status, 0, r.stderr);
  const specs = (JSON.parse(r.stdout) as { kernelspecs: Record<string, { resource_dir: string }> })
    .kernelspecs;
  return new Map(Object.entries(specs).map(([k, v]) => [k, v.resource_dir]));
}

const python = kernelPython(cleanEnv(os.homedir()));

test(
  "kernel:install at user level is listed by jupyter_client without JUPYTER_PATH, runs a notebook, and kernel:uninstall removes it",
  { skip: python ? false : "no Python with jupyter_client" },
  () => {
    const home = path.join(work, "home");
    fs.mkdirSync(home);
    const env = cleanEnv(home);
    assert.ok(!listed(python!, env).has(KERNEL_NAME), "not there before");
    const inst = kernelScript(["install"], env);
    assert.equal(inst.status, 0, inst.out);
    const dir = listed(python!, env).get(KERNEL_NAME);
    assert.ok(dir && dir.startsWith(home), `listed under the temporary HOME: ${dir}\n${inst.out}`);
    const spec = JSON.parse(fs.readFileSync(path.join(dir!, "kernel.json"), "utf8")) as {
      argv: string[];
      display_name: string;
    };
    assert.equal(spec.argv[0], process.execPath, "the Node that ran the install (pinned)");
    assert.equal(
      fs.realpathSync(spec.argv[1]),
      fs.realpathSync(path.join(ROOT, "node_modules", "tslab", "bin", "tslab")),
    );
    assert.match(spec.display_name, /adversarial fragility/);
    // What an editor does with it: run a notebook with the kernel found the standard way.
    const nb = path.join(ROOT, "test", "fixtures", "review", "92-review-second.ipynb");
    const exec = spawnSync(
      python!,
      [
        "-m",
        "nbconvert",
        "--to",
        "notebook",
        "--execute",
        `--ExecutePreprocessor.kernel_name=${KERNEL_NAME}`,
        "--ExecutePreprocessor.timeout=600",
        "--ExecutePreprocessor.startup_timeout=120",
        "--output-dir",
        work,
        "--output",
        "executed",
        nb,
      ],
      { env, encoding: "utf8" },
    );
    assert.equal(exec.status, 0, exec.stderr);
    const executed = JSON.parse(fs.readFileSync(path.join(work, "executed.ipynb"), "utf8")) as {
      cells: Array<{ outputs?: Array<{ output_type: string }> }>;
    };
    assert.ok(
      executed.cells.every((c) => !(c.outputs ?? []).some((o) => o.output_type === "error")),
      "ran without an error",
    );
    const un = kernelScript(["uninstall"], env);
    assert.equal(un.status, 0, un.out);
    assert.ok(!listed(python!, env).has(KERNEL_NAME), "gone after uninstall");
    assert.ok(!fs.existsSync(dir!), "its folder removed");
  },
);

test(
  "inside an active virtualenv, kernel:install goes into the environment's prefix (its own Python lists it) and kernel:uninstall removes it",
  { skip: python ? false : "no Python with jupyter_client" },
  () => {
    const venv = path.join(work, "venv");
    const made = spawnSync(
      python!,
      ["-m", "venv", "--system-site-packages", "--without-pip", venv],
      { encoding: "utf8" },
    );
    if (made.status !== 0) {
      assert.fail(`python -m venv failed (Debian: apt-get install python3-venv):\n${made.stderr}`);
    }
    const home = path.join(work, "home2");
    fs.mkdirSync(home);
    const env = cleanEnv(home, {
      VIRTUAL_ENV: venv,
      PATH: `${path.join(venv, "bin")}${path.delimiter}${process.env.PATH}`,
    });
    const venvPython = path.join(venv, "bin", "python");
    assert.equal(kernelPython(env), venvPython, "the environment's Python comes first");
    const inst = kernelScript(["install"], env);
    assert.equal(inst.status, 0, inst.out);
    const dir = listed(venvPython, env).get(KERNEL_NAME);
    assert.equal(dir, path.join(venv, "share", "jupyter", "kernels", KERNEL_NAME), inst.out);
    assert.ok(
      !listed(python!, cleanEnv(home)).has(KERNEL_NAME),
      "not at user level, not for the system's Python",
    );
    const un = kernelScript(["uninstall"], env);
    assert.equal(un.status, 0, un.out);
    assert.ok(!listed(venvPython, env).has(KERNEL_NAME), "gone after uninstall");
  },
);

test("kernel:install --prefix DIR writes DIR/share/jupyter/kernels/<name>; bad options exit 2", () => {
  const prefix = path.join(work, "prefix");
  const env = cleanEnv(path.join(work, "home3"));
  if (python) {
    const inst = kernelScript(["install", "--prefix", prefix], env);
    assert.equal(inst.status, 0, inst.out);
    assert.ok(
      fs.existsSync(path.join(prefix, "share", "jupyter", "kernels", KERNEL_NAME, "kernel.json")),
    );
    const un = kernelScript(["uninstall", "--prefix", prefix], env);
    assert.equal(un.status, 0, un.out);
    assert.ok(!fs.existsSync(path.join(prefix, "share", "jupyter", "kernels", KERNEL_NAME)));
  }
  assert.equal(kernelScript(["install", "--bogus"], env).status, 2);
  assert.equal(
    kernelScript(["install", "--sys-prefix"], env).status,
    2,
    "--sys-prefix needs an active environment",
  );
  assert.equal(kernelScript(["frobnicate"], env).status, 2);
});
