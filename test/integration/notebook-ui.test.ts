/**
 * The real notebook UI: Jupyter's notebook server (Debian's Notebook 6, or whatever `python -m
 * notebook` is) with the project's kernel, one fixture notebook opened in headless Chromium, every
 * cell run from the UI (`Jupyter.notebook.execute_all_cells()`), then: every code cell ran, none
 * has an error output or stderr, both figures (a scatter and a histogram) drew with the trace types
 * they asked for, the markdown's math rendered, and the claims table is there.
 *
 * The notebook is a copy (the server may save it); the server's runtime, config and data folders
 * are temporary, so the user's Jupyter setup is not touched. The server and its kernel are shut
 * down through the server's API, and the folder removed, whether the test passes or fails.
 */
import { after, test } from "node:test";
import * as assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "child_process";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { chromiumPath, launchChromium } from "../../scripts/chromium";
import {
  ensureKernelSpec,
  findJupyterPython,
  jupyterEnv,
  KERNEL_NAME,
} from "../../scripts/jupyter";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const FIXTURE = path.join(ROOT, "test", "fixtures", "review", "91-review-figures.ipynb");

function problem(): string {
  try {
    chromiumPath();
  } catch (e) {
    return (e as Error).message;
  }
  const python = findJupyterPython();
  if (!python) return "no Python with Jupyter (see scripts/jupyter.ts)";
  if (spawnSync(python, ["-c", "import notebook"], { stdio: "ignore" }).status !== 0)
    return `${python} has no notebook server (Debian: apt-get install jupyter-notebook)`;
  return "";
}

const missing = problem();
// Inside the checkout at the fixture's depth, so its imports of ../../../dist/lib resolve.
const work = fs.mkdtempSync(path.join(ROOT, "build", ".ui-"));
let server: ChildProcess | null = null;
let base = "";
const token = randomBytes(16).toString("hex");
const withToken = (url: string) => `${url}${url.includes("?") ? "&" : "?"}token=${token}`;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

async function api(method: string, route: string): Promise<Response> {
  return fetch(withToken(`${base}${route}`), { method, signal: AbortSignal.timeout(10_000) });
}

after(async () => {
  if (server && server.exitCode === null) {
    try {
      const kernels = (await (await api("GET", "/api/kernels")).json()) as Array<{ id: string }>;
      for (const k of kernels) await api("DELETE", `/api/kernels/${k.id}`);
      await api("POST", "/api/shutdown");
    } catch {
      // The server is gone or hung: signals below.
    }
    const exited = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 10_000);
      server!.once("exit", () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    if (!exited && server.pid) process.kill(-server.pid, "SIGKILL");
  }
  fs.rmSync(work, { recursive: true, force: true });
});

test(
  "a notebook runs from the notebook UI with the project's kernel: no error output, every figure drawn, math and claims shown",
  { skip: missing || false, timeout: 300_000 },
  async () => {
    const nbDir = path.join(work, "review");
    fs.mkdirSync(nbDir, { recursive: true });
    fs.copyFileSync(FIXTURE, path.join(nbDir, "figures.ipynb"));
    ensureKernelSpec();
    const port = await freePort();
    const dirs: Record<string, string> = {};
    for (const d of ["runtime", "config", "data"]) {
      dirs[d] = path.join(work, d);
      fs.mkdirSync(dirs[d]);
    }
    const args = [
      "-m",
      "notebook",
      "--no-browser",
      `--NotebookApp.ip=127.0.0.1`,
      `--NotebookApp.port=${port}`,
      "--NotebookApp.port_retries=0",
      `--NotebookApp.token=${token}`,
      `--NotebookApp.notebook_dir=${work}`,
      ...(typeof process.getuid === "function" && process.getuid() === 0 ? ["--allow-root"] : []),
    ];
    let log = "";
    server = spawn(findJupyterPython()!, args, {
      detached: true,
      env: jupyterEnv({
        JUPYTER_RUNTIME_DIR: dirs.runtime,
        JUPYTER_CONFIG_DIR: dirs.config,
        JUPYTER_DATA_DIR: dirs.data,
        PYDEVD_DISABLE_FILE_VALIDATION: "1",
      }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    server.stdout!.on("data", (b: Buffer) => (log += b.toString()));
    server.stderr!.on("data", (b: Buffer) => (log += b.toString()));
    base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      try {
        if ((await api("GET", "/api/status")).ok) break;
      } catch {
        // not listening yet
      }
      assert.ok(i < 120 && server.exitCode === null, `the notebook server did not start:\n${log}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 1400 } });
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      await page.goto(withToken(`${base}/notebooks/review/figures.ipynb`), { waitUntil: "load" });
      await page.waitForFunction(
        `window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected() && Jupyter.notebook.kernel.name === ${JSON.stringify(KERNEL_NAME)}`,
        undefined,
        { timeout: 120_000 },
      );
      await page.evaluate(
        `Jupyter.notebook.set_autosave_interval(0); Jupyter.notebook.execute_all_cells();`,
      );
      await page
        .waitForFunction(
          `(() => {
        const cells = Jupyter.notebook.get_cells().filter((c) => c.cell_type === "code");
        return cells.every((c) => typeof c.input_prompt_number === "number") && Jupyter.notebook.kernel_busy === false;
      })()`,
          undefined,
          { timeout: 240_000, polling: 500 },
        )
        .catch(() => undefined);
      await page.waitForTimeout(1000);
      const state = (await page.evaluate(`(() => {
      const cells = Jupyter.notebook.get_cells().filter((c) => c.cell_type === "code");
      const figures = Array.from(document.querySelectorAll(".fragility-figure"));
      return {
        cells: cells.length,
        prompts: cells.map((c) => c.input_prompt_number),
        errors: cells.flatMap((c, i) => c.output_area.outputs
          .filter((o) => o.output_type === "error" || (o.output_type === "stream" && o.name === "stderr"))
          .map((o) => "cell " + (i + 1) + ": " + (o.ename || "stderr") + " " + (o.evalue || o.text || ""))),
        figures: figures.map((f) => ({
          drawn: !!f.querySelector("svg.main-svg"),
          requested: (f.getAttribute("data-trace-types") || "").split(" ").filter(Boolean),
          rendered: (f._fullData || []).map((t) => t.type),
        })),
        math: document.querySelectorAll(".text_cell_render .MathJax, .text_cell_render .MathJax_SVG, .text_cell_render .MathJax_CHTML, .text_cell_render mjx-container").length,
        ledger: !!document.querySelector("table.fragility-ledger"),
      };
    })()`)) as {
        cells: number;
        prompts: Array<number | string | null>;
        errors: string[];
        figures: Array<{ drawn: boolean; requested: string[]; rendered: string[] }>;
        math: number;
        ledger: boolean;
      };
      assert.ok(
        state.prompts.every((p) => typeof p === "number"),
        `every code cell ran: prompts ${JSON.stringify(state.prompts)}\n${log.slice(-3000)}`,
      );
      assert.deepEqual(state.errors, [], "no error output");
      assert.deepEqual(errors, [], "no error in the page");
      assert.equal(state.figures.length, 2, "both figures");
      for (const [i, f] of state.figures.entries()) {
        assert.ok(f.drawn, `figure ${i + 1} drew`);
        assert.deepEqual(f.rendered, f.requested, `figure ${i + 1}: the trace types asked for`);
      }
      assert.deepEqual(state.figures.flatMap((f) => f.requested).sort(), ["histogram", "scatter"]);
      assert.ok(state.math > 0, "the markdown's math rendered");
      assert.ok(state.ledger, "the claims table");
    } finally {
      await browser.close();
    }
  },
);
