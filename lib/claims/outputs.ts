import { randomBytes } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { threadId } from "worker_threads";
import type { Claim, Ledger, RunInfo } from "./ledger";
import type { VerdictNumbers } from "../stats/verdict";

/**
 * A headless run (scripts/reproduce) tells the kernel where to leave its outputs through these
 * environment variables; the runner moves them into build/ only when the whole notebook succeeded.
 */
export const RUN_DIR_ENV = "FRAGILITY_RUN_DIR";
export const NOTEBOOK_ENV = "FRAGILITY_NOTEBOOK";

/** The notebook's stem in a headless run, else the given fallback. */
export function notebookName(fallback: string): string {
  return process.env[NOTEBOOK_ENV] || fallback;
}

/**
 * mkdir -p, one level at a time: Node's recursive mkdirSync loops for ever where mkdir answers
 * ENOENT under a folder that exists, as it does under /proc. Throws mkdir's error (ENOENT, EACCES,
 * ENOTDIR, EROFS, …). Returns the first folder it created, or null when dir existed.
 */
export function makeFolders(dir: string): string | null {
  const missing: string[] = [];
  for (let d = path.resolve(dir); !fs.existsSync(d); d = path.dirname(d)) {
    if (path.dirname(d) === d) break;
    missing.unshift(d);
  }
  for (const d of missing) {
    try {
      fs.mkdirSync(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e; // made meanwhile by another writer
    }
  }
  return missing[0] ?? null;
}

/**
 * Writes JSON to file atomically: a temporary file beside it, then a rename. The temporary name is
 * unique per call (pid, thread and random bytes), so concurrent writers of one file, in one
 * process or several, never share it; it is removed when the write fails.
 */
export function writeJsonAtomic(file: string, data: unknown): void {
  makeFolders(path.dirname(file));
  const tmp = `${file}.${process.pid}-${threadId}-${randomBytes(6).toString("hex")}.tmp`;
  try {
    fs.writeFileSync(tmp, JSON.stringify(data, null, 2) + "\n");
    fs.renameSync(tmp, file);
  } catch (e) {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // the temporary file could not be created in the first place
    }
    throw e;
  }
}

/** The file in the headless run's directory, or null in an interactive session. */
function runFile(name: string): string | null {
  const dir = process.env[RUN_DIR_ENV];
  return dir ? path.join(dir, name) : null;
}

/**
 * Writes the claims summary for the runner (claims.json in the run directory). In an interactive
 * session there is no run directory and nothing is written. Returns nothing: tslab prints a cell's
 * last value, and a path to a temporary folder would make executed notebooks differ between runs.
 */
export function saveClaims(
  ledger: Ledger,
  meta: { scale: string; seed: number; backend: string },
): void {
  const file = runFile("claims.json");
  if (file) writeJsonAtomic(file, ledger.toJSON(meta));
}

/** One reproduced (or measured) number beside the paper's, for the index and the README table. */
export interface Headline {
  quantity: string;
  ours: string | number;
  /** A confidence interval around `ours`, where it has one. */
  interval?: { lo: number; hi: number; level: number };
  paper: string | number;
  /** A verdict computed from the numbers (never typed in), e.g. "consistent (p = 0.31)". */
  verdict?: string;
  note?: string;
}

/** The named random streams of a protocol that chooses an unstated setting (issue: no circular selection). */
export interface Streams {
  /** Seeds the runs on which unstated settings are chosen. */
  selection: string;
  /** Seeds the fresh runs on which every claim about the paper is evaluated. */
  evaluation: string;
}

/** A consistency test of the paper's reported outcome at one setting of a grid. */
export interface ConsistencyRow {
  setting: { batchSize: number; scaleFactor: number };
  runs: number;
  rate: { estimate: number; lo: number; hi: number };
  pValue: number;
  consistent: boolean;
}

/** A verdict about the paper as results files carry it (one per verdict claim of the ledger). */
export interface VerdictRow {
  id: string;
  /** The paper's statement, quoted. */
  statement: string;
  outcome: VerdictNumbers["outcome"];
  scale: VerdictNumbers["scale"];
  /** The margin the deviation was decided against, and where it comes from. */
  margin: [number, number];
  marginSource: string;
  ours: number;
  paper: number;
  /** The deviation (ours − paper's, or ours / paper's) and its interval at 1 − 2·level. */
  estimate: number;
  interval: [number, number];
  level: number;
  /** What the verdict resolves with 90% power. */
  detectable: VerdictNumbers["detectable"];
  /** The half-width the paper's own sample leaves with ours infinite, and whether reproduction is decidable at all. */
  floor: number;
  reproducible: boolean;
  /** For a verdict made of parts: the part whose numbers these are. */
  decidedBy?: string;
  /** Why it could not be computed (then inconclusive). */
  untestable?: string;
}

/** The verdict rows of a notebook's claims (its results file's `verdicts`), inconclusive ones first. */
export function verdictRows(claims: readonly Claim[]): VerdictRow[] {
  const rank = { inconclusive: 0, contradicted: 1, reproduced: 2 } as const;
  return claims
    .filter((c) => c.verdict)
    .map((c) => {
      const v = c.verdict!;
      return {
        id: c.id,
        statement: `${c.name} — ${v.statement}`,
        outcome: v.outcome,
        scale: v.scale,
        margin: v.margin,
        marginSource: v.marginSource,
        ours: v.ours,
        paper: v.paper,
        estimate: v.estimate,
        interval: v.interval,
        level: v.level,
        detectable: v.detectable,
        floor: v.floor,
        reproducible: v.reproducible,
        ...(v.decidedBy !== undefined ? { decidedBy: v.decidedBy } : {}),
        ...(v.untestable ? { untestable: v.untestable } : {}),
      };
    })
    .sort((a, b) => rank[a.outcome] - rank[b.outcome]);
}

/** build/results/<stem>.json: the reproduced numbers, the headline rows and what the notebook adds. */
export interface ResultsFile {
  notebook: string;
  scale: string;
  seed: number;
  backend: string;
  headline: Headline[];
  /** The notebook's verdicts about the paper (reproduced, contradicted, inconclusive), inconclusive first. */
  verdicts?: VerdictRow[];
  streams?: Streams;
  consistency?: ConsistencyRow[];
  /** Written by the runner: the run's scale, seed and overrides. */
  run?: RunInfo;
  /** Anything else the notebook reports (tables, per-run numbers). */
  [key: string]: unknown;
}

/** Writes the reproduced numbers (results.json in the run directory), e.g. tables beside the paper's values. */
export function saveResults(results: ResultsFile): void {
  const file = runFile("results.json");
  if (file) writeJsonAtomic(file, results);
}
