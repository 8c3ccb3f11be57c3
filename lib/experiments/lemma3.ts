/**
 * Lemma 3: the R factor of a product of Gaussian matrices has the law of a product of independent
 * Bartlett factors. Compared entry by entry (two-sample KS) between the QR route and the direct sampler.
 */
import { fail, requireInRange, requireInteger } from "../check";
import { qr } from "../linalg/qr";
import { gaussianMatrix } from "../random/gaussian";
import type { Rng } from "../random/rng";
import { bartlettProduct, gaussianProductR } from "../rmt/bartlett";
import type { Scale } from "./config";

export interface Lemma3Config {
  /** Width lists [n_1, …, n_l] (non-decreasing); one layer is [n_1, n_2]. */
  cases: number[][];
  /** Draws per route and case. */
  draws: number;
  /** Probability that any of the KS checks fails when the lemma holds (Bonferroni over all checks). */
  familyMiss: number;
  /** Draws for the induction step (H_2Q_1 is Gaussian and independent of R_1). */
  inductionDraws: number;
}

export const lemma3Defaults: Record<Scale, Lemma3Config> = {
  quick: {
    cases: [
      [4, 6],
      [4, 6, 9],
      [4, 5, 7, 10],
    ],
    draws: 1500,
    familyMiss: 0.01,
    inductionDraws: 2000,
  },
  paper: {
    cases: [
      [8, 12],
      [8, 12, 20],
      [8, 10, 16, 32],
      [16, 24, 40, 64, 100],
    ],
    draws: 4000,
    familyMiss: 0.01,
    inductionDraws: 8000,
  },
};

export function validateLemma3Config(c: Lemma3Config): void {
  const fn = "validateLemma3Config";
  if (c.cases.length === 0) fail(fn, "cases", c.cases, "must not be empty");
  c.cases.forEach((w, i) => {
    if (w.length < 2) fail(fn, `cases[${i}]`, w, "must list at least two widths");
    w.forEach((n, j) => requireInteger(fn, `cases[${i}][${j}]`, n, 2));
  });
  requireInteger(fn, "draws", c.draws, 20);
  requireInteger(fn, "inductionDraws", c.inductionDraws, 20);
  requireInRange(fn, "familyMiss", c.familyMiss, 0, 1, [false, false]);
}

/** The entries compared (0-based): the first and last diagonal, the corner and the last off-diagonal. */
export function lemma3Entries(n: number): Array<{ label: string; i: number; j: number }> {
  return [
    { label: "R_{1,1}", i: 0, j: 0 },
    { label: `R_{${n},${n}}`, i: n - 1, j: n - 1 },
    { label: `R_{1,${n}}`, i: 0, j: n - 1 },
    { label: `R_{${n - 1},${n}}`, i: n - 2, j: n - 1 },
  ];
}

export interface Lemma3Samples {
  widths: number[];
  /** Per entry: values from the QR of the product, and from the product of Bartlett factors. */
  entries: Array<{ label: string; qr: number[]; bartlett: number[] }>;
}

export function lemma3Samples(widths: number[], draws: number, rng: Rng): Lemma3Samples {
  const entries = lemma3Entries(widths[0]).map((e) => ({
    label: e.label,
    qr: [] as number[],
    bartlett: [] as number[],
  }));
  const where = lemma3Entries(widths[0]);
  const a = rng.child(0);
  const b = rng.child(1);
  for (let k = 0; k < draws; k++) {
    const Rq = gaussianProductR(a, widths);
    const Rb = bartlettProduct(b, widths);
    where.forEach((e, t) => {
      entries[t].qr.push(Rq.get(e.i, e.j));
      entries[t].bartlett.push(Rb.get(e.i, e.j));
    });
  }
  return { widths, entries };
}

export interface InductionSamples {
  /** (H_2Q_1)_{1,1}, (H_2Q_1)_{1,2}, (H_2Q_1)_{2,1} and R_{1,1} of H_1 = Q_1R_1, per draw. */
  g11: number[];
  g12: number[];
  g21: number[];
  r11: number[];
}

/** The induction step of the proof: H_1 = Q_1R_1 (n_2×n_1), H_2 (n_3×n_2), H_2Q_1 against R_1. */
export function inductionSamples(
  widths: [number, number, number],
  draws: number,
  rng: Rng,
): InductionSamples {
  const out: InductionSamples = { g11: [], g12: [], g21: [], r11: [] };
  for (let k = 0; k < draws; k++) {
    const r = rng.child(k);
    const { Q, R } = qr(gaussianMatrix(r, widths[1], widths[0]));
    const G = gaussianMatrix(r, widths[2], widths[1]).mmul(Q);
    out.g11.push(G.get(0, 0));
    out.g12.push(G.get(0, 1));
    out.g21.push(G.get(1, 0));
    out.r11.push(R.get(0, 0));
  }
  return out;
}
