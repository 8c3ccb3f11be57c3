/**
 * Is the paper's reported outcome plausible at a setting? (Issue "Section 6 without circular
 * selection".) H₀: the paper's runs are i.i.d. from the same distribution as our runs at that
 * setting. Each reported number is compared with ours by a two-sample test, and the components are
 * combined by Bonferroni:
 * - Tables 1–2 (section 6: 50 runs, 20 valid, 18 of them with |cos θ₂| > 0.9, three means over
 *   those 18): Fisher's exact test of 20 of 50 against our valid runs of n; Fisher's exact test of
 *   18 of 20 against our kept runs of our valid ones; and Hotelling's T² test of the three means
 *   (the paper's 18 kept runs against ours, lib/stats/twosample.ts), testable with at least
 *   `reportedMeansMinRecords(3)` kept runs of ours.
 * - Table 3 (the mean and median of ρ over 50 accurate networks, at every α of the stencil): the
 *   two-sided t test of the stencil average of the mean row (each network's ρ averaged over the
 *   stencil; the paper's 50 networks against ours), testable with at least
 *   `reportedMeansMinRecords(1)` accurate networks. The median row has no test of this kind (its
 *   sampling law depends on the unknown law of ρ); it is shown beside ours, not tested.
 * Over a grid, the settings whose p-value exceeds the level form a (1 − level) confidence set for
 * the paper's setting; "no setting reproduces the table" is rejected by the intersection–union
 * test, whose p-value is the largest p-value of the grid.
 */
import { requireInteger } from "../check";
import type { Section6 } from "../data/paper";
import { clopperPearson } from "../stats/tests";
import { mean } from "../stats/summary";
import {
  bonferroni,
  fisherExact,
  reportedMeansMinRecords,
  reportedMeansTest,
  type ReportedMeansTest,
} from "../stats/twosample";
import type { LinearRun } from "./linear-run";
import type { ReluRun } from "./relu-run";

export interface Rate {
  successes: number;
  trials: number;
  estimate: number;
  /** 95% Clopper–Pearson interval. */
  lo: number;
  hi: number;
}

export function rate(successes: number, trials: number): Rate {
  if (trials === 0) return { successes, trials, estimate: Number.NaN, lo: 0, hi: 1 };
  const ci = clopperPearson(successes, trials, 0.95);
  return { successes, trials, estimate: successes / trials, lo: ci.lo, hi: ci.hi };
}

/** Kept runs of Table 2: valid, with |cos θ₂| above the threshold. */
export function keptRuns(runs: readonly LinearRun[], cos2Threshold: number): LinearRun[] {
  return runs.filter((r) => r.valid && Math.abs(r.cos2) > cos2Threshold);
}

/** Table 2's three means over the kept runs: |cos θ₁|, φ and ||cos θ₁| − φ|. */
export function table2Means(kept: readonly LinearRun[]): [number, number, number] {
  if (kept.length === 0) return [Number.NaN, Number.NaN, Number.NaN];
  return [
    mean(kept.map((r) => Math.abs(r.cos1))),
    mean(kept.map((r) => r.phi)),
    mean(kept.map((r) => Math.abs(Math.abs(r.cos1) - r.phi))),
  ];
}

export interface Tables12Test {
  runs: number;
  valid: Rate;
  /** Kept runs among the valid ones. */
  kept: Rate;
  /** Fisher's exact test of the paper's valid count (of its runs) against ours. */
  pValid: number;
  /** Fisher's exact test of the paper's kept count (of its valid runs) against ours. */
  pKept: number;
  /** The three means, the paper's kept runs against ours (null with too few kept runs to test). */
  means: ReportedMeansTest | null;
  /** Bonferroni over the components that could be computed. */
  pValue: number;
}

/** The consistency test of section 6's Tables 1–2 outcome with our runs at one setting. */
export function tables12Consistency(
  runs: readonly LinearRun[],
  paper: Section6["table2"],
  cos2Threshold: number,
): Tables12Test {
  const valid = runs.filter((r) => r.valid);
  const kept = keptRuns(runs, cos2Threshold);
  const pValid = fisherExact(paper.valid, paper.runs, valid.length, runs.length).pValue;
  const pKept = valid.length
    ? fisherExact(paper.kept, paper.valid, kept.length, valid.length).pValue
    : Number.NaN;
  const reported = [paper.meanAbsCos1, paper.meanPhi, paper.meanAbsDiff];
  const records = kept.map((r) => {
    const c = Math.abs(r.cos1);
    return [c, r.phi, Math.abs(c - r.phi)];
  });
  const means =
    kept.length >= reportedMeansMinRecords(3)
      ? reportedMeansTest(records, paper.kept, reported)
      : null;
  return {
    runs: runs.length,
    valid: rate(valid.length, runs.length),
    kept: rate(kept.length, valid.length),
    pValid,
    pKept,
    means,
    pValue: bonferroni([pValid, pKept, means ? means.pValue : Number.NaN]),
  };
}

/** Each network's ρ averaged over Table 3's stencil (the records behind the stencil average of the mean row). */
export function stencilAverages(accurate: readonly ReluRun[]): number[] {
  return accurate.map((r) => mean(r.rho));
}

export interface Table3Test {
  runs: number;
  accurate: Rate;
  /** The t test of the mean row's stencil average (null with too few accurate networks to test). */
  test: ReportedMeansTest | null;
  pValue: number;
}

/**
 * The consistency test of Table 3 (50 accurate networks: the mean of ρ at each α) with our accurate
 * networks at one setting: the stencil average of the mean row, the paper's against ours.
 */
export function table3Consistency(
  runs: readonly ReluRun[],
  paper: Section6["table3"],
  networks: number,
  minNetworks = reportedMeansMinRecords(1),
): Table3Test {
  requireInteger("table3Consistency", "minNetworks", minNetworks, reportedMeansMinRecords(1));
  const accurate = runs.filter((r) => r.valid);
  const test =
    accurate.length >= minNetworks
      ? reportedMeansTest(
          stencilAverages(accurate).map((v) => [v]),
          networks,
          [mean(paper.mean)],
        )
      : null;
  return {
    runs: runs.length,
    accurate: rate(accurate.length, runs.length),
    test,
    pValue: test ? test.pValue : Number.NaN,
  };
}

/**
 * Runs per cell for the valid rate's 95% interval to be at most ±halfWidth wide at the rate
 * estimated on the selection stream (normal approximation, rate kept inside [0.05, 0.95] so that a
 * cell that looked extreme still gets a workable sample), within [min, max].
 */
export function runsForPrecision(
  estimate: number,
  halfWidth: number,
  min: number,
  max: number,
): number {
  const p = Number.isFinite(estimate) ? Math.min(0.95, Math.max(0.05, estimate)) : 0.5;
  const n = Math.ceil((1.96 ** 2 * p * (1 - p)) / halfWidth ** 2);
  return Math.max(min, Math.min(max, n));
}
