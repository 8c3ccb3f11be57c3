/**
 * Theorem 7 (section 5, appendix A.4) and section 6's non-linear setting: at x, moving the input
 * from x + εx_1 towards x + εx_2 only needs the part of ε(x_2 − x_1) in span(∇f_1(x), ∇f_2(x)),
 * to first order; the remark after the theorem does the same with the single direction
 * ∇f_1(x) − ∇f_2(x) for the difference f_2 − f_1, whose compression is section 6's ρ.
 *
 * The network is an interface (outputs and input gradients at a point), so this module knows
 * nothing of how a network is trained or differentiated (lib/experiments/theorem7.ts supplies one).
 */
import { Matrix } from "ml-matrix";
import {
  fail,
  requireFiniteArray,
  requireInRange,
  requireInteger,
  requirePositive,
} from "../check";
import { norm, projectOnto, sub } from "../linalg/vectors";
import { gaussianVector } from "../random/gaussian";
import type { Rng } from "../random/rng";

/** A classifier as Theorem 7 uses it: its outputs and their input gradients at a point. */
export interface Theorem7Network {
  /** f(x), one output per class. @param x length d */
  outputs(x: readonly number[]): number[];
  /** ∇f_k(x) for every output k: classes × d. @param x length d */
  gradients(x: readonly number[]): number[][];
}

/** Section 6's point and directions: x + x_1 and x + x_2 are the points of classes 1 and 2. */
export interface Theorem7Point {
  /** x = αb_1 + (1 − α)b_2, length d. */
  x: number[];
  /** x_1 = b_1 − x, length d. */
  x1: number[];
  /** x_2 = b_2 − x, length d. */
  x2: number[];
}

/**
 * b_1 = A z_{+1}, b_2 = A z_{−1}: z_{±1} share random first d − 1 signs, last entries +1 and −1
 * (section 6, "Nonlinear networks").
 * @param A d × d
 * @returns b_1, b_2 (length d) and z = z_{+1}
 */
export function theorem7Pair(A: Matrix, rng: Rng): { b1: number[]; b2: number[]; z: number[] } {
  const d = A.rows;
  const z = Array.from({ length: d }, () => rng.sign());
  const zp = [...z.slice(0, d - 1), 1];
  const zm = [...z.slice(0, d - 1), -1];
  const mul = (v: number[]) => A.mmul(Matrix.columnVector(v)).getColumn(0);
  return { b1: mul(zp), b2: mul(zm), z: zp };
}

/**
 * x = αb_1 + (1 − α)b_2, x_1 = b_1 − x, x_2 = b_2 − x (section 6, "Nonlinear networks").
 * @param b1 length d
 * @param b2 length d
 */
export function theorem7Geometry(
  b1: readonly number[],
  b2: readonly number[],
  alpha: number,
): Theorem7Point {
  requireInRange("theorem7Geometry", "alpha", alpha, 0, 1);
  const x = b1.map((v, i) => alpha * v + (1 - alpha) * b2[i]);
  return { x, x1: sub(b1, x), x2: sub(b2, x) };
}

/** y = x + t v. */
function along(x: readonly number[], v: readonly number[], t: number): number[] {
  return x.map((xi, i) => xi + t * v[i]);
}

function requirePoint(fn: string, p: Theorem7Point): void {
  const d = p.x.length;
  requireFiniteArray(fn, "point.x", p.x);
  for (const key of ["x1", "x2"] as const) {
    if (p[key].length !== d) fail(fn, `point.${key}`, p[key], `must have length ${d} like point.x`);
    requireFiniteArray(fn, `point.${key}`, p[key]);
  }
}

export interface Theorem7AttackOptions {
  /** The outputs playing classes 1 and 2 (default [0, 1]; both are matched: the order is free). */
  classes?: [number, number];
  /** ∇f_k(x) for every output (classes × d), when already computed; default net.gradients(x). */
  gradients?: number[][];
}

/** Theorem 7's perturbation at one ε and what it achieves (forward passes of the network). */
export interface Theorem7Attack {
  epsilon: number;
  /** q = P_{∇f_1(x), ∇f_2(x)} ε(x_2 − x_1) (appendix A.4), length d. */
  q: number[];
  /** ‖q‖ = ε‖P(x_2 − x_1)‖, the theorem's bound on ‖e‖ (q attains it). */
  qNorm: number;
  /** ε‖x_2 − x_1‖: the perturbation that moves all the way. */
  fullNorm: number;
  /** f_k(x + εx_1), k = 1, 2: where the input starts. */
  start: [number, number];
  /** f_k(x + εx_1 + q), k = 1, 2. */
  attacked: [number, number];
  /** f_k(x + εx_2), k = 1, 2: what Theorem 7 says q reaches. */
  target: [number, number];
  /**
   * |f_k(x + εx_1 + q) − f_k(x + εx_2)| / (ε‖∇f_k(x)‖‖x_2 − x_1‖), k = 1, 2: the error left, over
   * the largest first-order change a step of size ε‖x_2 − x_1‖ can make.
   */
  relativeErrors: [number, number];
}

/**
 * Theorem 7's construction (appendix A.4): q = P_{∇f_1(x), ∇f_2(x)} ε(x_2 − x_1), then the outputs
 * at x + εx_1 + q against those at x + εx_2, which the theorem says agree to first order.
 * @param point x, x_1, x_2 (length d)
 */
export function theorem7Attack(
  net: Theorem7Network,
  point: Theorem7Point,
  epsilon: number,
  options: Theorem7AttackOptions = {},
): Theorem7Attack {
  const fn = "theorem7Attack";
  requirePositive(fn, "epsilon", epsilon);
  requirePoint(fn, point);
  const [k1, k2] = options.classes ?? [0, 1];
  const g = options.gradients ?? net.gradients(point.x);
  if (!g[k1] || !g[k2] || k1 === k2)
    fail(fn, "options.classes", [k1, k2], `must be two different outputs of ${g.length}`);
  const { x, x1, x2 } = point;
  const diff = sub(x2, x1);
  const q = projectOnto(
    [g[k1], g[k2]],
    diff.map((v) => epsilon * v),
  );
  const start = net.outputs(along(x, x1, epsilon));
  const attacked = net.outputs(along(x, x1, epsilon).map((v, i) => v + q[i]));
  const target = net.outputs(along(x, x2, epsilon));
  const fullNorm = epsilon * norm(diff);
  const rel = (k: number) => Math.abs(attacked[k] - target[k]) / (fullNorm * norm(g[k]));
  return {
    epsilon,
    q,
    qNorm: norm(q),
    fullNorm,
    start: [start[k1], start[k2]],
    attacked: [attacked[k1], attacked[k2]],
    target: [target[k1], target[k2]],
    relativeErrors: [rel(k1), rel(k2)],
  };
}

/** The remark's single-gradient perturbation at one ε and what it achieves. */
export interface SingleGradientAttack {
  epsilon: number;
  /** e = P_{∇(f_1 − f_2)(x)} ε(x_2 − x_1) (remark after Theorem 7), length d. */
  e: number[];
  /** ‖e‖ = ε‖P_{∇(f_1 − f_2)}(x_1 − x_2)‖, the remark's bound (e attains it). */
  eNorm: number;
  /** (f_2 − f_1)(x + εx_1): where the input starts. */
  start: number;
  /** (f_2 − f_1)(x + εx_1 + e). */
  attacked: number;
  /** (f_2 − f_1)(x + εx_2): what the remark says e reaches. */
  target: number;
  /** |attacked − target| / (ε‖∇(f_1 − f_2)(x)‖‖x_2 − x_1‖). */
  relativeError: number;
}

/**
 * The remark after Theorem 7: e = P_{∇(f_1 − f_2)(x)} ε(x_2 − x_1) makes f_2 − f_1 at x + εx_1 + e
 * equal its value at x + εx_2, to first order, with ‖e‖ = ε‖P_{∇(f_1 − f_2)}(x_1 − x_2)‖.
 * @param point x, x_1, x_2 (length d)
 */
export function singleGradientAttack(
  net: Theorem7Network,
  point: Theorem7Point,
  epsilon: number,
  options: Theorem7AttackOptions = {},
): SingleGradientAttack {
  const fn = "singleGradientAttack";
  requirePositive(fn, "epsilon", epsilon);
  requirePoint(fn, point);
  const [k1, k2] = options.classes ?? [0, 1];
  const g = options.gradients ?? net.gradients(point.x);
  if (!g[k1] || !g[k2] || k1 === k2)
    fail(fn, "options.classes", [k1, k2], `must be two different outputs of ${g.length}`);
  const dg = sub(g[k1], g[k2]);
  if (norm(dg) === 0) fail(fn, "net", "network", "has ∇f_1(x) = ∇f_2(x) (no direction)");
  const { x, x1, x2 } = point;
  const diff = sub(x2, x1);
  const e = projectOnto(
    [dg],
    diff.map((v) => epsilon * v),
  );
  const h = (y: number[]) => {
    const f = net.outputs(y);
    return f[k2] - f[k1];
  };
  const start = h(along(x, x1, epsilon));
  const attacked = h(along(x, x1, epsilon).map((v, i) => v + e[i]));
  const target = h(along(x, x2, epsilon));
  return {
    epsilon,
    e,
    eNorm: norm(e),
    start,
    attacked,
    target,
    relativeError: Math.abs(attacked - target) / (epsilon * norm(diff) * norm(dg)),
  };
}

/** Section 6's ρ = ‖P_{∇f_1(x) − ∇f_2(x)}(x_1 − x_2)‖ / ‖x_1 − x_2‖ at the point. */
export function rho(net: Theorem7Network, point: Theorem7Point): number {
  requirePoint("rho", point);
  return rhoFromGradients(net.gradients(point.x), point.x1, point.x2);
}

/**
 * ρ from the output gradients at x (section 6).
 * @param g classes × d: rows ∇f_1(x), ∇f_2(x) (outputs 0 and 1)
 * @param x1 length d
 * @param x2 length d
 */
export function rhoFromGradients(
  g: readonly (readonly number[])[],
  x1: readonly number[],
  x2: readonly number[],
): number {
  const dg = sub(g[0], g[1]);
  if (norm(dg) === 0)
    fail("rho", "p", "network", "has ∇f_1(x) = ∇f_2(x) at x (no decision direction)");
  const v = sub(x1, x2);
  return norm(projectOnto([dg], v)) / norm(v);
}

/**
 * ‖P_{∇f_1(x), ∇f_2(x)}(x_2 − x_1)‖ / ‖x_2 − x_1‖, the compression of Theorem 7.
 * @param g classes × d: rows ∇f_1(x), ∇f_2(x) (outputs 0 and 1)
 */
export function compressionFromGradients(
  g: readonly (readonly number[])[],
  x1: readonly number[],
  x2: readonly number[],
): number {
  const v = sub(x2, x1);
  return norm(projectOnto([g[0], g[1]], v)) / norm(v);
}

export interface LevelSearchOptions {
  /** Random starting directions (default 3). */
  starts?: number;
  /** The compass search stops when its step on unit directions falls below this (default 1e-4). */
  minStep?: number;
  /** Evaluations of h allowed in all (default 200 000). */
  maxEvaluations?: number;
}

/** The smallest perturbation found that moves h from h(p) to the target, and its cost. */
export interface LevelSearch {
  /** The smallest ‖e‖ found with h(p + e) = target (to root-finding precision). */
  norm: number;
  /** e / ‖e‖, length d. */
  direction: number[];
  /** Evaluations of h. */
  evaluations: number;
}

/**
 * The step t(u) ≥ 0 at which h(p + t u) reaches the target along the unit direction u (the first
 * such step where h is monotone along the ray), by secant steps kept inside a bracket (regula
 * falsi, Illinois variant): exact in two steps where h is affine along the ray. Infinity when the
 * ray does not reach the target within `reach`.
 */
function stepToLevel(
  h: (y: readonly number[]) => number,
  p: readonly number[],
  h0: number,
  u: readonly number[],
  target: number,
  reach: number,
  count: { n: number },
): number {
  const g = (t: number) => {
    count.n += 1;
    return h(along(p, u, t)) - target;
  };
  const g0 = h0 - target;
  if (g0 === 0) return 0;
  // A probe sets the scale; then the secant guess, doubled until the sign changes.
  const probe = reach * 1e-3;
  const gp = g(probe);
  let t = (probe * g0) / (g0 - gp);
  if (!(t > 0) || !Number.isFinite(t)) return Infinity;
  let lo = 0;
  let glo = g0;
  let hi = Math.min(t, reach);
  let ghi = g(hi);
  // Stop at the rounding level of h's values (h is affine between p and the root, inside a region).
  const tol = 1e-14 * (Math.abs(h0) + Math.abs(target));
  if (Math.abs(ghi) <= tol) return hi;
  while (Math.sign(ghi) === Math.sign(g0)) {
    if (hi >= reach) return Infinity;
    lo = hi;
    glo = ghi;
    hi = Math.min(2 * hi, reach);
    ghi = g(hi);
  }
  let side = 0;
  for (let it = 0; it < 200; it++) {
    t = (lo * ghi - hi * glo) / (ghi - glo);
    const gt = g(t);
    if (Math.abs(gt) <= tol || hi - lo <= 1e-13 * hi) return t;
    if (Math.sign(gt) === Math.sign(glo)) {
      lo = t;
      glo = gt;
      if (side === -1) ghi /= 2;
      side = -1;
    } else {
      hi = t;
      ghi = gt;
      if (side === 1) glo /= 2;
      side = 1;
    }
  }
  return t;
}

/**
 * The smallest perturbation e with h(p + e) = target, by a derivative-free route: for a unit
 * direction u, the step t(u) to the target along u (forward evaluations of h only), minimised over
 * directions by a compass search from random starts. No gradient and no projection formula is
 * used, so the result checks the remark's claim that ε‖P_{∇(f_1 − f_2)}(x_1 − x_2)‖ is the smallest
 * such perturbation where h is affine around p.
 * @param p length d
 * @param reach the longest step considered (> 0)
 */
export function smallestPerturbationToLevel(
  h: (y: readonly number[]) => number,
  p: readonly number[],
  target: number,
  reach: number,
  rng: Rng,
  options: LevelSearchOptions = {},
): LevelSearch {
  const fn = "smallestPerturbationToLevel";
  requireFiniteArray(fn, "p", p);
  requirePositive(fn, "reach", reach);
  const starts = options.starts ?? 3;
  const minStep = options.minStep ?? 1e-4;
  const maxEvaluations = options.maxEvaluations ?? 200000;
  requireInteger(fn, "options.starts", starts, 1);
  requireInRange(fn, "options.minStep", minStep, 0, 1, [false, true]);
  requireInteger(fn, "options.maxEvaluations", maxEvaluations, 1);
  const d = p.length;
  const count = { n: 1 };
  const h0 = h(p);
  const unit = (v: number[]) => {
    const n = norm(v);
    return v.map((x) => x / n);
  };
  const cost = (u: number[]) => stepToLevel(h, p, h0, u, target, reach, count);
  let best = { t: Infinity, u: new Array<number>(d).fill(0) };
  for (let s = 0; s < starts; s++) {
    // A start from which the target is reached (along u or −u), within a few draws.
    let u = unit(gaussianVector(rng, d));
    let t = cost(u);
    for (let tries = 0; t === Infinity && tries < 20; tries++) {
      u = tries % 2 === 0 ? u.map((v) => -v) : unit(gaussianVector(rng, d));
      t = cost(u);
    }
    let step = 0.5;
    while (step >= minStep && count.n < maxEvaluations) {
      let moved = false;
      for (let i = 0; i < d && count.n < maxEvaluations; i++) {
        for (const sign of [1, -1]) {
          const v = [...u];
          v[i] += sign * step;
          const cand = unit(v);
          const tc = cost(cand);
          if (tc < t) {
            u = cand;
            t = tc;
            moved = true;
            break;
          }
        }
      }
      if (!moved) step /= 2;
    }
    if (t < best.t) best = { t, u };
  }
  return { norm: best.t, direction: best.u, evaluations: count.n };
}

/** The Gaussian case's draws. */
export interface GaussianCompression {
  /** ‖P_{g_1,g_2} v‖² per draw: χ²₂ (Theorem 7). */
  projected2: number[];
  /** ‖v‖² per draw: χ²_d. */
  total2: number[];
  /** ‖P_{g_1,g_2} v‖ / ‖v‖ per draw: its square is Beta(1, (d − 2)/2), mean 2/d. */
  ratio: number[];
}

/**
 * The Gaussian case of Theorem 7: for independent standard Gaussian g_1, g_2, v in R^d (the two
 * gradients and x_2 − x_1), ‖P_{g_1,g_2} v‖² ~ χ²_2 and ‖v‖² ~ χ²_d, so the squared compression
 * ‖Pv‖²/‖v‖² is Beta(1, (d − 2)/2) with mean 2/d: an attack O(d) times cheaper in squared size.
 */
export function gaussianCompression(rng: Rng, d: number, draws: number): GaussianCompression {
  requireInteger("gaussianCompression", "d", d, 3);
  requireInteger("gaussianCompression", "draws", draws, 1);
  const out: GaussianCompression = { projected2: [], total2: [], ratio: [] };
  for (let k = 0; k < draws; k++) {
    const g1 = gaussianVector(rng, d);
    const g2 = gaussianVector(rng, d);
    const v = gaussianVector(rng, d);
    const pv = norm(projectOnto([g1, g2], v));
    const nv = norm(v);
    out.projected2.push(pv * pv);
    out.total2.push(nv * nv);
    out.ratio.push(pv / nv);
  }
  return out;
}
