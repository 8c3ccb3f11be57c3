/**
 * The headless runner: executes notebooks with the project's tslab kernel through nbclient and
 * writes, per notebook <stem>, <out>/notebooks/<stem>.ipynb, <out>/html/<stem>.html,
 * <out>/claims/<stem>.json and (where it reproduces numbers) <out>/results/<stem>.json.
 *
 *   npm run reproduce -- [--scale quick|paper] [--set key=value]... [--timeout s] [--out dir] [--no-html] [name...]
 *
 * Exit status: 0 when every cell ran and every claim passed; 1 on a failed cell, a failed claim, a
 * fault only the kernel logged (an unawaited promise rejection, an exception in a callback), or no
 * Jupyter; 2 on bad usage, before anything runs (unknown notebook, parameter or option, a badly
 * typed value or seed, an --out or --notebooks folder that cannot be used, a FRAGILITY_PYTHON that
 * names no interpreter with Jupyter); 130, 143 or 129 when stopped by SIGINT, SIGTERM or SIGHUP.
 *
 * Outputs of a notebook are moved into place only when it succeeded, so a failed run leaves earlier
 * results intact; its executed copy (and its claims) go to <out>/failed/ for inspection. A stopped
 * run ends the executor, the kernel and their children, removes its temporary folder and leaves
 * <out> as it was before the notebook in flight. The index is rewritten after every notebook that
 * succeeded, so it always shows what <out> holds; a notebook re-run without HTML loses its old page.
 * The runner writes only under <out> (and the kernelspec under build/jupyter): never a tracked file.
 */
import { spawn, type ChildProcess } from "child_process";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { isFailure, type ClaimsFile, type RunInfo } from "../lib/claims/ledger";
import { writeJsonAtomic } from "../lib/claims/outputs";
import { exportNotebook, writeIndex } from "./export";
import {
  ensureKernelSpec,
  INSTALL_HELP,
  jupyterEnv,
  KERNEL_NAME,
  locateJupyterPython,
  NOTEBOOK_DIR,
  ROOT,
} from "./jupyter";
import {
  injectParameters,
  type Notebook,
  outputText,
  parametersCellIndex,
  parseParameters,
  parseValue,
  readNotebook,
  sourceText,
} from "./notebook";

const SCALES = ["quick", "paper"];

export interface Options {
  scale: string;
  sets: Array<[string, string]>;
  names: string[];
  out: string;
  timeout: number;
  html: boolean;
  /** Leave code cells out of the HTML (they are collapsed by default otherwise). */
  dropCode: boolean;
  /** Folder of the notebooks; the kernel runs there, so notebooks import ../dist/lib/... */
  notebooks: string;
}

export class UsageError extends Error {}

const USAGE = `usage: npm run reproduce -- [--scale quick|paper] [--set key=value]... [--timeout seconds] [--out dir] [--no-html] [name...]
  name     run the notebooks whose file name contains it (default: every notebook)
  --scale  quick (small sizes, for tests) or paper (the paper's sizes; default)
  --set    override one notebook parameter, e.g. --set seed=7 (repeatable)
  --timeout  seconds allowed per cell (default 900)
  --out    output folder (default build/)
  --no-html  write no HTML (a re-run notebook's old page is removed)
  --no-code  leave code cells out of the HTML (by default they are collapsed, with a button to show them)
  --notebooks  folder of the notebooks (default notebooks/)`;

/** Exit statuses of a run stopped by a signal (128 + the signal's number, as shells report it). */
export const STOP_EXIT: Readonly<Record<string, number>> = {
  SIGHUP: 129,
  SIGINT: 130,
  SIGTERM: 143,
};

export function parseArgs(argv: string[]): Options {
  const o: Options = {
    scale: "paper",
    sets: [],
    names: [],
    out: path.join(ROOT, "build"),
    timeout: 900,
    html: true,
    dropCode: false,
    notebooks: NOTEBOOK_DIR,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`option ${a} needs a value`);
      return v;
    };
    if (a === "--scale") o.scale = value();
    else if (a.startsWith("--scale=")) o.scale = a.slice(8);
    else if (a === "--set" || a.startsWith("--set=")) {
      const kv = a === "--set" ? value() : a.slice(6);
      const eq = kv.indexOf("=");
      if (eq <= 0) throw new UsageError(`--set expects key=value, got ${JSON.stringify(kv)}`);
      if (kv.slice(0, eq) === "scale")
        throw new UsageError("the scale is set by --scale, not --set scale=…");
      o.sets.push([kv.slice(0, eq), kv.slice(eq + 1)]);
    } else if (a === "--timeout") {
      o.timeout = Number(value());
      if (!Number.isInteger(o.timeout) || o.timeout < 1)
        throw new UsageError(`--timeout expects a whole number of seconds >= 1, got ${argv[i]}`);
    } else if (a === "--out") o.out = path.resolve(value());
    else if (a === "--notebooks") o.notebooks = path.resolve(value());
    else if (a === "--no-html") o.html = false;
    else if (a === "--no-code") o.dropCode = true;
    else if (a === "--help" || a === "-h") throw new UsageError(USAGE);
    else if (a.startsWith("-")) throw new UsageError(`unknown option ${a}\n${USAGE}`);
    else o.names.push(a);
  }
  if (!SCALES.includes(o.scale))
    throw new UsageError(
      `--scale expects one of ${SCALES.join(", ")}, got ${JSON.stringify(o.scale)}`,
    );
  return o;
}

function errorText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  const message = e instanceof Error ? e.message : String(e);
  return code && !message.startsWith(code) ? `${code}: ${message}` : message;
}

/** Notebook files selected by name fragments (all when none). */
export function selectNotebooks(names: string[], dir = NOTEBOOK_DIR): string[] {
  let entries: string[];
  try {
    if (!fs.statSync(dir).isDirectory())
      throw new UsageError(`--notebooks ${dir} names a file, not a folder of notebooks`);
    entries = fs.readdirSync(dir);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    if ((e as NodeJS.ErrnoException).code === "ENOENT")
      throw new UsageError(`--notebooks ${dir}: no such folder`);
    throw new UsageError(`--notebooks ${dir}: cannot read this folder (${errorText(e)})`);
  }
  const all = entries.filter((f) => f.endsWith(".ipynb")).sort();
  if (all.length === 0) throw new UsageError(`no notebooks (*.ipynb) in ${dir}`);
  if (names.length === 0) return all;
  const chosen = new Set<string>();
  for (const n of names) {
    const hits = all.filter((f) => f.includes(n));
    if (hits.length === 0)
      throw new UsageError(
        `no notebook matches ${JSON.stringify(n)}; notebooks: ${all.join(", ")}`,
      );
    hits.forEach((h) => chosen.add(h));
  }
  return all.filter((f) => chosen.has(f));
}

/** The values to inject into one notebook: the scale, and each --set that the notebook declares. */
export function planParameters(
  nb: Notebook,
  stem: string,
  o: Options,
): Map<string, string | number | boolean> {
  let params;
  try {
    params = parseParameters(nb);
  } catch (e) {
    throw new UsageError(`${stem}: ${(e as Error).message}`);
  }
  const values = new Map<string, string | number | boolean>();
  const scale = params.get("scale");
  if (!scale) throw new UsageError(`${stem}: its parameters cell must declare scale`);
  values.set("scale", parseValue(scale, o.scale));
  for (const [k, raw] of o.sets) {
    const p = params.get(k);
    if (!p) continue;
    try {
      values.set(k, parseValue(p, raw));
    } catch (e) {
      throw new UsageError(`${stem}: ${(e as Error).message}`);
    }
  }
  return values;
}

function readNotebookOrRefuse(file: string): Notebook {
  try {
    const nb = readNotebook(file);
    if (!Array.isArray(nb.cells)) throw new Error("it has no cells");
    return nb;
  } catch (e) {
    throw new UsageError(`${file} is not a readable notebook (${errorText(e)})`);
  }
}

/**
 * mkdir -p, one level at a time (Node's recursive mkdirSync loops for ever where mkdir answers
 * ENOENT under an existing parent, as in /proc); returns the first folder it created, or null.
 */
function makeFolders(dir: string): string | null {
  const missing: string[] = [];
  for (let d = dir; !fs.existsSync(d); d = path.dirname(d)) {
    if (path.dirname(d) === d) break;
    missing.unshift(d);
  }
  for (const d of missing) fs.mkdirSync(d);
  return missing[0] ?? null;
}

/**
 * Makes sure the run can write into `out` (creating it if needed) and says what it created, so an
 * empty folder made only for this run can be removed again.
 */
function prepareOut(out: string): { created: string | null } {
  let stat: fs.Stats | null = null;
  try {
    stat = fs.statSync(out);
  } catch {
    // does not exist yet
  }
  if (stat && !stat.isDirectory()) throw new UsageError(`--out ${out} names a file, not a folder`);
  let created: string | null;
  try {
    created = makeFolders(out);
  } catch (e) {
    throw new UsageError(`--out ${out}: cannot create this folder (${errorText(e)})`);
  }
  const probe = path.join(out, `.write-probe-${process.pid}-${randomBytes(4).toString("hex")}`);
  try {
    fs.writeFileSync(probe, "");
    fs.rmSync(probe);
  } catch (e) {
    if (created) fs.rmSync(created, { recursive: true, force: true });
    throw new UsageError(`--out ${out}: cannot write into this folder (${errorText(e)})`);
  }
  return { created };
}

/** True when dir holds no file at any depth (only empty folders). */
function holdsNoFile(dir: string): boolean {
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .every((e) => e.isDirectory() && holdsNoFile(path.join(dir, e.name)));
  } catch {
    return false;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Signals a process group, quietly when it is gone. */
function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // no such group (left already)
  }
}

/**
 * Processes whose environment holds FRAGILITY_RUN_DIR=runDir: every process of one notebook's run
 * (the executor, the kernel, their children), wherever they moved their session. Linux only
 * (/proc); elsewhere the process groups are all there is to go by.
 */
function runProcesses(runDir: string): number[] {
  let pids: string[];
  try {
    pids = fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p));
  } catch {
    return [];
  }
  return pids.map(Number).filter((p) => p !== process.pid && inRun(p, runDir) === true);
}

/** Whether process pid belongs to the run (its environment names runDir); null without /proc. */
function inRun(pid: number, runDir: string): boolean | null {
  if (!fs.existsSync("/proc/self/environ")) return null;
  try {
    const env = Buffer.concat([Buffer.from([0]), fs.readFileSync(`/proc/${pid}/environ`)]);
    return env.includes(Buffer.from(`\0FRAGILITY_RUN_DIR=${runDir}\0`));
  } catch {
    return false; // gone, or not ours to read
  }
}

/**
 * Kills the kernel's process group, but only while its leader is still the run's kernel: once the
 * kernel is gone its pid may belong to someone else's process (its children are found by runDir).
 */
function killKernelGroup(runDir: string): void {
  const kernel = readJsonQuietly<{ pid: number }>(path.join(runDir, "kernel.json"));
  if (kernel && alive(kernel.pid) && inRun(kernel.pid, runDir) !== false)
    killGroup(kernel.pid, "SIGKILL");
}

function readJsonQuietly<T>(file: string): T | null {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as T;
  } catch {
    return null;
  }
}

/**
 * Ends every process of one notebook's run that is still there: the kernel's process group (the
 * kernel leads its own session: a signal to the runner's group never reaches it), then anything
 * else that carries the run's folder in its environment; waits until they are gone. Returns how
 * many were found (on Linux).
 */
async function endRunProcesses(runDir: string): Promise<number> {
  const living = () =>
    runProcesses(runDir).filter((pid) => {
      try {
        return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8")); // not a zombie
      } catch {
        return false;
      }
    });
  const found = living().length;
  killKernelGroup(runDir);
  const deadline = Date.now() + 5000;
  for (let left = living(); left.length > 0 && Date.now() < deadline; left = living()) {
    for (const pid of left) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // gone meanwhile
      }
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return found;
}

/** A signal's bookkeeping: what is in flight, so that a signal can stop it. */
class Stopper {
  signal: NodeJS.Signals | null = null;
  private child: ChildProcess | null = null;
  private runDir: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly handlers = new Map<NodeJS.Signals, () => void>();
  /** Grace for the executor to end its kernel itself, before everything is killed. */
  static readonly GRACE_MS = 5000;

  install(): void {
    for (const sig of Object.keys(STOP_EXIT) as NodeJS.Signals[]) {
      const h = () => this.onSignal(sig);
      this.handlers.set(sig, h);
      process.on(sig, h);
    }
  }

  uninstall(): void {
    for (const [sig, h] of this.handlers) process.off(sig, h);
    this.handlers.clear();
    if (this.timer) clearTimeout(this.timer);
  }

  attach(child: ChildProcess, runDir: string): void {
    this.child = child;
    this.runDir = runDir;
    if (this.signal) this.stopChild();
  }

  detach(): void {
    this.child = null;
    this.runDir = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private onSignal(sig: NodeJS.Signals): void {
    if (this.signal) {
      // A second signal: no more grace.
      this.killAll();
      return;
    }
    this.signal = sig;
    process.stderr.write(`\n${sig} received: stopping the run…\n`);
    if (this.child) this.stopChild();
  }

  private stopChild(): void {
    const pid = this.child?.pid;
    if (pid === undefined) return;
    // The executor leads its own process group (spawned detached): TERM reaches it and anything it
    // started there; it ends its kernel's group itself.
    killGroup(pid, "SIGTERM");
    this.timer ??= setTimeout(() => this.killAll(), Stopper.GRACE_MS);
  }

  private killAll(): void {
    const pid = this.child?.pid;
    if (pid !== undefined) killGroup(pid, "SIGKILL");
    if (this.runDir) killKernelGroup(this.runDir);
  }
}

interface Report {
  failed: { index: number; kind: string; message: string } | null;
  hidden_failed: { kind: string; message: string } | null;
  faults: string[];
}

interface Outcome {
  stem: string;
  ok: boolean;
  seconds: number;
  claims: string;
  problems: string[];
  /** Set when a signal stopped this notebook: what was stopped. */
  stopped?: string;
  /** Notes on what the run did to <out> besides the notebook's own files. */
  notes: string[];
}

function indent(text: string, prefix = "    "): string {
  return text
    .replace(/\s+$/, "")
    .split("\n")
    .map((l) => prefix + l)
    .join("\n");
}

/**
 * Names a cell of the executed notebook as the user's notebook numbers it: counted from 1, markdown
 * included, the injected parameters cell (at index `injectedAt`) not counted.
 */
function cellName(index: number, injectedAt: number, total: number): string {
  if (index === injectedAt) return "the injected parameters cell";
  return `cell ${(index > injectedAt ? index - 1 : index) + 1} of ${total - 1}`;
}

/** What went wrong in an executed notebook (empty when nothing did). */
function diagnose(
  executed: Notebook,
  report: Report,
  runDir: string,
  stem: string,
  injectedAt: number,
): string[] {
  const problems: string[] = [];
  const name = (i: number) => cellName(i, injectedAt, executed.cells.length);
  if (report.failed) {
    const cell = executed.cells[report.failed.index];
    const stderr = (cell?.outputs ?? [])
      .filter((o) => o.name === "stderr")
      .map(outputText)
      .join("");
    const what =
      report.failed.kind === "CellTimeoutError"
        ? "exceeded the per-cell timeout"
        : report.failed.kind === "DeadKernelError"
          ? "killed the kernel"
          : "failed";
    problems.push(
      `${name(report.failed.index)} ${what} (${report.failed.kind}; counted from 1, markdown included)\n  source:\n${indent(sourceText(cell))}\n  stderr:\n${indent(stderr || "(none)")}` +
        (report.failed.kind === "CellExecutionError"
          ? ""
          : `\n  ${report.failed.message.split("\n")[0]}`),
    );
  }
  if (report.hidden_failed)
    problems.push(
      `the runner's own bookkeeping cell failed (${report.hidden_failed.kind}): ${report.hidden_failed.message}`,
    );
  for (const f of report.faults) problems.push(`the kernel logged a fault no cell failed on: ${f}`);
  executed.cells.forEach((c, i) => {
    for (const o of c.outputs ?? []) {
      const t = o.name === "stderr" ? outputText(o) : "";
      if (/^(UnhandledPromiseRejection|UncaughtException):/m.test(t)) {
        problems.push(
          `tslab logged a fault in the output of ${name(i)} (it may come from an earlier cell):\n${indent(t)}`,
        );
      }
    }
  });
  if (!report.failed && !report.hidden_failed) {
    const file = path.join(runDir, "claims.json");
    if (!fs.existsSync(file))
      problems.push(`${stem} wrote no claims summary (every notebook ends with claims.saveClaims)`);
    else {
      const claims = JSON.parse(fs.readFileSync(file, "utf8")) as ClaimsFile;
      for (const c of claims.claims.filter(isFailure)) {
        problems.push(
          `${c.kind} claim failed [${c.id}]: ${c.name}\n    measured ${JSON.stringify(c.value)}, expected ${JSON.stringify(c.expected)}` +
            (c.test
              ? `; test: ${c.test.hypothesis} (${c.test.method}), p = ${c.test.pValue}, Holm p̃ = ${c.test.adjustedP}`
              : `, tolerance ${JSON.stringify(c.tolerance)}`),
        );
      }
    }
  }
  return problems;
}

function moveInto(file: string, dir: string, name: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.renameSync(file, path.join(dir, name));
}

interface Executed {
  status: number | null;
  signal: NodeJS.Signals | null;
  /** The executor's (and its kernel's) stdout and stderr, the last 8 MB. */
  output: string;
  error?: Error;
}

const OUTPUT_LIMIT = 8 << 20;

/** Runs scripts/execute.py in its own process group and waits for it to exit. */
function execute(
  python: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  stopper: Stopper,
  runDir: string,
): Promise<Executed> {
  return new Promise((resolve) => {
    let output = "";
    const child = spawn(python, args, { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    const take = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      if (output.length > 2 * OUTPUT_LIMIT) output = output.slice(-OUTPUT_LIMIT);
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    let settled = false;
    const finish = (r: Omit<Executed, "output">, drained: boolean) => {
      if (settled) return;
      settled = true;
      stopper.detach();
      // The kernel inherits the pipes, and may hold them after the executor is gone: wait for
      // the rest of the output a moment, not for the pipes to close.
      const done = () => {
        child.stdout.destroy();
        child.stderr.destroy();
        resolve({ ...r, output: output.slice(-OUTPUT_LIMIT) });
      };
      if (drained) done();
      else {
        const timer = setTimeout(done, 1000);
        child.once("close", () => {
          clearTimeout(timer);
          done();
        });
      }
    };
    child.on("error", (error) => finish({ status: null, signal: null, error }, true));
    child.on("exit", (status, signal) => finish({ status, signal }, false));
    if (child.pid !== undefined) stopper.attach(child, runDir);
  });
}

/** Lets pending signal handlers run (a signal that arrived during synchronous work). */
function settle(): Promise<void> {
  return new Promise((r) => setTimeout(r, 20));
}

async function runNotebook(
  file: string,
  o: Options,
  python: string,
  stopper: Stopper,
): Promise<Outcome> {
  const stem = path.basename(file, ".ipynb");
  const started = Date.now();
  const nb = readNotebook(path.join(o.notebooks, file));
  const values = planParameters(nb, stem, o);
  const prepared = injectParameters(nb, values);
  const overrides = Object.fromEntries([...values].filter(([k]) => k !== "scale"));
  const injectedAt = parametersCellIndex(nb) + 1; // every run injects at least the scale
  const tmpRoot = path.join(o.out, ".tmp");
  fs.mkdirSync(tmpRoot, { recursive: true });
  const runDir = fs.mkdtempSync(path.join(tmpRoot, `${stem}-`));
  fs.writeFileSync(path.join(runDir, "owner.json"), JSON.stringify({ pid: process.pid }) + "\n");
  const input = path.join(runDir, "input.ipynb");
  const executedFile = path.join(runDir, `${stem}.ipynb`);
  const reportFile = path.join(runDir, "report.json");
  fs.writeFileSync(input, JSON.stringify(prepared, null, 1) + "\n");
  const env = jupyterEnv({ FRAGILITY_RUN_DIR: runDir, FRAGILITY_NOTEBOOK: stem });
  const outcome: Outcome = {
    stem,
    ok: false,
    seconds: 0,
    claims: "-",
    problems: [],
    notes: [],
  };
  const exec = await execute(
    python,
    [
      path.join(ROOT, "scripts", "execute.py"),
      input,
      executedFile,
      reportFile,
      "--kernel",
      KERNEL_NAME,
      "--timeout",
      String(o.timeout),
      "--cwd",
      o.notebooks,
      "--state-dir",
      runDir,
    ],
    env,
    stopper,
    runDir,
  );
  // Whatever happened, nothing of this notebook's run outlives it.
  const ended = await endRunProcesses(runDir);
  const problems = outcome.problems;
  if (ended && !stopper.signal)
    outcome.notes.push(`ended ${ended} process(es) that ${stem} left running after it finished`);
  if (stopper.signal) {
    const progress = readJsonQuietly<{ cell: number }>(path.join(runDir, "progress.json"));
    const kernel = readJsonQuietly<{ pid: number }>(path.join(runDir, "kernel.json"));
    const at =
      progress && progress.cell >= 0 && progress.cell < prepared.cells.length
        ? ` at ${cellName(progress.cell, injectedAt, prepared.cells.length)}`
        : progress
          ? " in the runner's own bookkeeping cell"
          : " while its kernel was starting";
    outcome.stopped = `${stem}${at}; ended its executor${kernel ? ` and kernel (pid ${kernel.pid})` : ""} and their children`;
  } else if (exec.error) {
    problems.push(`the executor could not start: ${python}: ${errorText(exec.error)}`);
  } else if (exec.status !== 0 || !fs.existsSync(reportFile)) {
    const how =
      exec.signal !== null
        ? `was killed by ${exec.signal}`
        : exec.status === 0
          ? `exited with status 0 but wrote no report (is ${python} the Python interpreter it seemed?)`
          : `failed (exit ${exec.status})`;
    problems.push(
      `the executor (${python} scripts/execute.py) ${how}; its output:\n${indent(exec.output.trim() || "(none)")}`,
    );
  } else {
    const report = JSON.parse(fs.readFileSync(reportFile, "utf8")) as Report;
    const executed = readNotebook(executedFile);
    problems.push(...diagnose(executed, report, runDir, stem, injectedAt));
    // A dead kernel leaves its last words on the executor's stderr (the kernel process inherits it).
    if (report.failed?.kind === "DeadKernelError")
      problems.push(`the kernel's last output:\n${indent((exec.output || "(none)").slice(-4000))}`);
    const claimsFile = path.join(runDir, "claims.json");
    const resultsFile = path.join(runDir, "results.json");
    if (fs.existsSync(claimsFile)) {
      const summary = JSON.parse(fs.readFileSync(claimsFile, "utf8")) as ClaimsFile;
      const undecided = summary.claims.filter((c) => c.inconclusive).length;
      outcome.claims =
        (undecided ? `${undecided} inconclusive, ` : "") +
        `${summary.claims.filter((c) => c.passed).length}/${summary.claims.length}`;
      // What the runner ran, recorded beside what the notebook reports.
      const run: RunInfo = { scale: o.scale, seed: summary.seed, overrides };
      for (const f of [claimsFile, resultsFile].filter((x) => fs.existsSync(x))) {
        writeJsonAtomic(f, { ...(JSON.parse(fs.readFileSync(f, "utf8")) as object), run });
      }
    }
    if (problems.length === 0 && o.html) {
      try {
        const summary = JSON.parse(fs.readFileSync(claimsFile, "utf8")) as ClaimsFile;
        exportNotebook(executedFile, path.join(runDir, `${stem}.html`), {
          summary,
          python,
          dropCode: o.dropCode,
        });
      } catch (e) {
        problems.push(`HTML export failed: ${(e as Error).message}`);
      }
      // The export runs synchronously: a signal that came meanwhile is handled now, and stops this
      // notebook before anything of it reaches <out>.
      await settle();
      if (stopper.signal) outcome.stopped = `${stem} while exporting its HTML`;
    }
    if (outcome.stopped) {
      // nothing moves
    } else if (problems.length === 0) {
      // Synchronous from here on: a signal cannot stop it halfway.
      moveInto(executedFile, path.join(o.out, "notebooks"), `${stem}.ipynb`);
      if (o.html)
        moveInto(path.join(runDir, `${stem}.html`), path.join(o.out, "html"), `${stem}.html`);
      moveInto(claimsFile, path.join(o.out, "claims"), `${stem}.json`);
      const results = path.join(o.out, "results", `${stem}.json`);
      if (fs.existsSync(resultsFile)) moveInto(resultsFile, path.dirname(results), `${stem}.json`);
      else fs.rmSync(results, { force: true }); // an earlier run's numbers are not this run's
      fs.rmSync(path.join(o.out, "failed", `${stem}.ipynb`), { force: true });
      fs.rmSync(path.join(o.out, "failed", `${stem}.json`), { force: true });
      const page = path.join(o.out, "html", `${stem}.html`);
      if (!o.html && fs.existsSync(page)) {
        fs.rmSync(page);
        outcome.notes.push(
          `removed ${path.relative(o.out, page)}: it showed an earlier run of ${stem}, re-run now without HTML`,
        );
      }
      // The index lists the pages there are, with their claims: rewrite it whenever they change.
      if (o.html || fs.existsSync(path.join(o.out, "html", "index.html"))) {
        try {
          writeIndex(o.out);
        } catch (e) {
          problems.push(`writing the index failed: ${errorText(e)}`);
        }
      }
    } else {
      moveInto(executedFile, path.join(o.out, "failed"), `${stem}.ipynb`);
      // The claims of a failed run, for inspection and for npm run seeds.
      if (fs.existsSync(claimsFile))
        moveInto(claimsFile, path.join(o.out, "failed"), `${stem}.json`);
    }
  }
  fs.rmSync(runDir, { recursive: true, force: true });
  outcome.ok = problems.length === 0 && !outcome.stopped;
  outcome.seconds = (Date.now() - started) / 1000;
  return outcome;
}

/**
 * Removes run folders under <out>/.tmp whose runner is gone (killed outright, or an older runner
 * that never cleaned up); a folder without an owner file is removed once it is an hour old.
 */
function removeStaleRunFolders(out: string): void {
  const tmpRoot = path.join(out, ".tmp");
  let entries: string[];
  try {
    entries = fs.readdirSync(tmpRoot);
  } catch {
    return;
  }
  for (const e of entries) {
    const dir = path.join(tmpRoot, e);
    const owner = readJsonQuietly<{ pid: number }>(path.join(dir, "owner.json"));
    let stale: boolean;
    if (owner) stale = !alive(owner.pid);
    else {
      try {
        stale = Date.now() - fs.statSync(dir).mtimeMs > 3600_000;
      } catch {
        stale = false;
      }
    }
    if (stale) fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Checks everything that can be checked before a kernel starts; throws UsageError. */
function plan(argv: string[]): { o: Options; files: string[] } {
  const o = parseArgs(argv);
  const files = selectNotebooks(o.names, o.notebooks);
  const known = new Set<string>();
  for (const f of files) {
    const nb = readNotebookOrRefuse(path.join(o.notebooks, f));
    planParameters(nb, path.basename(f, ".ipynb"), o); // type-checks every --set before anything runs
    parseParameters(nb).forEach((_, k) => known.add(k));
  }
  for (const [k] of o.sets) {
    if (!known.has(k))
      throw new UsageError(
        `unknown parameter ${JSON.stringify(k)}: the selected notebooks declare ${[...known].sort().join(", ")}`,
      );
  }
  return { o, files };
}

export async function main(argv: string[]): Promise<number> {
  let o: Options;
  let files: string[];
  let python: string;
  let created: string | null;
  try {
    ({ o, files } = plan(argv));
    const choice = locateJupyterPython();
    if (choice.problem) throw new UsageError(choice.problem);
    if (!choice.python) {
      console.error(INSTALL_HELP);
      return 1;
    }
    python = choice.python;
    for (const s of choice.skipped) console.log(`note: passed over ${s}`);
    if (choice.source !== "system") console.log(`Jupyter: ${python} (from ${choice.source})`);
    ({ created } = prepareOut(o.out));
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(e.message);
      return 2;
    }
    throw e;
  }
  const stopper = new Stopper();
  stopper.install();
  try {
    try {
      ensureKernelSpec();
    } catch (e) {
      console.error((e as Error).message);
      return 1;
    }
    removeStaleRunFolders(o.out);
    console.log(
      `Running ${files.length} notebook(s) at scale ${o.scale}${o.sets.length ? ` with ${o.sets.map(([k, v]) => `${k}=${v}`).join(", ")}` : ""} → ${o.out}`,
    );
    const outcomes: Outcome[] = [];
    for (const f of files) {
      if (stopper.signal) break;
      process.stdout.write(`▶ ${f} … `);
      const r = await runNotebook(f, o, python, stopper);
      outcomes.push(r);
      if (r.stopped) {
        console.log("stopped");
        break;
      }
      console.log(`${r.ok ? "ok" : "FAILED"} (${r.seconds.toFixed(1)} s, claims ${r.claims})`);
      for (const p of r.problems) console.log(indent(`✗ ${p}`, "  "));
      for (const n of r.notes) console.log(indent(`note: ${n}`, "  "));
    }
    const finished = outcomes.filter((r) => !r.stopped);
    if (stopper.signal) {
      const stopped = outcomes.find((r) => r.stopped);
      const rest = files
        .map((f) => path.basename(f, ".ipynb"))
        .filter((s) => !outcomes.some((r) => r.stem === s));
      console.error(
        `\nStopped by ${stopper.signal}: ${stopped ? `${stopped.stopped}. Nothing of ${stopped.stem} was written: ${o.out} holds what it held before ${stopped.stem} started` : "between notebooks"}.` +
          `\n  finished before the stop: ${finished.length ? finished.map((r) => `${r.stem} (${r.ok ? "passed" : "failed"})`).join(", ") : "none"}` +
          `\n  not run: ${rest.length ? rest.join(", ") : "none"}`,
      );
      return STOP_EXIT[stopper.signal] ?? 1;
    }
    const index = path.join(o.out, "html", "index.html");
    if (o.html && fs.existsSync(index)) console.log(`index: ${index}`);
    const failed = outcomes.filter((r) => !r.ok);
    console.log(
      `\n${outcomes.length - failed.length} of ${outcomes.length} notebooks passed${failed.length ? `; failed: ${failed.map((r) => r.stem).join(", ")}` : ""}`,
    );
    return failed.length ? 1 : 0;
  } finally {
    stopper.uninstall();
    try {
      fs.rmdirSync(path.join(o.out, ".tmp")); // only when empty: a concurrent run may use it
    } catch {
      // not empty, or not there
    }
    if (created && holdsNoFile(created)) fs.rmSync(created, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
      process.exitCode = 1;
    },
  );
}
