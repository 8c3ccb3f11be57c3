/**
 * Theorem 1 (section 3): d Gaussian points x_1..x_d in R^d with distinct labels, a two-layer linear
 * network with H_1ᵀH_1 = I_d and output weights fitted to condition (1) f_j(x_i) = δ_ij. A
 * perturbation of size O(1) (independent of d and m) changes its decision at x_d, while the
 * minimum-distance classifier needs ≥ (1−ε)√(2d)/2.
 */
import { Matrix } from "ml-matrix";
import { fail, requireInRange, requireInteger } from "../check";
import {
  argmax,
  linearOutputs,
  minimalPerturbationLinear,
  type LinearMinimalPerturbation,
} from "../attacks/linear";
import { qr } from "../linalg/qr";
import { invertUpper } from "../linalg/triangular";
import { norm, sub } from "../linalg/vectors";
import { gaussianMatrix, orthonormalColumns } from "../random/gaussian";
import type { Rng } from "../random/rng";
import { logGamma } from "../stats/distributions";
import { multiply } from "../linalg/product";

/** max |A_ij − B_ij| (B = null: max |A_ij|). */
function maxAbs(A: Matrix, B: Matrix | null = null): number {
  let m = 0;
  for (let i = 0; i < A.rows; i++)
    for (let j = 0; j < A.columns; j++)
      m = Math.max(m, Math.abs(A.get(i, j) - (B ? B.get(i, j) : 0)));
  return m;
}

/** What the proof asserts about the network, measured on the instance (each 0 up to rounding). */
export interface Theorem1Residuals {
  /** max |H_1ᵀH_1 − I_d| (the paper writes I_{m×m}) */
  orthonormality: number;
  /** max |R − R_X| / max |R_X|: H_1X = Q_1R and X = Q_2R_X share R */
  sharedR: number;
  /** max |Q_1 − H_1Q_2| */
  q1: number;
  /** max |H_2H_1X − I_d|: condition (1) */
  condition1: number;
}

export interface Theorem1Network {
  /** d×d, the data points x_1..x_d as columns */
  X: Matrix;
  /** m×d with orthonormal columns */
  H1: Matrix;
  /** H_1X = Q_1R: Q_1 m×d, R d×d */
  Q1: Matrix;
  R: Matrix;
  /** X = Q_2R_X: Q_2 d×d (R_X = R by the orthonormality of H_1's columns) */
  Q2: Matrix;
  RX: Matrix;
  /** H_2 = R⁻¹Q_1ᵀ (d×m) */
  H2: Matrix;
  /** End-to-end W = H_2H_1 (d×d); it equals X⁻¹. */
  W: Matrix;
  residuals: Theorem1Residuals;
}

/**
 * The network of the proof of Theorem 1: H_1X = Q_1R, X = Q_2R and H_2 = R⁻¹Q_1ᵀ.
 * @param X d×d, the data points as columns
 * @param H1 m×d with orthonormal columns, m ≥ d
 */
export function theorem1Network(X: Matrix, H1: Matrix): Theorem1Network {
  const d = X.rows;
  if (X.columns !== d)
    fail("theorem1Network", "X", X, "must be square (d points in R^d as columns)");
  if (H1.columns !== d) fail("theorem1Network", "H1", H1, `must have d = ${d} columns`);
  if (H1.rows < d) fail("theorem1Network", "H1", H1, `must have m >= d = ${d} rows`);
  const { Q: Q1, R } = qr(multiply(H1, X));
  const { Q: Q2, R: RX } = qr(X);
  const H2 = multiply(invertUpper(R), Q1.transpose());
  const W = multiply(H2, H1);
  const residuals: Theorem1Residuals = {
    orthonormality: maxAbs(multiply(H1.transpose(), H1), Matrix.eye(d)),
    sharedR: maxAbs(R, RX) / maxAbs(RX),
    q1: maxAbs(Q1, multiply(H1, Q2)),
    condition1: maxAbs(multiply(W, X), Matrix.eye(d)),
  };
  return { X, H1, Q1, R, Q2, RX, H2, W, residuals };
}

/**
 * Theorem 1's instance: X (d×d, i.i.d. N(0, 1)) and H_1 (m×d, Haar orthonormal columns), and the
 * network built from them.
 */
export function theorem1Instance(config: { d: number; m: number }, rng: Rng): Theorem1Network {
  requireInteger("theorem1Instance", "config.d", config.d, 2);
  requireInteger("theorem1Instance", "config.m", config.m, config.d);
  const X = gaussianMatrix(rng, config.d, config.d);
  return theorem1Network(X, orthonormalColumns(rng, config.m, config.d));
}

/** The entries of R the attack uses: R_{d−1,d−1}, R_{d−1,d}, R_{d,d} (1-based, as in the paper). */
export interface TrailingEntries {
  rd1d1: number;
  rd1d: number;
  rdd: number;
}

/**
 * R_{d−1,d−1}, R_{d−1,d}, R_{d,d} of R (proof of Theorem 1).
 * @param R d×d upper triangular, d ≥ 2
 */
export function trailingEntries(R: Matrix): TrailingEntries {
  const d = R.rows;
  if (d < 2 || R.columns !== d) fail("trailingEntries", "R", R, "must be square with d >= 2");
  return { rd1d1: R.get(d - 2, d - 2), rd1d: R.get(d - 2, d - 1), rdd: R.get(d - 1, d - 1) };
}

/** ‖e‖ = √((R_{d−1,d−1} − R_{d−1,d})² + R_dd²) (proof of Theorem 1), from the entries alone. */
export function attackNorm(t: TrailingEntries): number {
  return Math.hypot(t.rd1d1 - t.rd1d, t.rdd);
}

export interface Theorem1Attack {
  /** e_basis = (0, …, 0, R_{d−1,d−1} − R_{d−1,d}, −R_{d,d}) */
  eBasis: number[];
  /** e = Q_2 e_basis (length d) */
  e: number[];
  /** ‖e‖ computed from the vector e */
  norm: number;
  /** ‖e‖ in closed form √((R_{d−1,d−1} − R_{d−1,d})² + R_dd²) */
  normClosedForm: number;
  /** (R⁻¹)_{d−1,d−1}, (R⁻¹)_{d−1,d}, (R⁻¹)_{d,d} from the inverse, and as the paper prints them */
  rInverse: { computed: [number, number, number]; paper: [number, number, number] };
  /** f(x_d) and f(x_d + e), length d (class j + 1 at index j) */
  outputsBefore: number[];
  outputsAfter: number[];
  /** The same as rows: label (1-based, as in the paper), f_label(x_d), f_label(x_d + e) */
  outputs: Array<{ label: number; before: number; after: number }>;
  /** Predicted labels (0-based; the attacked point is class d − 1 in 0-based numbering). */
  predictedBefore: number;
  predictedAfter: number;
}

/**
 * The proof's perturbation at x_d (Theorem 1, eqs. (2)–(3)) and what it does to the network: e_basis
 * from the R of H_1X (the network's R), e = Q_2 e_basis with Q_2 from X = Q_2R.
 */
export function theorem1Attack(net: Theorem1Network): Theorem1Attack {
  const R = net.R;
  const d = R.rows;
  if (d < 2) fail("theorem1Attack", "net", d, "needs d >= 2");
  const t = trailingEntries(R);
  const eBasis = new Array<number>(d).fill(0);
  eBasis[d - 2] = t.rd1d1 - t.rd1d;
  eBasis[d - 1] = -t.rdd;
  const e = linearOutputs(net.Q2, null, eBasis);
  const xd = net.X.getColumn(d - 1);
  const outputsBefore = linearOutputs(net.W, null, xd);
  const outputsAfter = linearOutputs(
    net.W,
    null,
    xd.map((v, i) => v + e[i]),
  );
  const Ri = invertUpper(R);
  return {
    eBasis,
    e,
    norm: norm(e),
    normClosedForm: attackNorm(t),
    rInverse: {
      computed: [Ri.get(d - 2, d - 2), Ri.get(d - 2, d - 1), Ri.get(d - 1, d - 1)],
      paper: [1 / t.rd1d1, -t.rd1d / (t.rd1d1 * t.rdd), 1 / t.rdd],
    },
    outputsBefore,
    outputsAfter,
    outputs: outputsBefore.map((v, j) => ({ label: j + 1, before: v, after: outputsAfter[j] })),
    predictedBefore: argmax(outputsBefore),
    predictedAfter: argmax(outputsAfter),
  };
}

/**
 * The geometry of R⁻¹ that the exact minimal perturbation needs, in O(d³/6) multiply-adds: the
 * squared norms of the rows of R⁻¹ and its last column (column by column, back substitution).
 * @param R d×d upper triangular with a non-zero diagonal
 */
function inverseRowsAndLastColumn(R: Matrix): { rowNorm2: Float64Array; last: Float64Array } {
  const d = R.rows;
  const a = Float64Array.from(R.to1DArray()); // row-major
  const rowNorm2 = new Float64Array(d);
  const y = new Float64Array(d);
  for (let c = 0; c < d; c++) {
    y[c] = 1 / a[c * d + c];
    for (let i = c - 1; i >= 0; i--) {
      const ri = i * d;
      let s = 0;
      for (let k = i + 1; k <= c; k++) s += a[ri + k] * y[k];
      y[i] = -s / a[ri + i];
    }
    for (let i = 0; i <= c; i++) rowNorm2[i] += y[i] * y[i];
  }
  return { rowNorm2, last: y };
}

/** The network's robustness at x_d from R alone (the network is W = X⁻¹ = R⁻¹Q_2ᵀ). */
export interface RobustnessFromR {
  /**
   * The exact smallest decision-changing perturbation: f_d(x_d) − f_j(x_d) = 1 and
   * ‖w_d − w_j‖ = ‖(R⁻¹)_{d,:} − (R⁻¹)_{j,:}‖ (Q_2 is orthogonal), so it is
   * 1 / max_j ‖(R⁻¹)_{d,:} − (R⁻¹)_{j,:}‖.
   */
  exactMinimal: number;
  /**
   * The smallest |δ| for which x_d + δ (Q_2)_{:,d} changes the decision (Theorem 1's remark: the
   * attack along (Q_2)_{:,d} alone): f(x_d + δ(Q_2)_{:,d}) = e_d + δ (R⁻¹)_{:,d}, so it is
   * 1 / max_{j<d} |(R⁻¹)_{j,d} − (R⁻¹)_{d,d}|.
   */
  directionMinimal: number;
  /** The sign of that δ and the class that wins just beyond it (0-based). */
  directionSign: number;
  directionTarget: number;
  /** The minimum-distance classifier's robustness at x_d: half the distance to the nearest other point. */
  nearestMargin: number;
}

/**
 * The exact minimal perturbation, the attack along (Q_2)_{:,d} alone and the minimum-distance
 * classifier's robustness at x_d, from R of X = Q_2R (distances between columns of X are those
 * between columns of R). O(d³/6) multiply-adds.
 * @param R d×d upper triangular, R_jj > 0 (Theorem 1's R, or a Bartlett factor with that law)
 */
export function robustnessFromR(R: Matrix): RobustnessFromR {
  const d = R.rows;
  if (d < 2 || R.columns !== d) fail("robustnessFromR", "R", R, "must be square with d >= 2");
  const { rowNorm2, last } = inverseRowsAndLastColumn(R);
  const cd = last[d - 1];
  let widest = 0;
  let steepest = 0;
  let target = 0;
  for (let j = 0; j < d - 1; j++) {
    // ‖w_d − w_j‖² = ‖w_j‖² + ‖w_d‖² − 2 w_j·w_d, with w_d = (0, …, 0, 1/R_dd)
    widest = Math.max(widest, rowNorm2[j] + cd * cd - 2 * last[j] * cd);
    if (Math.abs(last[j] - cd) > steepest) {
      steepest = Math.abs(last[j] - cd);
      target = j;
    }
  }
  const columns = R.transpose().to2DArray();
  let nearest = Infinity;
  for (let j = 0; j < d - 1; j++)
    nearest = Math.min(nearest, norm(sub(columns[d - 1], columns[j])));
  return {
    exactMinimal: 1 / Math.sqrt(widest),
    directionMinimal: 1 / steepest,
    directionSign: Math.sign(last[target] - cd),
    directionTarget: target,
    nearestMargin: nearest / 2,
  };
}

export interface Theorem1Robustness {
  /** The exact minimal perturbation of the network's end-to-end map W at x_d (closed form). */
  exact: LinearMinimalPerturbation;
  /** The label after a step of 1 + 10⁻⁶ times the exact minimal one (0-based). */
  labelBeyond: number;
  /** The same quantities from R alone (what the scaling study uses). */
  fromR: RobustnessFromR;
  /** The minimum-distance rule argmin_j ‖x − x_j‖ as the linear classifier 2x_jᵀx − ‖x_j‖²: its exact minimal perturbation. */
  minimumDistanceLinear: number;
  /** Half the distance from x_d to its nearest other point, from X directly. */
  minimumDistanceHalfGap: number;
  /** The minimum-distance classifier's guarantee √(2d)/2 (first claim with ε = 0). */
  guarantee: number;
  /** One row for display: ‖e‖, the exact minimal, its class (1-based), the two min-distance numbers */
  summary: {
    attack: number;
    exact: number;
    target: number;
    minimumDistance: number;
    guarantee: number;
  };
}

/** The exact robustness of the network and of the minimum-distance classifier at x_d. */
export function theorem1Robustness(net: Theorem1Network): Theorem1Robustness {
  const attack = attackNorm(trailingEntries(net.R));
  const X = net.X;
  const d = X.rows;
  const xd = X.getColumn(d - 1);
  const exact = minimalPerturbationLinear(net.W, null, xd);
  const beyond = linearOutputs(
    net.W,
    null,
    xd.map((v, i) => v + (1 + 1e-6) * exact.e[i]),
  );
  const sq = Array.from({ length: d }, (_, j) => -(norm(X.getColumn(j)) ** 2));
  const rule = minimalPerturbationLinear(X.transpose().mul(2), sq, xd);
  const halfGap = nearestNeighbourMargin(X, d - 1);
  const guarantee = Math.sqrt(2 * d) / 2;
  return {
    exact,
    labelBeyond: argmax(beyond),
    fromR: robustnessFromR(net.RX),
    minimumDistanceLinear: rule.norm,
    minimumDistanceHalfGap: halfGap,
    guarantee,
    summary: {
      attack,
      exact: exact.norm,
      target: exact.target + 1,
      minimumDistance: halfGap,
      guarantee,
    },
  };
}

export interface Theorem1DirectionAttack {
  /** max |(H_2H_1)_{d,:} − (Q_2)_{:,d}ᵀ / R_dd|: class d's score reads only the direction (Q_2)_{:,d} */
  lastRowError: number;
  /** δ: x_d + δ(Q_2)_{:,d} is the tie (from R alone, see RobustnessFromR.directionMinimal) */
  delta: number;
  /** Labels (0-based) at x_d + (1 ∓ 10⁻⁶)δ(Q_2)_{:,d}, through the network */
  labelBefore: number;
  labelBeyond: number;
}

/** Theorem 1's remark after its proof: the attack needs only the direction (Q_2)_{:,d}. */
export function theorem1DirectionAttack(net: Theorem1Network): Theorem1DirectionAttack {
  const d = net.X.rows;
  const q = net.Q2.getColumn(d - 1);
  const rdd = net.RX.get(d - 1, d - 1);
  const lastRow = net.W.getRow(d - 1);
  const fromR = robustnessFromR(net.RX);
  const delta = fromR.directionSign * fromR.directionMinimal;
  const xd = net.X.getColumn(d - 1);
  const label = (s: number) =>
    argmax(
      linearOutputs(
        net.W,
        null,
        xd.map((v, i) => v + s * delta * q[i]),
      ),
    );
  return {
    lastRowError: Math.max(...lastRow.map((w, i) => Math.abs(w - q[i] / rdd))),
    delta,
    labelBefore: label(1 - 1e-6),
    labelBeyond: label(1 + 1e-6),
  };
}

/**
 * The smallest distance between two columns of X, and the pair (Theorem 1, first claim).
 * @param X d×n, one point per column, n ≥ 2
 */
export function minPairwiseDistance(X: Matrix): { distance: number; i: number; j: number } {
  if (X.columns < 2) fail("minPairwiseDistance", "X", X, "must have at least 2 columns");
  const cols = X.transpose()
    .to2DArray()
    .map((c) => Float64Array.from(c));
  let best2 = Infinity;
  let bi = 0;
  let bj = 1;
  for (let i = 0; i < cols.length; i++) {
    const ci = cols[i];
    for (let j = i + 1; j < cols.length; j++) {
      const cj = cols[j];
      let s = 0;
      for (let k = 0; k < ci.length && s < best2; k++) s += (ci[k] - cj[k]) ** 2;
      if (s < best2) {
        best2 = s;
        bi = i;
        bj = j;
      }
    }
  }
  return { distance: Math.sqrt(best2), i: bi, j: bj };
}

/**
 * The minimum-distance classifier's robustness at column k: half the distance to the nearest
 * other column.
 * @param X d×n, one point per column
 */
export function nearestNeighbourMargin(X: Matrix, k: number): number {
  requireInteger("nearestNeighbourMargin", "k", k, 0, X.columns - 1);
  const xk = X.getColumn(k);
  let best = Infinity;
  for (let j = 0; j < X.columns; j++)
    if (j !== k) best = Math.min(best, norm(sub(xk, X.getColumn(j))));
  return best / 2;
}

/**
 * ln of the union bound of Theorem 1's first claim: P(min_{i<j} ‖x_i − x_j‖ < (1−ε)√(2d)) ≤
 * C(d, 2) · P(χ²_d ≤ (1−ε)² d) ≤ C(d, 2) (αe^{1−α})^{d/2} with α = (1−ε)² (Lemma 2).
 */
export function logUnionBoundFarApart(d: number, eps: number): number {
  requireInteger("logUnionBoundFarApart", "d", d, 2);
  requireInRange("logUnionBoundFarApart", "eps", eps, 0, 1, [false, false]);
  const alpha = (1 - eps) ** 2;
  return Math.log((d * (d - 1)) / 2) + (d / 2) * (Math.log(alpha) + 1 - alpha);
}

/**
 * The ε at which the union bound of Theorem 1's first claim equals `bound` (it decreases in ε
 * from C(d, 2) at ε → 0 to 0 at ε → 1): bisection to 1e-12. Chosen from the formula, not data.
 */
export function epsForUnionBound(d: number, bound: number): number {
  requireInteger("epsForUnionBound", "d", d, 2);
  requireInRange("epsForUnionBound", "bound", bound, 0, 1, [false, false]);
  const target = Math.log(bound);
  let lo = 1e-12; // the bound there is C(d, 2) ≥ 1 > bound
  let hi = 1 - 1e-12;
  while (hi - lo > 1e-12) {
    const mid = (lo + hi) / 2;
    if (logUnionBoundFarApart(d, mid) > target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * The law of ‖e‖ (proof of Theorem 1). Given R_{d−1,d−1} = a, the pair (R_{d−1,d−1} − R_{d−1,d}, R_dd)
 * has the norm of (a, 0) + n for a standard Gaussian n in R² (R_{d−1,d} ~ N(0, 1), R_dd ~ |N(0, 1)|,
 * and the sign of R_dd does not change the norm); since R_{d−1,d−1} ~ χ₂ is the length of a standard
 * Gaussian g in R² and n's law is rotation-invariant, ‖e‖ has the law of ‖g + n‖ = ‖N(0, 2I₂)‖:
 * ‖e‖ ~ √2·χ₂, P(‖e‖ > t) = e^{−t²/4}, E‖e‖ = √π, at every d.
 */
export const NORM_E_MEAN = Math.sqrt(Math.PI);

/** P(‖e‖ ≤ t) = 1 − e^{−t²/4} (‖e‖ ~ √2·χ₂). */
export function normECdf(t: number): number {
  return t <= 0 ? 0 : 1 - Math.exp(-(t * t) / 4);
}

/** Density of ‖e‖: (t/2) e^{−t²/4}. */
export function normEPdf(t: number): number {
  return t <= 0 ? 0 : (t / 2) * Math.exp(-(t * t) / 4);
}

/** I_ν(z) for ν = 0, 1 by its power series (z ≤ 60 here). */
function besselI(nu: 0 | 1, z: number): number {
  if (z === 0) return nu === 0 ? 1 : 0;
  let term = nu === 0 ? 1 : z / 2;
  let sum = term;
  for (let k = 1; k < 500; k++) {
    term *= (z / 2) ** 2 / (k * (k + nu));
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return sum;
}

/**
 * E‖e‖ by a second route, without the rotation argument: given R_{d−1,d−1} = a, ‖e‖ is Rice(ν = a,
 * σ = 1) with mean √(π/2) L_{1/2}(−a²/2) = √(π/2) e^{−a²/4} ((1 + a²/2) I₀(a²/4) + (a²/2) I₁(a²/4));
 * integrated against the χ₂ density a e^{−a²/2} over [0, 14] (the tail beyond is below e^{−98}) by
 * Simpson's rule with `intervals` intervals.
 */
export function normEMeanByQuadrature(intervals = 2000): number {
  requireInteger("normEMeanByQuadrature", "intervals", intervals, 2);
  if (intervals % 2) fail("normEMeanByQuadrature", "intervals", intervals, "must be even");
  const top = 14;
  const h = top / intervals;
  const f = (a: number) => {
    const z = (a * a) / 4;
    const rice =
      Math.sqrt(Math.PI / 2) *
      Math.exp(-z) *
      ((1 + (a * a) / 2) * besselI(0, z) + ((a * a) / 2) * besselI(1, z));
    return rice * a * Math.exp(-(a * a) / 2);
  };
  let s = f(0) + f(top);
  for (let i = 1; i < intervals; i++) s += (i % 2 ? 4 : 2) * f(i * h);
  return (s * h) / 3;
}

/** E χ_k = √2 Γ((k+1)/2) / Γ(k/2). */
export function chiMean(k: number): number {
  if (!(k > 0)) fail("chiMean", "k", k, "must be > 0");
  return Math.SQRT2 * Math.exp(logGamma((k + 1) / 2) - logGamma(k / 2));
}
