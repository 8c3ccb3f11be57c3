/**
 * The headless runner: executes notebooks with the project's tslab kernel through nbclient and
 * writes, per notebook <stem>, <out>/notebooks/<stem>.ipynb, <out>/html/<stem>.html,
 * <out>/claims/<stem>.json, (where it reproduces numbers) <out>/results/<stem>.json and its log
 * <out>/logs/<stem>.log (the cells' timings, the versions, the interpreter).
 *
 *   npm run reproduce -- [--scale quick|paper] [--set key=value]... [--jobs N] [--timeout s] [--out dir] [--no-html] [name...]
 *
 * Exit status: 0 when every cell ran and every claim passed; 1 on a failed cell, a failed claim, a
 * fault only the kernel logged (an unawaited promise rejection, an exception in a callback), or no
 * Jupyter; 2 on bad usage, before anything runs (unknown notebook, parameter or option, a badly
 * typed value or seed, an --out or --notebooks folder that cannot be used or that overlaps the
 * sources, a FRAGILITY_PYTHON that names no interpreter with Jupyter, a FRAGILITY_BACKEND or
 * FRAGILITY_WORKERS that names no choice, a dist/ older than the sources); 130, 143 or 129 when
 * stopped by SIGINT, SIGTERM or SIGHUP.
 *
 * A notebook's outputs are moved into place only when it succeeded, so a failed run leaves the
 * earlier results (notebooks/, claims/, results/) intact; what the failed run made goes to
 * <out>/failed/ (<stem>.ipynb, <stem>.json its claims, <stem>.results.json, <stem>.report.json
 * what went wrong), and its page, marked failed with the failing claims first, replaces the earlier
 * page: the index and RESULTS.md show every notebook's latest run, failed or not. A stopped run
 * ends the executor, the kernel and their children, removes its temporary folder and leaves <out>
 * as it was before the notebooks in flight. The index is rewritten after every notebook, so it
 * always shows what <out> holds; PDFs and review.zip of an earlier run are removed when a notebook
 * changes <out>. The runner writes only under <out> (and the kernelspec under build/jupyter):
 * never a tracked file.
 */
import { spawn, spawnSync, type ChildProcess } from "child_process";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { isFailure, type ClaimsFile } from "../lib/claims/ledger";
import { makeFolders, writeJsonAtomic } from "../lib/claims/outputs";
import { MAX_WORKERS, resolveWorkers, WORKERS_ENV } from "../lib/experiments/config";
import { CELL_SECONDS } from "../lib/experiments/budget";
import { backendRequestProblem, BACKEND_ENV } from "../lib/training/backend-names";
import {
  integerOption,
  parseCommandLine,
  refuseOverlap,
  requireFreshBuild,
  runCli,
  UsageError,
} from "./cli";
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
import { anonymize, privateRoots } from "./anonymity";
import { EventFollower, formatElapsed, ProgressDisplay } from "./progress";
import {
  describePackage,
  fileSha256,
  packageInfo,
  type PackageInfo,
  type RunRecord,
} from "./provenance";
import { versions, writeAtomic } from "./review-index";

export { refuseOverlap, UsageError } from "./cli";

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
  /** Notebooks run side by side. */
  jobs: number;
  /** Worker threads of section 6's series (`--set workers=N`); null: FRAGILITY_WORKERS or every core. */
  workers: number | null;
}

const USAGE = `usage: npm run reproduce -- [options] [name...]
  name         a notebook by its number (7, 07) or the start of its name (07-tables, tables12,
               lemma2); default: every notebook
  --scale      quick (small sizes, for tests) or paper (the paper's sizes; default)
  --set        k=v  override one notebook parameter, e.g. --set seed=7 (repeatable);
               --set workers=N: worker threads for section 6's training (default: every core,
               or ${WORKERS_ENV}; no result depends on it)
  --jobs       N  notebooks run side by side (default 1); the cores are shared among them
  --timeout    seconds allowed per cell before it is called hung (default 1800: twice the
               900 s every configuration's estimate is checked against)
  --out        output folder (default build/); not the checkout, its sources or the notebooks' folder
  --no-html    write no HTML (a re-run notebook's old page is removed)
  --no-code    leave code cells out of the HTML (by default they are collapsed, with a button)
  --notebooks  folder of the notebooks (default notebooks/)
  --help       this text`;

/**
 * The bound within which the executor and kernel of a runner killed outright (SIGKILL, which it
 * cannot handle) end themselves and their children: the executor polls its parent every 0.5 s
 * (scripts/execute.py), then gives the kernel's process group 2 s after SIGTERM and 2 s after
 * SIGKILL; the kernel, independently, kills its own group within 1 s of the executor's end. About
 * 5 s on an idle machine; the bound leaves room for a loaded one.
 */
export const ORPHAN_BOUND_MS = 30_000;

/** Exit statuses of a run stopped by a signal (128 + the signal's number, as shells report it). */
export const STOP_EXIT: Readonly<Record<string, number>> = {
  SIGHUP: 129,
  SIGINT: 130,
  SIGTERM: 143,
};

/** Parses the command line (util.parseArgs); throws UsageError, or HelpRequested for --help. */
export function parseArgs(argv: string[]): Options {
  const { values: v, positionals } = parseCommandLine(
    "reproduce",
    USAGE,
    argv,
    {
      scale: { type: "string" },
      set: { type: "string", multiple: true },
      timeout: { type: "string" },
      out: { type: "string" },
      notebooks: { type: "string" },
      jobs: { type: "string" },
      "no-html": { type: "boolean" },
      "no-code": { type: "boolean" },
    },
    true,
  );
  const o: Options = {
    scale: v.scale ?? "paper",
    sets: [],
    names: positionals,
    out: path.resolve(v.out ?? path.join(ROOT, "build")),
    timeout:
      v.timeout === undefined
        ? 2 * CELL_SECONDS
        : integerOption("reproduce", "--timeout", v.timeout, 1),
    html: !v["no-html"],
    dropCode: !!v["no-code"],
    notebooks: path.resolve(v.notebooks ?? NOTEBOOK_DIR),
    jobs: v.jobs === undefined ? 1 : integerOption("reproduce", "--jobs", v.jobs, 1, 64),
    workers: null,
  };
  for (const kv of v.set ?? []) {
    const eq = kv.indexOf("=");
    if (eq <= 0) throw new UsageError(`--set expects key=value, got ${JSON.stringify(kv)}`);
    const [key, value] = [kv.slice(0, eq), kv.slice(eq + 1)];
    if (key === "scale") throw new UsageError("the scale is set by --scale, not --set scale=…");
    if (key === "workers") {
      // The runner's own setting (FRAGILITY_WORKERS in the kernel's environment): the notebooks'
      // numbers do not depend on it, so it is not a notebook parameter nor an override.
      o.workers = integerOption("reproduce", "parameter workers", value, 1, MAX_WORKERS);
      continue;
    }
    o.sets.push([key, value]);
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

/**
 * Whether a name on the command line selects a notebook: its number ("1", "01" select
 * 01-lemma2-chernoff and nothing else), the start of its file name ("01-lemma"), or the start of
 * the name after its number ("lemma2"). Never a substring elsewhere ("1" does not select 10).
 */
export function matchesName(file: string, name: string): boolean {
  const stem = file.replace(/\.ipynb$/, "");
  const n = name.replace(/\.ipynb$/, "");
  if (!n) return false;
  const number = /^(\d+)(?:-|$)/.exec(stem);
  if (/^\d+$/.test(n)) return !!number && Number(number[1]) === Number(n);
  if (stem.startsWith(n)) return true;
  return !!number && stem.slice(number[0].length).startsWith(n);
}

/** Notebook files selected by name (all when none): see matchesName. */
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
    const hits = all.filter((f) => matchesName(f, n));
    if (hits.length === 0)
      throw new UsageError(
        `no notebook matches ${JSON.stringify(n)} (by its number or the start of its name); notebooks: ${all.join(", ")}`,
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
 * Gives every cell without an id a fixed one (nbformat 4.5 requires ids, and nbformat would add
 * random ones when it writes the executed notebook: two runs would then differ). The ids are
 * "cell-<index>", made unique against the ids the notebook has.
 */
export function fixCellIds(nb: Notebook): void {
  if (nb.nbformat < 4 || (nb.nbformat === 4 && nb.nbformat_minor < 5)) return;
  const taken = new Set(nb.cells.map((c) => c.id).filter((x): x is string => !!x));
  nb.cells.forEach((c, i) => {
    if (c.id) return;
    let id = `cell-${i}`;
    for (let k = 1; taken.has(id); k++) id = `cell-${i}-${k}`;
    taken.add(id);
    c.id = id;
  });
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
  /** Executors in flight, with their run folders (several with --jobs). */
  private readonly children = new Map<ChildProcess, string>();
  private timer: NodeJS.Timeout | null = null;
  private readonly handlers = new Map<NodeJS.Signals, () => void>();
  /** Grace for the executors to end their kernels themselves, before everything is killed. */
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
    this.children.set(child, runDir);
    if (this.signal) this.stopChild(child);
  }

  detach(child: ChildProcess): void {
    this.children.delete(child);
    if (this.children.size === 0 && this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }

  private onSignal(sig: NodeJS.Signals): void {
    if (this.signal) {
      // A second signal: no more grace.
      this.killAll();
      return;
    }
    this.signal = sig;
    process.stderr.write(`\n${sig} received: stopping the run…\n`);
    for (const child of this.children.keys()) this.stopChild(child);
  }

  private stopChild(child: ChildProcess): void {
    const pid = child.pid;
    if (pid === undefined) return;
    // The executor leads its own process group (spawned detached): TERM reaches it and anything it
    // started there; it ends its kernel's group itself.
    killGroup(pid, "SIGTERM");
    this.timer ??= setTimeout(() => this.killAll(), Stopper.GRACE_MS);
  }

  private killAll(): void {
    for (const [child, runDir] of this.children) {
      if (child.pid !== undefined) killGroup(child.pid, "SIGKILL");
      killKernelGroup(runDir);
    }
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
  makeFolders(dir);
  fs.renameSync(file, path.join(dir, name));
}

/** Lets pending signal handlers run (a signal that arrived during synchronous work). */
function settle(): Promise<void> {
  return new Promise((r) => setTimeout(r, 20));
}

/** What every notebook of a run shares. */
interface RunContext {
  o: Options;
  python: string;
  pythonSource: string;
  /** The interpreter's and Jupyter's versions, for the logs. */
  pythonVersions: string;
  stopper: Stopper;
  display: ProgressDisplay;
  pkg: PackageInfo;
  /** FRAGILITY_WORKERS for the kernels, and where the number came from. */
  workers: { value: number; source: string };
  /** Set once the run removed an earlier export's PDFs and archive. */
  exportsRemoved: boolean;
}

/** The files a failed run leaves in <out>/failed/ for a notebook. */
export const FAILED_FILES = (stem: string) => ({
  notebook: `${stem}.ipynb`,
  claims: `${stem}.json`,
  results: `${stem}.results.json`,
  report: `${stem}.report.json`,
});

/** What <out>/failed/<stem>.report.json holds: why the latest run of a notebook failed. */
export interface FailureReport {
  notebook: string;
  problems: string[];
  run: RunRecord;
}

/** The notebook's path as the records give it: relative to the checkout, else its file name. */
function sourceName(file: string): string {
  const rel = path.relative(ROOT, file);
  return rel.startsWith("..") || path.isAbsolute(rel) ? path.basename(file) : rel;
}

/**
 * PDFs and the archive show the pages of the run they were printed from: once a notebook changes
 * <out>, they would no longer match the index; they are removed (print them again with
 * `npm run export -- --pdf --archive`).
 */
function removeEarlierExports(ctx: RunContext, notes: string[]): void {
  if (ctx.exportsRemoved) return;
  ctx.exportsRemoved = true;
  const gone: string[] = [];
  for (const name of ["pdf", "review.zip"]) {
    const p = path.join(ctx.o.out, name);
    if (fs.existsSync(p)) {
      fs.rmSync(p, { recursive: true, force: true });
      gone.push(name === "pdf" ? "pdf/" : name);
    }
  }
  if (gone.length)
    notes.push(
      `removed ${gone.join(" and ")}: printed from an earlier run (npm run export -- --pdf --archive prints this one)`,
    );
}

/** The per-notebook log: what ran, with what, how long each cell took, and what happened. */
function writeLog(
  ctx: RunContext,
  file: string,
  stem: string,
  o: {
    sha256: string;
    values: Map<string, string | number | boolean>;
    outcome: Outcome;
    timings: Array<{ cell: string; seconds: number; ok: boolean }>;
    started: Date;
    executorOutput: string;
  },
): void {
  const v = versions();
  const lines = [
    `notebook   ${sourceName(file)} (sha256 ${o.sha256})`,
    `outcome    ${o.outcome.ok ? "passed" : "FAILED"} in ${formatElapsed(o.outcome.seconds * 1000)}; claims ${o.outcome.claims}`,
    `started    ${o.started.toISOString()}`,
    `parameters ${[...o.values].map(([k, x]) => `${k}=${JSON.stringify(x)}`).join(", ")}`,
    `workers    ${ctx.workers.value} (${ctx.workers.source}) for section 6's training; no number depends on it`,
    `package    ${describePackage(ctx.pkg)}`,
    `versions   Node ${v.Node}, tslab ${v.tslab}, TypeScript ${v.TypeScript}, tfjs ${v.tfjs}`,
    `python     ${ctx.python} (${ctx.pythonSource}): ${ctx.pythonVersions}`,
    `kernel     ${KERNEL_NAME}; per-cell timeout ${ctx.o.timeout} s`,
    `backend    ${process.env[BACKEND_ENV] ? `${BACKEND_ENV}=${process.env[BACKEND_ENV]}` : "the first available (tfjs-node, WebAssembly, plain JavaScript)"}`,
    "",
    "cells (numbered as in the notebook, from 1, markdown included)",
    ...o.timings.map(
      (t) =>
        `  ${t.cell.padEnd(28)} ${t.seconds.toFixed(3).padStart(10)} s  ${t.ok ? "ok" : "FAILED"}`,
    ),
    "",
    ...(o.outcome.problems.length
      ? ["problems", ...o.outcome.problems.map((p) => indent(p, "  ")), ""]
      : []),
    ...(o.outcome.notes.length ? ["notes", ...o.outcome.notes.map((n) => `  ${n}`), ""] : []),
    "the executor's and the kernel's own output (last 20000 characters)",
    indent(o.executorOutput.slice(-20000) || "(none)", "  "),
    "",
  ];
  writeAtomic(path.join(ctx.o.out, "logs", `${stem}.log`), lines.join("\n"));
}

async function runNotebook(file: string, ctx: RunContext): Promise<Outcome> {
  const { o, python, stopper, display } = ctx;
  const stem = path.basename(file, ".ipynb");
  const started = Date.now();
  const startedAt = new Date();
  const source = path.join(o.notebooks, file);
  const sha256 = fileSha256(source);
  const nb = readNotebook(source);
  const values = planParameters(nb, stem, o);
  const prepared = injectParameters(nb, values);
  fixCellIds(prepared);
  const overrides = Object.fromEntries([...values].filter(([k]) => k !== "scale"));
  const injectedAt = parametersCellIndex(nb) + 1; // every run injects at least the scale
  const tmpRoot = path.join(o.out, ".tmp");
  makeFolders(tmpRoot);
  const runDir = fs.mkdtempSync(path.join(tmpRoot, `${stem}-`));
  fs.writeFileSync(path.join(runDir, "owner.json"), JSON.stringify({ pid: process.pid }) + "\n");
  const input = path.join(runDir, "input.ipynb");
  const executedFile = path.join(runDir, `${stem}.ipynb`);
  const reportFile = path.join(runDir, "report.json");
  fs.writeFileSync(input, JSON.stringify(prepared, null, 1) + "\n");
  const env = jupyterEnv({
    FRAGILITY_RUN_DIR: runDir,
    FRAGILITY_NOTEBOOK: stem,
    [WORKERS_ENV]: String(ctx.workers.value),
  });
  const outcome: Outcome = { stem, ok: false, seconds: 0, claims: "-", problems: [], notes: [] };
  const cellLabel = (i: number) => cellName(i, injectedAt, prepared.cells.length);
  // Progress: the executor's cell events, followed while it runs.
  const follower = new EventFollower(path.join(runDir, "progress.jsonl"));
  const timings: Array<{ cell: string; seconds: number; ok: boolean }> = [];
  const follow = () => {
    for (const e of follower.read()) {
      if (e.event === "start") display.cell(stem, cellLabel(e.cell));
      else timings.push({ cell: cellLabel(e.cell), seconds: e.seconds ?? 0, ok: e.ok !== false });
    }
  };
  display.begin(stem, file);
  const poll = setInterval(follow, 250);
  let exec: Executed;
  try {
    exec = await execute(
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
  } finally {
    clearInterval(poll);
  }
  follow();
  // Whatever happened, nothing of this notebook's run outlives it.
  const ended = await endRunProcesses(runDir);
  const problems = outcome.problems;
  if (ended && !stopper.signal)
    outcome.notes.push(`ended ${ended} process(es) that ${stem} left running after it finished`);
  const claimsFile = path.join(runDir, "claims.json");
  const resultsFile = path.join(runDir, "results.json");
  const run: RunRecord = {
    scale: o.scale,
    seed: 0,
    overrides,
    source: { notebook: sourceName(source), sha256 },
    package: ctx.pkg,
  };
  let executed = false;
  if (stopper.signal) {
    const progress = readJsonQuietly<{ cell: number }>(path.join(runDir, "progress.json"));
    const kernel = readJsonQuietly<{ pid: number }>(path.join(runDir, "kernel.json"));
    const at =
      progress && progress.cell >= 0 && progress.cell < prepared.cells.length
        ? ` at ${cellLabel(progress.cell)}`
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
    executed = true;
    const report = JSON.parse(fs.readFileSync(reportFile, "utf8")) as Report;
    const executedNb = readNotebook(executedFile);
    problems.push(...diagnose(executedNb, report, runDir, stem, injectedAt));
    // A dead kernel leaves its last words on the executor's stderr (the kernel process inherits it).
    if (report.failed?.kind === "DeadKernelError")
      problems.push(`the kernel's last output:\n${indent((exec.output || "(none)").slice(-4000))}`);
    if (fs.existsSync(claimsFile)) {
      const summary = JSON.parse(fs.readFileSync(claimsFile, "utf8")) as ClaimsFile;
      const undecided = summary.claims.filter((c) => c.inconclusive).length;
      outcome.claims =
        (undecided ? `${undecided} inconclusive, ` : "") +
        `${summary.claims.filter((c) => c.passed).length}/${summary.claims.length}`;
      run.seed = summary.seed;
    } else {
      const seed = values.get("seed");
      run.seed = typeof seed === "number" ? seed : 0;
    }
    // What the runner ran, recorded beside what the notebook reports.
    for (const f of [claimsFile, resultsFile].filter((x) => fs.existsSync(x)))
      writeJsonAtomic(f, { ...(JSON.parse(fs.readFileSync(f, "utf8")) as object), run });
  }
  const failed = !outcome.stopped && problems.length > 0;
  // The page: of a passing run, or of a failed one (marked failed, its failing claims first).
  if (!outcome.stopped && o.html && executed) {
    try {
      const summary = readJsonQuietly<ClaimsFile>(claimsFile);
      exportNotebook(executedFile, path.join(runDir, `${stem}.html`), {
        summary,
        python,
        dropCode: o.dropCode,
        failure: failed ? { problems: [...problems] } : undefined,
        roots: [
          { what: "output folder", path: o.out, label: "<out>" },
          { what: "notebooks' folder", path: o.notebooks, label: "<notebooks>" },
        ],
      });
    } catch (e) {
      problems.push(`HTML export failed: ${(e as Error).message}`);
    }
    // The export runs synchronously: a signal that came meanwhile is handled now, and stops this
    // notebook before anything of it reaches <out>.
    await settle();
    if (stopper.signal) outcome.stopped = `${stem} while exporting its HTML`;
  }
  outcome.seconds = (Date.now() - started) / 1000;
  if (!outcome.stopped) {
    // Synchronous from here on: a signal cannot stop it halfway.
    const failedDir = path.join(o.out, "failed");
    const names = FAILED_FILES(stem);
    const page = path.join(o.out, "html", `${stem}.html`);
    const builtPage = path.join(runDir, `${stem}.html`);
    if (problems.length === 0) {
      moveInto(executedFile, path.join(o.out, "notebooks"), `${stem}.ipynb`);
      if (o.html) moveInto(builtPage, path.join(o.out, "html"), `${stem}.html`);
      moveInto(claimsFile, path.join(o.out, "claims"), `${stem}.json`);
      const results = path.join(o.out, "results", `${stem}.json`);
      if (fs.existsSync(resultsFile)) moveInto(resultsFile, path.dirname(results), `${stem}.json`);
      else fs.rmSync(results, { force: true }); // an earlier run's numbers are not this run's
      for (const f of Object.values(names)) fs.rmSync(path.join(failedDir, f), { force: true });
      if (!o.html && fs.existsSync(page)) {
        fs.rmSync(page);
        outcome.notes.push(
          `removed ${path.relative(o.out, page)}: it showed an earlier run of ${stem}, re-run now without HTML`,
        );
      }
    } else {
      // The earlier passing run's notebooks/, claims/ and results/ stay; what this run made goes
      // to failed/, and its page (or none) replaces the earlier one: the latest run is shown.
      for (const f of Object.values(names)) fs.rmSync(path.join(failedDir, f), { force: true });
      if (fs.existsSync(executedFile)) moveInto(executedFile, failedDir, names.notebook);
      if (fs.existsSync(claimsFile)) moveInto(claimsFile, failedDir, names.claims);
      if (fs.existsSync(resultsFile)) moveInto(resultsFile, failedDir, names.results);
      // The report goes into the archive: local paths (a stack trace through node_modules) out.
      const roots = privateRoots([
        { what: "output folder", path: o.out, label: "<out>" },
        { what: "notebooks' folder", path: o.notebooks, label: "<notebooks>" },
      ]);
      const report: FailureReport = {
        notebook: stem,
        problems: problems.map((p) => anonymize(p, roots)),
        run,
      };
      makeFolders(failedDir);
      writeJsonAtomic(path.join(failedDir, names.report), report);
      if (o.html && fs.existsSync(builtPage))
        moveInto(builtPage, path.join(o.out, "html"), `${stem}.html`);
      else if (fs.existsSync(page)) {
        fs.rmSync(page);
        outcome.notes.push(
          `removed ${path.relative(o.out, page)}: it showed an earlier run of ${stem}, whose latest run failed${o.html ? " before it could be exported" : " (run without HTML)"}`,
        );
      }
    }
    removeEarlierExports(ctx, outcome.notes);
    // The index lists every notebook's latest run: rewrite it whenever <out> changes.
    if (o.html || fs.existsSync(path.join(o.out, "html", "index.html"))) {
      try {
        writeIndex(o.out);
      } catch (e) {
        problems.push(`writing the index failed: ${errorText(e)}`);
      }
    }
    outcome.ok = problems.length === 0;
    try {
      writeLog(ctx, source, stem, {
        sha256,
        values,
        outcome,
        timings,
        started: startedAt,
        executorOutput: exec.output,
      });
    } catch (e) {
      outcome.notes.push(`could not write logs/${stem}.log: ${errorText(e)}`);
    }
  }
  fs.rmSync(runDir, { recursive: true, force: true });
  display.end(stem);
  return outcome;
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
      stopper.detach(child);
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
function plan(argv: string[]): { o: Options; files: string[]; workers: RunContext["workers"] } {
  const o = parseArgs(argv);
  const files = selectNotebooks(o.names, o.notebooks);
  refuseOverlap("reproduce", o.out, o.notebooks);
  const known = new Set<string>();
  for (const f of files) {
    const nb = readNotebookOrRefuse(path.join(o.notebooks, f));
    planParameters(nb, path.basename(f, ".ipynb"), o); // type-checks every --set before anything runs
    parseParameters(nb).forEach((_, k) => known.add(k));
  }
  for (const [k] of o.sets) {
    if (!known.has(k))
      throw new UsageError(
        `unknown parameter ${JSON.stringify(k)}: the selected notebooks declare ${[...known].sort().join(", ")} (and the runner takes workers)`,
      );
  }
  const backend = backendRequestProblem(process.env[BACKEND_ENV]);
  if (backend) throw new UsageError(`reproduce: ${backend}`);
  let workers: RunContext["workers"];
  try {
    if (o.workers !== null) workers = { value: o.workers, source: "--set workers" };
    else if (process.env[WORKERS_ENV])
      workers = { value: resolveWorkers("reproduce"), source: WORKERS_ENV };
    else {
      // Notebooks side by side share the cores.
      const cores = resolveWorkers("reproduce");
      workers = {
        value: Math.max(1, Math.floor(cores / Math.min(o.jobs, files.length))),
        source:
          o.jobs > 1 && files.length > 1
            ? `the machine's ${cores} cores shared by ${Math.min(o.jobs, files.length)} notebooks at a time`
            : "every core",
      };
    }
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  return { o, files, workers };
}

/** The Jupyter interpreter's and packages' versions, for the logs. */
function pythonVersions(python: string): string {
  const r = spawnSync(
    python,
    [
      "-c",
      "import sys, nbclient, nbconvert, nbformat, jupyter_client; print('Python', sys.version.split()[0] + ', nbclient', nbclient.__version__ + ', nbconvert', nbconvert.__version__ + ', nbformat', nbformat.__version__ + ', jupyter_client', jupyter_client.__version__)",
    ],
    { encoding: "utf8", timeout: 60_000 },
  );
  return r.status === 0 ? r.stdout.trim() : "(versions unknown)";
}

/** Runs tasks with at most `limit` at a time; starts none once `stop()` holds. */
async function pool<T, R>(
  items: T[],
  limit: number,
  stop: () => boolean,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const lane = async () => {
    while (next < items.length && !stop()) {
      const item = items[next++];
      results.push(await work(item));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

export async function main(argv: string[]): Promise<number> {
  let o: Options;
  let files: string[];
  let python: string;
  let pythonSource: string;
  let created: string | null;
  let workers: RunContext["workers"];
  try {
    requireFreshBuild("reproduce");
    ({ o, files, workers } = plan(argv));
    const choice = locateJupyterPython();
    if (choice.problem) throw new UsageError(choice.problem);
    if (!choice.python) {
      console.error(INSTALL_HELP);
      return 1;
    }
    python = choice.python;
    pythonSource = choice.source;
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
  const display = new ProgressDisplay(process.stdout);
  const ticker = setInterval(() => display.tick(), 1000);
  ticker.unref();
  try {
    try {
      ensureKernelSpec();
    } catch (e) {
      console.error((e as Error).message);
      return 1;
    }
    removeStaleRunFolders(o.out);
    const ctx: RunContext = {
      o,
      python,
      pythonSource,
      pythonVersions: pythonVersions(python),
      stopper,
      display,
      pkg: packageInfo(),
      workers,
      exportsRemoved: false,
    };
    const jobs = Math.min(o.jobs, files.length);
    display.line(
      `Running ${files.length} notebook(s) at scale ${o.scale}${o.sets.length ? ` with ${o.sets.map(([k, v]) => `${k}=${v}`).join(", ")}` : ""}` +
        `${jobs > 1 ? `, ${jobs} at a time` : ""}; ${workers.value} worker thread(s) each for training → ${o.out}`,
    );
    const outcomes = await pool(
      files,
      jobs,
      () => stopper.signal !== null,
      async (f) => {
        const r = await runNotebook(f, ctx);
        if (!r.stopped) {
          display.line(
            `${r.ok ? "✓" : "✗"} ${f} ${r.ok ? "ok" : "FAILED"} (${r.seconds.toFixed(1)} s, claims ${r.claims})`,
          );
          for (const p of r.problems) display.line(indent(`✗ ${p}`, "  "));
          for (const n of r.notes) display.line(indent(`note: ${n}`, "  "));
        }
        return r;
      },
    );
    display.stop();
    const finished = outcomes.filter((r) => !r.stopped);
    if (stopper.signal) {
      const stopped = outcomes.filter((r) => r.stopped);
      const rest = files
        .map((f) => path.basename(f, ".ipynb"))
        .filter((s) => !outcomes.some((r) => r.stem === s));
      const names = stopped.map((r) => r.stem).join(", ");
      console.error(
        `\nStopped by ${stopper.signal}: ${stopped.length ? `${stopped.map((r) => r.stopped).join("; ")}. Nothing of ${names} was written: ${o.out} holds what it held before ${names} started` : "between notebooks"}.` +
          `\n  finished before the stop: ${finished.length ? finished.map((r) => `${r.stem} (${r.ok ? "passed" : "failed"})`).join(", ") : "none"}` +
          `\n  not run: ${rest.length ? rest.join(", ") : "none"}`,
      );
      return STOP_EXIT[stopper.signal] ?? 1;
    }
    const index = path.join(o.out, "html", "index.html");
    if (o.html && fs.existsSync(index)) console.log(`index: ${index}`);
    console.log(`logs: ${path.join(o.out, "logs")}`);
    const failed = outcomes.filter((r) => !r.ok);
    console.log(
      `\n${outcomes.length - failed.length} of ${outcomes.length} notebooks passed${failed.length ? `; failed: ${failed.map((r) => r.stem).join(", ")}` : ""}`,
    );
    return failed.length ? 1 : 0;
  } finally {
    clearInterval(ticker);
    display.stop();
    stopper.uninstall();
    try {
      fs.rmdirSync(path.join(o.out, ".tmp")); // only when empty: a concurrent run may use it
    } catch {
      // not empty, or not there
    }
    if (created && holdsNoFile(created)) fs.rmSync(created, { recursive: true, force: true });
  }
}

if (require.main === module) runCli(() => main(process.argv.slice(2)));
