/**
 * The headless runner: executes notebooks with the project's tslab kernel through nbclient and
 * writes, per notebook <stem>, build/notebooks/<stem>.ipynb, build/html/<stem>.html,
 * build/claims/<stem>.json and (where it reproduces numbers) build/results/<stem>.json.
 *
 *   npm run reproduce -- [--scale quick|paper] [--set key=value]... [--timeout s] [--out dir] [--no-html] [name...]
 *
 * Exit status: 0 when every cell ran and every claim passed; 1 on a failed cell, a failed claim, or
 * a fault only the kernel logged (an unawaited promise rejection, an exception in a callback);
 * 2 on bad usage (unknown notebook, parameter or option, badly typed value). Outputs of a notebook
 * are moved into place only when it succeeded, so a failed run leaves earlier results intact; its
 * executed copy goes to <out>/failed/<stem>.ipynb for inspection.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import type { ClaimsFile, RunInfo } from "../lib/claims/ledger";
import { writeJsonAtomic } from "../lib/claims/outputs";
import { exportNotebook, updateReadme, writeIndex } from "./export";
import {
  ensureKernelSpec,
  findJupyterPython,
  INSTALL_HELP,
  jupyterEnv,
  KERNEL_NAME,
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
  --no-code  leave code cells out of the HTML (by default they are collapsed, with a button to show them)
  --notebooks  folder of the notebooks (default notebooks/)`;

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

/** Notebook files selected by name fragments (all when none). */
export function selectNotebooks(names: string[], dir = NOTEBOOK_DIR): string[] {
  const all = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".ipynb"))
    .sort();
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
  const params = parseParameters(nb);
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
      for (const c of claims.claims.filter((x) => !x.passed)) {
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

function runNotebook(file: string, o: Options, python: string): Outcome {
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
  const input = path.join(runDir, "input.ipynb");
  const executedFile = path.join(runDir, `${stem}.ipynb`);
  const reportFile = path.join(runDir, "report.json");
  fs.writeFileSync(input, JSON.stringify(prepared, null, 1) + "\n");
  const env = jupyterEnv({ FRAGILITY_RUN_DIR: runDir, FRAGILITY_NOTEBOOK: stem });
  const exec = spawnSync(
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
    ],
    { env, encoding: "utf8", maxBuffer: 1 << 28 },
  );
  const problems: string[] = [];
  let claimsText = "-";
  if (exec.status !== 0 || !fs.existsSync(reportFile)) {
    problems.push(
      `the executor failed (exit ${exec.status}):\n${indent(exec.stderr || exec.error?.message || "")}`,
    );
  } else {
    const report = JSON.parse(fs.readFileSync(reportFile, "utf8")) as Report;
    const executed = readNotebook(executedFile);
    problems.push(...diagnose(executed, report, runDir, stem, injectedAt));
    // A dead kernel leaves its last words on the executor's stderr (the kernel process inherits it).
    if (report.failed?.kind === "DeadKernelError")
      problems.push(`the kernel's last output:\n${indent((exec.stderr || "(none)").slice(-4000))}`);
    const claimsFile = path.join(runDir, "claims.json");
    const resultsFile = path.join(runDir, "results.json");
    if (fs.existsSync(claimsFile)) {
      const summary = JSON.parse(fs.readFileSync(claimsFile, "utf8")) as ClaimsFile;
      claimsText = `${summary.claims.filter((c) => c.passed).length}/${summary.claims.length}`;
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
    }
    if (problems.length === 0) {
      moveInto(executedFile, path.join(o.out, "notebooks"), `${stem}.ipynb`);
      if (o.html)
        moveInto(path.join(runDir, `${stem}.html`), path.join(o.out, "html"), `${stem}.html`);
      moveInto(claimsFile, path.join(o.out, "claims"), `${stem}.json`);
      if (fs.existsSync(resultsFile))
        moveInto(resultsFile, path.join(o.out, "results"), `${stem}.json`);
      fs.rmSync(path.join(o.out, "failed", `${stem}.ipynb`), { force: true });
      fs.rmSync(path.join(o.out, "failed", `${stem}.json`), { force: true });
    } else {
      moveInto(executedFile, path.join(o.out, "failed"), `${stem}.ipynb`);
      // The claims of a failed run, for inspection and for npm run seeds.
      if (fs.existsSync(claimsFile))
        moveInto(claimsFile, path.join(o.out, "failed"), `${stem}.json`);
    }
  }
  fs.rmSync(runDir, { recursive: true, force: true });
  return {
    stem,
    ok: problems.length === 0,
    seconds: (Date.now() - started) / 1000,
    claims: claimsText,
    problems,
  };
}

export function main(argv: string[]): number {
  let o: Options;
  let files: string[];
  const python = findJupyterPython();
  try {
    o = parseArgs(argv);
    files = selectNotebooks(o.names, o.notebooks);
    const known = new Set<string>();
    for (const f of files) {
      const nb = readNotebook(path.join(o.notebooks, f));
      parseParameters(nb).forEach((_, k) => known.add(k));
      planParameters(nb, path.basename(f, ".ipynb"), o); // type-checks every --set before anything runs
    }
    for (const [k] of o.sets) {
      if (!known.has(k))
        throw new UsageError(
          `unknown parameter ${JSON.stringify(k)}: the selected notebooks declare ${[...known].sort().join(", ")}`,
        );
    }
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(e.message);
      return 2;
    }
    throw e;
  }
  if (!python) {
    console.error(INSTALL_HELP);
    return 1;
  }
  ensureKernelSpec();
  console.log(
    `Running ${files.length} notebook(s) at scale ${o.scale}${o.sets.length ? ` with ${o.sets.map(([k, v]) => `${k}=${v}`).join(", ")}` : ""} → ${o.out}`,
  );
  const outcomes: Outcome[] = [];
  for (const f of files) {
    process.stdout.write(`▶ ${f} … `);
    const r = runNotebook(f, o, python);
    outcomes.push(r);
    console.log(`${r.ok ? "ok" : "FAILED"} (${r.seconds.toFixed(1)} s, claims ${r.claims})`);
    for (const p of r.problems) console.log(indent(`✗ ${p}`, "  "));
  }
  if (o.html) {
    console.log(`index: ${writeIndex(o.out)}`);
    if (o.out === path.join(ROOT, "build") && updateReadme(o.out))
      console.log("README results table updated from this paper-scale run");
  }
  const failed = outcomes.filter((r) => !r.ok);
  console.log(
    `\n${outcomes.length - failed.length} of ${outcomes.length} notebooks passed${failed.length ? `; failed: ${failed.map((r) => r.stem).join(", ")}` : ""}`,
  );
  return failed.length ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
