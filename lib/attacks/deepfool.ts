/**
 * A small decision-changing perturbation for any differentiable classifier: DeepFool iterations
 * (Moosavi-Dezfooli et al., 2016: step to the linearised nearest boundary until the label changes),
 * then a bisection along the direction found for the smallest multiple that still changes the label,
 * several restarts from randomly shifted starting points, the smallest verified result kept. Every
 * returned perturbation is verified by a forward pass. On a linear classifier it finds the exact
 * minimum (test/attacks.test.ts).
 */
import { fail, requireFiniteArray, requireInteger } from "../check";
import type { Rng } from "../random/rng";
import { argmax } from "./linear";

export interface Differentiable {
  /** Class scores f(x). */
  outputs(x: readonly number[]): number[];
  /** ∇f_k(x) for every class k. */
  gradients(x: readonly number[]): number[][];
}

export interface DeepFoolOptions {
  /** Iterations per start (default 50). */
  maxIterations?: number;
  /** Overshoot of the DeepFool direction before the bisection (default 0.02). */
  overshoot?: number;
  /** Bisection steps along the direction (default 40: relative precision 1e-12). */
  bisections?: number;
  /** Extra starts from x + σ·u (u uniform on the sphere, σ = the first result's norm / 4); needs rng. */
  restarts?: number;
  rng?: Rng;
}

export interface DeepFoolResult {
  label: number;
  /** Label at x + perturbation (verified by a forward pass; differs from label). */
  newLabel: number;
  perturbation: number[];
  norm: number;
  /** DeepFool iterations of the start that produced the result. */
  iterations: number;
  /** Starts that produced a verified flip. */
  successfulStarts: number;
}

const add = (a: readonly number[], b: readonly number[], t = 1) => a.map((v, i) => v + t * b[i]);
const nrm = (a: readonly number[]) => Math.hypot(...a);

function oneStart(
  clf: Differentiable,
  x0: readonly number[],
  start: readonly number[],
  label: number,
  o: Required<Omit<DeepFoolOptions, "rng" | "restarts">>,
): { direction: number[]; iterations: number } | null {
  let x = [...start];
  for (let it = 0; it < o.maxIterations; it++) {
    const f = clf.outputs(x);
    if (argmax(f) !== label) return { direction: x.map((v, i) => v - x0[i]), iterations: it };
    const g = clf.gradients(x);
    let best: { dist: number; w: number[]; fk: number } | null = null;
    for (let k = 0; k < f.length; k++) {
      if (k === label) continue;
      const w = g[k].map((v, i) => v - g[label][i]);
      const wn = nrm(w);
      if (wn === 0) continue;
      const fk = f[k] - f[label];
      const dist = Math.abs(fk) / wn;
      if (!best || dist < best.dist) best = { dist, w, fk };
    }
    if (!best) return null;
    const wn2 = best.w.reduce((s, v) => s + v * v, 0);
    x = add(
      x,
      best.w,
      ((Math.abs(best.fk) + 1e-9 * (1 + Math.abs(best.fk))) / wn2) * (1 + o.overshoot),
    );
  }
  return argmax(clf.outputs(x)) !== label
    ? { direction: x.map((v, i) => v - x0[i]), iterations: o.maxIterations }
    : null;
}

/** Smallest t in (0, 1] with a changed label at x0 + t·dir (bisection; dir itself changes it). */
function shortest(
  clf: Differentiable,
  x0: readonly number[],
  dir: readonly number[],
  label: number,
  steps: number,
): number[] {
  let lo = 0;
  let hi = 1;
  for (let s = 0; s < steps; s++) {
    const mid = (lo + hi) / 2;
    if (argmax(clf.outputs(add(x0, dir, mid))) !== label) hi = mid;
    else lo = mid;
  }
  return dir.map((v) => hi * v);
}

export function deepfool(
  clf: Differentiable,
  x: readonly number[],
  options: DeepFoolOptions = {},
): DeepFoolResult {
  requireFiniteArray("deepfool", "x", x);
  const o = {
    maxIterations: options.maxIterations ?? 50,
    overshoot: options.overshoot ?? 0.02,
    bisections: options.bisections ?? 40,
  };
  const restarts = options.restarts ?? 0;
  requireInteger("deepfool", "maxIterations", o.maxIterations, 1);
  requireInteger("deepfool", "bisections", o.bisections, 0);
  requireInteger("deepfool", "restarts", restarts, 0);
  if (o.overshoot < 0) fail("deepfool", "overshoot", o.overshoot, "must be >= 0");
  if (restarts > 0 && !options.rng) fail("deepfool", "rng", options.rng, "is needed for restarts");
  const label = argmax(clf.outputs(x));
  let best: DeepFoolResult | null = null;
  let successes = 0;
  let sigma = 0;
  for (let s = 0; s <= restarts; s++) {
    let start = [...x];
    if (s > 0) {
      const u = x.map(() => options.rng!.normal());
      start = add(x, u, sigma / nrm(u));
    }
    const found = oneStart(clf, x, start, label, o);
    if (!found) continue;
    const pert = shortest(clf, x, found.direction, label, o.bisections);
    const f = clf.outputs(add(x, pert));
    const newLabel = argmax(f);
    if (newLabel === label) continue; // not verified
    successes++;
    const n = nrm(pert);
    if (!best || n < best.norm)
      best = {
        label,
        newLabel,
        perturbation: pert,
        norm: n,
        iterations: found.iterations,
        successfulStarts: 0,
      };
    if (s === 0) sigma = n / 4;
  }
  if (!best)
    fail(
      "deepfool",
      "x",
      [...x],
      `found no decision-changing perturbation in ${restarts + 1} start(s) of ${o.maxIterations} iterations`,
    );
  return { ...best, successfulStarts: successes };
}
