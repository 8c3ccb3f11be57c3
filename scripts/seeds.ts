/**
 * npm run seeds: runs notebooks at N fresh seeds and reports, per claim, how often it failed.
 *
 *   npm run seeds -- [--scale quick|paper] [--seeds N] [--first S] [--out dir] [--timeout s] [name...]
 *
 * Seeds are S, S+1, …, S+N−1 (default 1…20), none of them a notebook's default. Each run is the
 * headless runner's (`--set seed=…`, no HTML) into <out>/<seed>/ (default build/seeds/<scale>).
 * Flagged, per DESIGN.md:
 * - a construction or theorem claim that ever fails (they hold at every seed);
 * - a statistical claim that passes when its null survives (law, reproduction) and fails more often
 *   than the notebook's family-wise level allows: P(X ≥ failures) < 0.05 for X ~ Bin(N, level);
 * - the same for the notebook as a whole: seeds at which any such claim failed;
 * - an erratum or finding that fails at some seed (it is not robust: its power is short);
 * - a verdict about the paper (reproduced, contradicted, inconclusive) whose outcome is not the same
 *   at every seed (REFEREE.md item 16: underpowered or mis-specified); the report gives every
 *   verdict's outcome per seed;
 * - a run that failed for any other reason (a cell, the kernel).
 * The report goes to <out>/report.md and <out>/report.json, and to the terminal.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { isFailure, type Claim, type ClaimsFile, type Kind } from "../lib/claims/ledger";
import { writeJsonAtomic } from "../lib/claims/outputs";
import { binomialCdf } from "../lib/stats/distributions";
import { NOTEBOOK_DIR, ROOT } from "./jupyter";
import {
  integerOption,
  parseCommandLine,
  refuseOverlap,
  requireFreshBuild,
  runCli,
  UsageError,
} from "./cli";
import { selectNotebooks } from "./reproduce";

interface Options {
  scale: "quick" | "paper";
  seeds: number;
  first: number;
  out: string | null;
  timeout: number | null;
  names: string[];
}

const USAGE = `usage: npm run seeds -- [--scale quick|paper] [--seeds N] [--first S] [--out dir] [--timeout s] [name...]
  name       notebooks by number or the start of their name (default: every notebook)
  --scale    quick (default) or paper
  --seeds    how many seeds (default 20)
  --first    the first seed (default 1): seeds S, S+1, …, S+N−1
  --out      where the runs and the report go (default build/seeds/<scale>)
  --timeout  seconds allowed per cell (the runner's default otherwise)
  --help     this text`;

export function parseSeedsArgs(argv: string[]): Options {
  const { values: v, positionals } = parseCommandLine(
    "seeds",
    USAGE,
    argv,
    {
      scale: { type: "string" },
      seeds: { type: "string" },
      first: { type: "string" },
      out: { type: "string" },
      timeout: { type: "string" },
    },
    true,
  );
  const scale = v.scale ?? "quick";
  if (scale !== "quick" && scale !== "paper")
    throw new UsageError(`seeds: --scale expects quick or paper, got ${JSON.stringify(scale)}`);
  const o: Options = {
    scale,
    seeds: v.seeds === undefined ? 20 : integerOption("seeds", "--seeds", v.seeds, 1),
    first: v.first === undefined ? 1 : integerOption("seeds", "--first", v.first, 0, 2 ** 32 - 1),
    out: v.out === undefined ? null : path.resolve(v.out),
    timeout: v.timeout === undefined ? null : integerOption("seeds", "--timeout", v.timeout, 1),
    names: positionals,
  };
  if (o.first + o.seeds - 1 > 2 ** 32 - 1) throw new UsageError("seeds must stay below 2^32");
  return o;
}

export interface ClaimTally {
  id: string;
  kind: Kind;
  name: string;
  statistical: boolean;
  /** The claim passes when its null survives (law, reproduction) rather than when it is rejected. */
  survives: boolean;
  runs: number;
  failures: number;
  failedSeeds: number[];
  flag: string | null;
}

/** A verdict's outcome at every seed (REFEREE.md item 16: the same at every seed, or flagged). */
export interface VerdictTally {
  id: string;
  name: string;
  outcomes: Array<{ seed: number; outcome: string }>;
  flag: string | null;
}

export interface NotebookTally {
  notebook: string;
  /** Every verdict's outcome per seed. */
  verdicts: VerdictTally[];
  seeds: number[];
  /** Seeds whose run failed without a claims file (a cell or the kernel), with the reason. */
  brokenRuns: Array<{ seed: number; reason: string }>;
  familyLevel: number | null;
  /** Seeds at which some surviving-null statistical claim failed (the notebook's family-wise error). */
  familyFailures: number[];
  familyFlag: string | null;
  claims: ClaimTally[];
  seconds: number;
}

/** P(X ≥ k) for X ~ Bin(n, p). */
function upperTail(k: number, n: number, p: number): number {
  return k <= 0 ? 1 : 1 - binomialCdf(k - 1, n, p);
}

/** Tallies the claims files of one notebook over seeds (exported for the tests). */
export function tally(
  notebook: string,
  runs: Array<{ seed: number; file: ClaimsFile | null; reason?: string }>,
): NotebookTally {
  const byId = new Map<string, ClaimTally>();
  const verdicts = new Map<string, VerdictTally>();
  const brokenRuns: NotebookTally["brokenRuns"] = [];
  const familyFailures: number[] = [];
  let familyLevel: number | null = null;
  for (const r of runs) {
    if (!r.file) {
      brokenRuns.push({ seed: r.seed, reason: r.reason ?? "no claims file" });
      continue;
    }
    familyLevel = r.file.familyLevel;
    let familyFailed = false;
    for (const c of r.file.claims as Claim[]) {
      if (c.verdict) {
        const v = verdicts.get(c.id) ?? { id: c.id, name: c.name, outcomes: [], flag: null };
        v.outcomes.push({ seed: r.seed, outcome: c.verdict.outcome });
        verdicts.set(c.id, v);
        continue;
      }
      const statistical = c.relation === "test";
      const survives = statistical && c.test?.passWhen === "not rejected";
      const t =
        byId.get(c.id) ??
        ({
          id: c.id,
          kind: c.kind,
          name: c.name,
          statistical,
          survives,
          runs: 0,
          failures: 0,
          failedSeeds: [],
          flag: null,
        } as ClaimTally);
      t.runs += 1;
      if (isFailure(c)) {
        t.failures += 1;
        t.failedSeeds.push(r.seed);
        if (survives) familyFailed = true;
      }
      byId.set(c.id, t);
    }
    if (familyFailed) familyFailures.push(r.seed);
  }
  const level = familyLevel ?? 0.01;
  const claims = [...byId.values()];
  for (const t of claims) {
    if (t.failures === 0) continue;
    if (t.survives) {
      const p = upperTail(t.failures, t.runs, level);
      if (p < 0.05)
        t.flag = `fails more often than level ${level} allows (P(X ≥ ${t.failures}) = ${p.toFixed(3)})`;
    } else if (t.kind === "construction" || t.kind === "theorem")
      t.flag = `a ${t.kind} claim failed`;
    else
      t.flag = `a${t.kind === "erratum" ? "n" : ""} ${t.kind} claim failed: not robust across seeds`;
  }
  const okRuns = runs.length - brokenRuns.length;
  for (const v of verdicts.values()) {
    const seen = new Set(v.outcomes.map((o) => o.outcome));
    if (seen.size > 1) v.flag = `the outcome differs between seeds (${[...seen].join(", ")})`;
    else if (v.outcomes.length < okRuns)
      v.flag = `computed at ${v.outcomes.length} of ${okRuns} seeds`;
  }
  const pFamily = upperTail(familyFailures.length, okRuns, level);
  const familyFlag =
    familyFailures.length > 0 && pFamily < 0.05
      ? `the notebook's statistical claims failed at ${familyFailures.length} of ${okRuns} seeds (P = ${pFamily.toFixed(3)} at level ${level})`
      : null;
  return {
    notebook,
    verdicts: [...verdicts.values()],
    seeds: runs.map((r) => r.seed),
    brokenRuns,
    familyLevel,
    familyFailures,
    familyFlag,
    claims,
    seconds: 0,
  };
}

function readClaims(dir: string, stem: string): ClaimsFile | null {
  for (const f of [
    path.join(dir, "claims", `${stem}.json`),
    path.join(dir, "failed", `${stem}.json`),
  ]) {
    if (fs.existsSync(f)) return JSON.parse(fs.readFileSync(f, "utf8")) as ClaimsFile;
  }
  return null;
}

/** The report as markdown: per notebook, the claims that ever failed, then a line per kind. */
export function reportMarkdown(scale: string, tallies: NotebookTally[]): string {
  const lines: string[] = [`# Claims at fresh seeds (scale ${scale})`, ""];
  for (const t of tallies) {
    const ok = t.seeds.length - t.brokenRuns.length;
    const flagged =
      t.claims.filter((c) => c.flag).length +
      t.verdicts.filter((v) => v.flag).length +
      (t.familyFlag ? 1 : 0) +
      t.brokenRuns.length;
    lines.push(
      `## ${t.notebook}: ${t.seeds.length} seeds (${t.seeds[0]}…${t.seeds[t.seeds.length - 1]}), ${t.seconds.toFixed(0)} s`,
    );
    lines.push("");
    lines.push(
      `${t.claims.length} claims; family-wise level ${t.familyLevel ?? "?"}; statistical failures at ${t.familyFailures.length} of ${ok} seeds; ` +
        (flagged ? `**${flagged} flag(s)**` : "no flags"),
    );
    lines.push("");
    const byKind = new Map<Kind, { n: number; failures: number; runs: number }>();
    for (const c of t.claims) {
      const k = byKind.get(c.kind) ?? { n: 0, failures: 0, runs: 0 };
      k.n += 1;
      k.failures += c.failures;
      k.runs += c.runs;
      byKind.set(c.kind, k);
    }
    lines.push("| kind | claims | failures / claim-runs |", "| --- | --- | --- |");
    for (const [k, v] of byKind) lines.push(`| ${k} | ${v.n} | ${v.failures} / ${v.runs} |`);
    lines.push("");
    const failing = t.claims.filter((c) => c.failures > 0);
    if (failing.length) {
      lines.push("| claim | kind | failed | seeds | flag |", "| --- | --- | --- | --- | --- |");
      for (const c of failing) {
        lines.push(
          `| \`${c.id}\` ${c.name.replace(/\|/g, "\\|")} | ${c.kind} | ${c.failures}/${c.runs} | ${c.failedSeeds.join(", ")} | ${c.flag ?? ""} |`,
        );
      }
      lines.push("");
    }
    if (t.verdicts.length) {
      const okSeeds = t.seeds.filter((s) => !t.brokenRuns.some((b) => b.seed === s));
      lines.push(
        `| verdict | ${okSeeds.join(" | ")} | flag |`,
        `| --- | ${okSeeds.map(() => "---").join(" | ")} | --- |`,
      );
      for (const v of t.verdicts) {
        const at = (seed: number) => v.outcomes.find((o) => o.seed === seed)?.outcome ?? "–";
        lines.push(`| \`${v.id}\` | ${okSeeds.map(at).join(" | ")} | ${v.flag ?? ""} |`);
      }
      lines.push("");
    }
    for (const b of t.brokenRuns)
      lines.push(`- seed ${b.seed}: the run failed without claims: ${b.reason.split("\n")[0]}`);
    if (t.familyFlag) lines.push(`- ${t.familyFlag}`);
    lines.push("");
  }
  return lines.join("\n");
}

export function main(argv: string[]): number {
  requireFreshBuild("seeds");
  const o: Options = parseSeedsArgs(argv);
  const files = selectNotebooks(o.names, NOTEBOOK_DIR);
  const out = o.out ?? path.join(ROOT, "build", "seeds", o.scale);
  refuseOverlap("seeds", out, NOTEBOOK_DIR);
  fs.mkdirSync(out, { recursive: true });
  const seeds = Array.from({ length: o.seeds }, (_, k) => o.first + k);
  const tallies: NotebookTally[] = [];
  for (const f of files) {
    const stem = path.basename(f, ".ipynb");
    const started = Date.now();
    const runs: Array<{ seed: number; file: ClaimsFile | null; reason?: string }> = [];
    for (const seed of seeds) {
      const dir = path.join(out, String(seed));
      const args = [
        path.join(ROOT, "dist", "scripts", "reproduce.js"),
        "--scale",
        o.scale,
        "--set",
        `seed=${seed}`,
        "--no-html",
        "--out",
        dir,
      ];
      if (o.timeout) args.push("--timeout", String(o.timeout));
      const t0 = Date.now();
      const r = spawnSync(process.execPath, [...args, stem], {
        encoding: "utf8",
        maxBuffer: 1 << 26,
      });
      const file = readClaims(dir, stem);
      // Passed out of all, as the runner counts them; inconclusive verdicts said apart (they neither
      // pass nor fail).
      const count = (f: (c: Claim) => boolean | undefined) => file?.claims.filter(f).length ?? 0;
      const undecided = count((c) => c.inconclusive);
      const line = file
        ? `${undecided ? `${undecided} inconclusive, ` : ""}${count((c) => c.passed)}/${file.claims.length} claims` +
          (count(isFailure) ? `, ${count(isFailure)} failed` : "")
        : "no claims";
      process.stdout.write(
        `${stem} seed ${seed}: ${line} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`,
      );
      runs.push({ seed, file, reason: file ? undefined : (r.stdout + r.stderr).slice(-2000) });
    }
    const t = tally(stem, runs);
    t.seconds = (Date.now() - started) / 1000;
    tallies.push(t);
  }
  const md = reportMarkdown(o.scale, tallies);
  fs.writeFileSync(path.join(out, "report.md"), md);
  writeJsonAtomic(path.join(out, "report.json"), { scale: o.scale, seeds, notebooks: tallies });
  console.log(`\n${md}\nreport: ${path.join(out, "report.md")}`);
  const flagged = tallies.some(
    (t) =>
      t.familyFlag ||
      t.brokenRuns.length ||
      t.claims.some((c) => c.flag) ||
      t.verdicts.some((v) => v.flag),
  );
  return flagged ? 1 : 0;
}

if (require.main === module) runCli(() => main(process.argv.slice(2)));
