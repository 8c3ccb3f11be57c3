/**
 * Theorem 5's setting (section 3): Theorem 1's data (d Gaussian points, d classes) through a
 * multi-layer linear network with Gaussian hidden layers and two last layers, a random Gaussian one
 * and one fitted by ridge regression (which, unlike condition (5), does not interpolate). The proof's
 * construction for every ordered pair of classes, checked by routes other than the proof's own, and
 * a study of ‖Δ‖ against what the minimum-distance rule needs, over independent networks.
 */
import { Matrix, solve } from "ml-matrix";
import { fail, requireInRange, requireInteger } from "../check";
import type { Claim, TestInput } from "../claims/ledger";
import type { Headline } from "../claims/outputs";
import { argmax, minimalPerturbationLinear } from "../attacks/linear";
import { add, dot, norm, scale, sub } from "../linalg/vectors";
import { gaussianMatrix, gaussianVector } from "../random/gaussian";
import type { Rng } from "../random/rng";
import { bootstrapInterval } from "../stats/bootstrap";
import { binomialCdf } from "../stats/distributions";
import { linearFit, median, slopeInterval, slopeTest } from "../stats/summary";
import { ridgeLastLayer } from "../theorems/lastlayer";
import { theorem5Step } from "../theorems/theorem5";
import type { Scale } from "./config";
import { multiply } from "../linalg/product";
import { throughLayers } from "./theorem4";

export type Theorem5Config = {
  /** Points, classes and input dimension (Theorem 1's d). */
  d: number;
  /** Hidden layer i has d · growth^i neurons (n_{i+1} ≥ n_i, as Lemma 3 assumes). */
  growth: number;
  /** Hidden layers H_1, …, H_{l−1}. */
  depth: number;
  /** Ridge λ as a fraction of the mean squared feature norm: large enough not to interpolate. */
  ridge: number;
  /** ε of eq. (7), relative to Δ's size. */
  eps: number;
  /** Independent networks in the study of ‖Δ‖ against the minimum-distance rule. */
  draws: number;
  /** The scan of ‖Δ‖, ‖x̃‖ and ‖x‖ in d: dimensions, and networks per dimension. */
  scanDims: number[];
  scanDraws: number;
  /** Coverage of the study's interval for the median ratio. */
  level: number;
};

export const theorem5Defaults: Record<Scale, Theorem5Config> = {
  quick: {
    d: 6,
    growth: 2,
    depth: 2,
    ridge: 0.1,
    eps: 1e-6,
    draws: 300,
    scanDims: [4, 8, 16, 32],
    scanDraws: 150,
    level: 0.99,
  },
  paper: {
    d: 12,
    growth: 2,
    depth: 3,
    ridge: 0.1,
    eps: 1e-6,
    draws: 1000,
    scanDims: [4, 8, 16, 32],
    scanDraws: 300,
    level: 0.99,
  },
};

/**
 * What this machine can do in about a minute per step (2 cores shared), measured with ml-matrix:
 * the pair step evaluates 2·d(d − 1) pairs with about 7 passes through the network each, at about
 * 10⁸ multiply-adds per second; the study draws and multiplies the weights of one network per
 * draw, at about 1 µs per weight.
 */
export const THEOREM5_LIMITS = {
  /** Multiply-adds of the pair step: 2·d(d − 1) · 7 · (weights of one network). */
  pairWork: 6e9,
  /** Weights drawn by the study: draws · (weights of one network). */
  studyWeights: 6e7,
};

/** Weights of one network: Σ n_{i+1}·n_i over the hidden layers plus d·n_l in the last layer. */
export function theorem5Weights(c: Pick<Theorem5Config, "d" | "depth" | "growth">): number {
  const w = theorem5Widths(c.d, c.depth, c.growth);
  return w.slice(1).reduce((s, n, i) => s + n * w[i], 0) + c.d * w[w.length - 1];
}

/**
 * Refuses, before any work, configurations Theorem 5 cannot use (d = 1 has no pair of classes,
 * d = 2 no direction orthogonal to the probes) or this machine cannot run in about a minute per
 * step (THEOREM5_LIMITS, with the rate).
 */
export function validateTheorem5Config(c: Theorem5Config): void {
  const fn = "validateTheorem5Config";
  if (!Number.isInteger(c.d) || c.d < 3)
    fail(
      fn,
      "d",
      c.d,
      "must be an integer >= 3: Theorem 5 needs two classes i ≠ j (d ≥ 2), and step 5 a " +
        "direction orthogonal to span(p_i, p_j) and the study a target j ∉ {i, k} (d ≥ 3)",
    );
  requireInteger(fn, "depth", c.depth, 1, 12);
  if (!(c.growth >= 1 && c.growth <= 8))
    fail(fn, "growth", c.growth, "must lie in [1, 8] (Lemma 3 needs n_{i+1} ≥ n_i)");
  const weights = theorem5Weights(c);
  const pairWork = 2 * c.d * (c.d - 1) * 7 * weights;
  if (pairWork > THEOREM5_LIMITS.pairWork)
    fail(
      fn,
      "d",
      c.d,
      `is too large at depth ${c.depth} and growth ${c.growth}: the pair step would take ` +
        `${pairWork.toExponential(1)} multiply-adds (2·d(d − 1) pairs × 7 passes × ${weights} ` +
        `weights), over ${THEOREM5_LIMITS.pairWork.toExponential()} (a minute at 10⁸ per second)`,
    );
  requireInRange(fn, "ridge", c.ridge, 0, 100, [false, true]);
  requireInRange(fn, "eps", c.eps, 0, 1e-2, [false, true]);
  requireInteger(fn, "draws", c.draws, 20);
  if (c.draws * weights > THEOREM5_LIMITS.studyWeights)
    fail(
      fn,
      "draws",
      c.draws,
      `must be <= ${Math.floor(THEOREM5_LIMITS.studyWeights / weights)} for networks of ` +
        `${weights} weights: the study draws ${THEOREM5_LIMITS.studyWeights.toExponential()} ` +
        `weights at most (a minute at about 1 µs per weight)`,
    );
  if (c.scanDims.length < 2 || new Set(c.scanDims).size !== c.scanDims.length)
    fail(
      fn,
      "scanDims",
      c.scanDims,
      "must hold at least 2 distinct dimensions (slopes are fitted)",
    );
  c.scanDims.forEach((d, i) => requireInteger(fn, `scanDims[${i}]`, d, 3, 256));
  requireInteger(fn, "scanDraws", c.scanDraws, 3);
  const scanWeights = c.scanDims.reduce(
    (s, d) => s + c.scanDraws * theorem5Weights({ ...c, d }),
    0,
  );
  if (scanWeights > THEOREM5_LIMITS.studyWeights)
    fail(
      fn,
      "scanDraws",
      c.scanDraws,
      `is too many for scanDims up to ${Math.max(...c.scanDims)}: the scan would draw ` +
        `${scanWeights.toExponential(1)} weights, over ` +
        `${THEOREM5_LIMITS.studyWeights.toExponential()} (a minute at about 1 µs per weight)`,
    );
  requireInRange(fn, "level", c.level, 0.5, 1, [true, false]);
}

/** Widths [n_1, …, n_l] = [d, d·g, d·g², …] of a network with `depth` hidden layers. */
export function theorem5Widths(d: number, depth: number, growth: number): number[] {
  return Array.from({ length: depth + 1 }, (_, i) => Math.round(d * growth ** i));
}

export type Theorem5HeadKey = "random" | "ridge";

/** One last layer on the common hidden layers. */
export type Theorem5Head = {
  key: Theorem5HeadKey;
  name: string;
  /** k×n_l with k = d classes: row i is w_iᵀ. */
  W: Matrix;
  /** d×d end-to-end map W H_{l−1}⋯H_1: row i is the probe p_iᵀ (Theorem 5's definition). */
  P: Matrix;
  /** Points x_k the network assigns to their own class k. */
  ownClass: number;
  /** max over points of max_i |⟨p_i, x_k⟩ − f_i(x_k)| / max_i |f_i(x_k)|, f through the layers. */
  probeError: number;
};

/** Theorem 5's network on Theorem 1's data. */
export type Theorem5Network = {
  /** d×d, one point x_k per column, class k. */
  X: Matrix;
  /** H_1, …, H_{l−1}: H_i is n_{i+1}×n_i, i.i.d. N(0, 1). */
  layers: Matrix[];
  /** n_l×d: H_{l−1}⋯H_1. */
  H: Matrix;
  /** λ of the ridge fit (absolute). */
  lambda: number;
  heads: Theorem5Head[];
};

/**
 * Theorem 5's network (section 3) on Theorem 1's data: X and the layers Gaussian, a random
 * Gaussian last layer and a ridge fit to one-hot targets, with their probe vectors.
 * @param rng streams: child 1 the data, 2 the layers, 3 the random last layer
 */
export function theorem5Network(c: Theorem5Config, rng: Rng): Theorem5Network {
  const net = buildNetwork(c, rng);
  const heads = net.heads.map((h): Theorem5Head => {
    let ownClass = 0;
    let probeError = 0;
    for (let k = 0; k < c.d; k++) {
      const x = net.X.getColumn(k);
      const f = throughLayers(net.layers, h.W, x);
      if (argmax(f) === k) ownClass++;
      const scaleF = Math.max(...f.map(Math.abs));
      f.forEach((fi, i) => {
        probeError = Math.max(probeError, Math.abs(dot(h.P.getRow(i), x) - fi) / scaleF);
      });
    }
    return { ...h, ownClass, probeError };
  });
  return { ...net, heads };
}

/** The network without its checks (the study builds thousands). */
function buildNetwork(
  c: Theorem5Config,
  rng: Rng,
): Omit<Theorem5Network, "heads"> & {
  heads: Array<Omit<Theorem5Head, "ownClass" | "probeError">>;
} {
  const d = c.d;
  const X = gaussianMatrix(rng.child(1), d, d);
  const widths = theorem5Widths(d, c.depth, c.growth);
  const layers = widths.slice(1).map((rows, i) => gaussianMatrix(rng.child(2, i), rows, widths[i]));
  let H = layers[0];
  for (const L of layers.slice(1)) H = multiply(L, H);
  const F = multiply(H, X);
  const lambda = (c.ridge * F.to1DArray().reduce((s, v) => s + v * v, 0)) / d;
  const Ws: Array<[Theorem5HeadKey, string, Matrix]> = [
    ["random", "random W", gaussianMatrix(rng.child(3), d, H.rows)],
    ["ridge", "ridge-fitted W", ridgeLastLayer(F, Matrix.eye(d), lambda)],
  ];
  return {
    X,
    layers,
    H,
    lambda,
    heads: Ws.map(([key, name, W]) => ({ key, name, W, P: multiply(W, H) })),
  };
}

/** The proof's construction for one ordered pair, with each identity checked by another route. */
export type Theorem5Pair = {
  /** The point x_k, the class i the network predicts at it, the target class j ≠ i. */
  k: number;
  i: number;
  j: number;
  /** ‖Δ‖ without ε: |r11a_i1 − (r12a_i1 + r22a_i2)| / ‖p_i − p_j‖ (eq. 7). */
  size: number;
  /** √(a_i1² + a_i2²). */
  bound: number;
  /** ½‖x_k − x_j‖, what the minimum-distance rule needs at least (NaN when j = k). */
  halfDistance: number;
  /** |f_i − r11a_i1| and |f_j − (r12a_i1 + r22a_i2)|, f through the layers (relative, larger one). */
  innerError: number;
  /** |⟨p_j − p_i, Δ⟩ − ((r12 − r11)Δ1 + r22Δ2)|: d-vectors against Q-coefficients (relative). */
  deltaInnerError: number;
  /** |√((r12 − r11)² + r22²) − ‖p_i − p_j‖| / ‖p_i − p_j‖. */
  denominatorError: number;
  /** |√(a_i1² + a_i2²) − ‖x̃‖| / ‖x‖, x̃ from the normal equations of [p_i, p_j] (no QR). */
  projectionError: number;
  /** |size − the closed-form minimal perturbation of the two-row map [p_iᵀ; p_jᵀ]| / size. */
  closedFormError: number;
  /** (f_j − f_i)(x + Δ), Δ of size (7)·(1 + ε), relative to max(|f_i|, |f_j|) at x: > 0 moved. */
  movedMargin: number;
  /** |f_j − f_i|(x + Δ) with Δ of size (7) exactly (relative): the tie. */
  tieGap: number;
  /** (f_i − f_j)(x + (1 − ε)Δ) (relative): > 0 while the decision is still i. */
  underMargin: number;
  /** |Δ(f_i − f_j)| after adding v ⟂ span(p_i, p_j) with ‖v‖ = ‖x‖ (relative). */
  orthogonalChange: number;
};

/** The pairs of one last layer and their worst residuals. */
export type Theorem5PairSummary = {
  key: Theorem5HeadKey;
  name: string;
  pairs: Theorem5Pair[];
  /** The largest of each relative residual over the pairs. */
  worst: {
    inner: number;
    deltaInner: number;
    denominator: number;
    projection: number;
    closedForm: number;
    tie: number;
    orthogonal: number;
  };
  /** Pairs whose decision Δ of size (7)·(1 + ε) moves to j. */
  moved: number;
  /** Pairs whose decision (1 − ε)·(7) leaves at i. */
  notYet: number;
  /** Medians over the pairs of ‖Δ‖ (eq. 7 without ε) and of √(a_i1² + a_i2²). */
  medianSize: number;
  medianBound: number;
  /** Median of size / √(a_i1² + a_i2²) over the pairs (the slack of the statement's second bound). */
  medianSlack: number;
};

/** ‖projection of x onto span(u, v)‖ by the normal equations (a route without QR). */
function projectionNorm(u: readonly number[], v: readonly number[], x: readonly number[]): number {
  const G = new Matrix([
    [dot(u, u), dot(u, v)],
    [dot(u, v), dot(v, v)],
  ]);
  const c = solve(G, Matrix.columnVector([dot(u, x), dot(v, x)])).getColumn(0);
  return norm(add(scale(u, c[0]), scale(v, c[1])));
}

/**
 * Theorem 5's proof (eq. 7) for every point x_k, its predicted class i and every other class j,
 * for each last layer. Every identity of the proof is computed twice, by the proof's route and by
 * another (outputs through the layers, the normal equations, the closed-form linear attack).
 * @param rng the directions v ⟂ span(p_i, p_j) (child = pair index)
 */
export function theorem5Pairs(
  net: Theorem5Network,
  c: Theorem5Config,
  rng: Rng,
): Theorem5PairSummary[] {
  const d = net.X.columns;
  return net.heads.map((h) => {
    const P = h.P.to2DArray();
    const f = (x: readonly number[]) => throughLayers(net.layers, h.W, x);
    const pairs: Theorem5Pair[] = [];
    for (let k = 0; k < d; k++) {
      const x = net.X.getColumn(k);
      const fx = f(x);
      const i = argmax(fx);
      for (let j = 0; j < d; j++) {
        if (j === i) continue;
        const s = theorem5Step(P[i], P[j], x, 0);
        const rel = Math.max(Math.abs(fx[i]), Math.abs(fx[j]));
        const gap = (y: readonly number[]) => {
          const fy = f(y);
          return (fy[j] - fy[i]) / rel;
        };
        const delta = scale(s.delta, 1 + c.eps);
        const coef = s.deltaCoefficients.map((v) => v * (1 + c.eps));
        const pjMinusPi = sub(P[j], P[i]);
        const v0 = gaussianVector(rng.child(h.key === "random" ? 0 : 1, pairs.length), d);
        const vPerp = sub(
          v0,
          add(
            scale(s.Q.getColumn(0), dot(s.Q.getColumn(0), v0)),
            scale(s.Q.getColumn(1), dot(s.Q.getColumn(1), v0)),
          ),
        );
        const v = scale(vPerp, norm(x) / norm(vPerp));
        const closed = minimalPerturbationLinear(new Matrix([P[i], P[j]]), null, x).norm;
        pairs.push({
          k,
          i,
          j,
          size: s.size,
          bound: s.bound,
          halfDistance: j === k ? NaN : norm(sub(x, net.X.getColumn(j))) / 2,
          innerError:
            Math.max(
              Math.abs(fx[i] - s.r11 * s.a1),
              Math.abs(fx[j] - (s.r12 * s.a1 + s.r22 * s.a2)),
            ) / rel,
          deltaInnerError:
            Math.abs(dot(pjMinusPi, delta) - ((s.r12 - s.r11) * coef[0] + s.r22 * coef[1])) / rel,
          denominatorError:
            Math.abs(Math.hypot(s.r12 - s.r11, s.r22) - norm(pjMinusPi)) / norm(pjMinusPi),
          projectionError: Math.abs(s.bound - projectionNorm(P[i], P[j], x)) / norm(x),
          closedFormError: Math.abs(s.size - closed) / s.size,
          movedMargin: gap(add(x, delta)),
          tieGap: Math.abs(gap(add(x, s.delta))),
          underMargin: -gap(add(x, scale(s.delta, 1 - c.eps))),
          orthogonalChange: Math.abs(gap(add(x, v)) - gap(x)),
        });
      }
    }
    const worst = (key: keyof Theorem5Pair) => Math.max(...pairs.map((p) => p[key]));
    return {
      key: h.key,
      name: h.name,
      pairs,
      worst: {
        inner: worst("innerError"),
        deltaInner: worst("deltaInnerError"),
        denominator: worst("denominatorError"),
        projection: worst("projectionError"),
        closedForm: worst("closedFormError"),
        tie: worst("tieGap"),
        orthogonal: worst("orthogonalChange"),
      },
      moved: pairs.filter((p) => p.movedMargin > 0).length,
      notYet: pairs.filter((p) => p.underMargin > 0).length,
      medianSize: median(pairs.map((p) => p.size)),
      medianBound: median(pairs.map((p) => p.bound)),
      medianSlack: median(pairs.map((p) => p.size / p.bound)),
    };
  });
}

/**
 * The proof on one pair, every number of it (a step a reader can follow): the first point x_1 of
 * the data, the class i the random last layer predicts at it and the first other class j; the QR
 * of [p_i, p_j], x's coefficients a_i1, a_i2, eq. (7)'s numerator and denominator, ‖Δ‖ and the
 * outputs f_i, f_j at x and at x + Δ (Δ of size (7)·(1 + ε)), through the layers.
 */
export function theorem5OnePair(net: Theorem5Network, c: Theorem5Config) {
  const h = net.heads[0];
  const P = h.P.to2DArray();
  const x = net.X.getColumn(0);
  const f = (y: readonly number[]) => throughLayers(net.layers, h.W, y);
  const fx = f(x);
  const i = argmax(fx);
  const j = i === 0 ? 1 : 0;
  const s = theorem5Step(P[i], P[j], x, 0);
  const after = f(add(x, scale(s.delta, 1 + c.eps)));
  const numerator = s.r11 * s.a1 - (s.r12 * s.a1 + s.r22 * s.a2);
  return {
    lastLayer: h.name,
    point: 1,
    i: i + 1,
    j: j + 1,
    r11: s.r11,
    r12: s.r12,
    r22: s.r22,
    a1: s.a1,
    a2: s.a2,
    numerator,
    denominator: Math.hypot(s.r12 - s.r11, s.r22),
    size: s.size,
    bound: s.bound,
    fi: fx[i],
    fj: fx[j],
    fiAfter: after[i],
    fjAfter: after[j],
  };
}

/** One last layer's study: ‖Δ‖ against the minimum-distance rule over independent networks. */
export type Theorem5StudyHead = {
  key: Theorem5HeadKey;
  name: string;
  /**
   * One ratio ‖Δ‖ / (½‖x_k − x_j‖) per network: a random point k, the class i predicted at it, a
   * random target j ∉ {i, k} (draws where no such j exists, d = 2 and i ≠ k, are left out).
   */
  ratios: number[];
  /** Networks with a ratio. */
  networks: number;
  /** The median ratio and its percentile-bootstrap interval [lo, hi] at `level`. */
  medianRatio: number;
  lo: number;
  hi: number;
  level: number;
  /** Ratios below 1: the probe-subspace attack is smaller than the minimum-distance rule's. */
  below: number;
  /** Exact sign test of "the median ratio is at least 1": P(Bin(n, ½) ≥ below). */
  test: TestInput;
};

/**
 * The study (beyond the paper): ‖Δ‖ of eq. (7) against ½‖x_k − x_j‖, which the minimum-distance
 * rule needs at least to move x_k to class j, over `draws` independent networks.
 * @param rng streams: child (g, 0) network g, child (g, 1) its point and target; child 0 the bootstrap
 */
export function theorem5Study(c: Theorem5Config, rng: Rng): Theorem5StudyHead[] {
  const ratios: Record<Theorem5HeadKey, number[]> = { random: [], ridge: [] };
  const names: Record<Theorem5HeadKey, string> = { random: "", ridge: "" };
  for (let g = 1; g <= c.draws; g++) {
    const net = buildNetwork(c, rng.child(g, 0));
    const pick = rng.child(g, 1);
    const k = pick.int(c.d);
    const x = net.X.getColumn(k);
    for (const h of net.heads) {
      names[h.key] = h.name;
      const P = h.P.to2DArray();
      const i = argmax(P.map((p) => dot(p, x)));
      const targets = Array.from({ length: c.d }, (_, j) => j).filter((j) => j !== i && j !== k);
      if (targets.length === 0) continue;
      const j = targets[pick.int(targets.length)];
      const size = theorem5Step(P[i], P[j], x, 0).size;
      ratios[h.key].push(size / (norm(sub(x, net.X.getColumn(j))) / 2));
    }
  }
  return (["random", "ridge"] as const).map((key) => {
    const r = ratios[key];
    if (r.length === 0)
      fail("theorem5Study", "draws", c.draws, `left no pair (i, j) with j ∉ {i, k} for ${key}`);
    const below = r.filter((v) => v < 1).length;
    // P(Bin(n, ½) ≥ below) = P(Bin(n, ½) ≤ n − below), without the cancellation of 1 − CDF.
    const pValue = binomialCdf(r.length - below, r.length, 0.5);
    const m = bootstrapInterval(r, median, rng.child(0, key === "random" ? 0 : 1), {
      level: c.level,
    });
    return {
      key,
      name: names[key],
      ratios: r,
      networks: r.length,
      medianRatio: m.estimate,
      lo: m.lo,
      hi: m.hi,
      level: m.level,
      below,
      test: {
        pValue,
        statistic: below,
        hypothesis: `the median of ‖Δ‖ / (½‖x_k − x_j‖) is at least 1 (${r.length} networks)`,
        method: "exact sign test: P(Bin(n, ½) ≥ ratios below 1)",
      },
    };
  });
}

/**
 * The results file's headline rows: the study's median ratio per last layer with its interval,
 * and a verdict from the notebook's decided claim `below-min-distance@<key>`; then the scan's
 * exponent of ‖Δ‖ per last layer, with the verdict of `delta-grows@<key>`.
 */
export function theorem5Headline(
  study: readonly Theorem5StudyHead[],
  claims: readonly Claim[],
  scan: readonly Theorem5ScanHead[] = [],
): Headline[] {
  const scanRows = scan.map((h): Headline => {
    const s = h.slopes[0];
    const c = claims.find((x) => x.id === `delta-grows@${h.key}`);
    return {
      quantity: `slope of ln ‖Δ‖ on ln d over d ∈ {${h.rows.map((r) => r.d).join(", ")}} (a range, not an exponent), ${h.name}`,
      ours: s.slope,
      interval: { lo: s.lo, hi: s.hi, level: s.level },
      paper: "not stated (the remark: only the components in span(p_i, p_j) change)",
      verdict: !c?.test
        ? undefined
        : `${c.passed ? "grows over this range" : "not shown to grow"} (t test of the slope, Holm-adjusted p = ` +
          `${c.test.adjustedP.toPrecision(2)})`,
    };
  });
  return [...studyRows(study, claims), ...scanRows];
}

function studyRows(study: readonly Theorem5StudyHead[], claims: readonly Claim[]): Headline[] {
  return study.map((h) => {
    const c = claims.find((x) => x.id === `below-min-distance@${h.key}`);
    const verdict = !c?.test
      ? undefined
      : `${c.passed ? "below 1" : "not shown below 1"} (sign test, Holm-adjusted p = ` +
        `${c.test.adjustedP.toPrecision(2)})`;
    return {
      quantity: `median ‖Δ‖ / (½‖x_k − x_j‖) over ${h.networks} networks, ${h.name}`,
      ours: h.medianRatio,
      interval: { lo: h.lo, hi: h.hi, level: h.level },
      paper: "not stated (Theorem 5 bounds ‖Δ‖ by √(a_i1² + a_i2²))",
      verdict,
    };
  });
}

// ---------------------------------------------------------------- the compression, scanned in d

/** One last layer at one d of the scan: medians over networks (one pair per network). */
export type Theorem5ScanRow = {
  key: Theorem5HeadKey;
  name: string;
  d: number;
  networks: number;
  /** Medians of ‖Δ‖ (eq. 7 without ε), of ‖x̃‖ = √(a_i1² + a_i2²) and of ‖x‖. */
  medianDelta: number;
  medianProjection: number;
  medianNorm: number;
};

/** One last layer's scan: the rows and the least-squares slopes on ln d over every network. */
export type Theorem5ScanHead = {
  key: Theorem5HeadKey;
  name: string;
  rows: Theorem5ScanRow[];
  /** Per network: d, ‖Δ‖, ‖x̃‖, ‖x‖. */
  draws: Array<{ d: number; delta: number; projection: number; norm: number }>;
  /** Slopes of ln ‖Δ‖, ln ‖x̃‖, ln ‖x‖ and ln(‖Δ‖/‖x‖) on ln d, with intervals at `level`. */
  slopes: Array<{ quantity: string; slope: number; lo: number; hi: number; level: number }>;
  /**
   * ‖Δ‖ grows over the scan's range: one-sided t test of the least-squares slope of ln ‖Δ‖ on
   * ln d (H₀: at most 0). A statement about the range, not an exponent.
   */
  growsTest: TestInput;
  /** ‖Δ‖/‖x‖ falls over the range: the same test of ln(‖Δ‖/‖x‖) (H₀: at least 0). */
  compressionTest: TestInput;
};

/**
 * The remark after Theorem 5 scanned in d (beyond the paper's single d): over `draws`
 * independent networks at each d (same depth, growth and ridge as the config), a random
 * point x_k, the class i predicted at it and a random class j ≠ i; ‖Δ‖ of eq. (7), the length ‖x̃‖
 * of x's projection on span(p_i, p_j), and ‖x‖.
 * (c.scanDims, c.scanDraws). Tested per last layer: ‖Δ‖ grows with d (one-sided t test of the
 * least-squares slope of ln ‖Δ‖ on ln d against 0) and ‖Δ‖/‖x‖ falls (slope of ln(‖Δ‖/‖x‖) against 0).
 * @param rng child (d, g, 0) network g at d, child (d, g, 1) its pair
 */
export function theorem5Scan(c: Theorem5Config, rng: Rng): Theorem5ScanHead[] {
  const dims = c.scanDims;
  const draws = c.scanDraws;
  const out: Record<Theorem5HeadKey, Theorem5ScanHead["draws"]> = { random: [], ridge: [] };
  const names: Record<Theorem5HeadKey, string> = { random: "", ridge: "" };
  for (const d of dims) {
    for (let g = 0; g < draws; g++) {
      const net = buildNetwork({ ...c, d }, rng.child(d, g, 0));
      const pick = rng.child(d, g, 1);
      const x = net.X.getColumn(pick.int(d));
      for (const h of net.heads) {
        names[h.key] = h.name;
        const P = h.P.to2DArray();
        const i = argmax(P.map((p) => dot(p, x)));
        const j = (i + 1 + pick.int(d - 1)) % d;
        const s = theorem5Step(P[i], P[j], x, 0);
        out[h.key].push({ d, delta: s.size, projection: s.bound, norm: norm(x) });
      }
    }
  }
  return (["random", "ridge"] as const).map((key) => {
    const all = out[key];
    const lnD = all.map((r) => Math.log(r.d));
    const span = `d ∈ [${Math.min(...dims)}, ${Math.max(...dims)}]`;
    const slope = (quantity: string, y: number[]) => {
      const fit = linearFit(lnD, y);
      const ci = slopeInterval(fit, c.level);
      return { quantity, slope: fit.slope, lo: ci.lo, hi: ci.hi, level: c.level, fit };
    };
    const slopes = [
      slope(
        "ln ‖Δ‖",
        all.map((r) => Math.log(r.delta)),
      ),
      slope(
        "ln ‖x̃‖",
        all.map((r) => Math.log(r.projection)),
      ),
      slope(
        "ln ‖x‖",
        all.map((r) => Math.log(r.norm)),
      ),
      slope(
        "ln(‖Δ‖ / ‖x‖)",
        all.map((r) => Math.log(r.delta / r.norm)),
      ),
    ];
    // Every network is an independent unit (one pair each), so the slope's OLS error applies; a
    // slope over this range is a statement about the range, not an exponent.
    const test = (k: number, up: boolean, what: string): TestInput => {
      const t = slopeTest(slopes[k].fit, 0, up ? "greater" : "less");
      return {
        pValue: t.pValue,
        statistic: t.statistic,
        hypothesis:
          `the least-squares slope of ${what} on ln d over ${span} is ` +
          `${up ? "at most" : "at least"} 0 (${up ? "no growth" : "no fall"} over this range), ` +
          `${names[key]}`,
        method: `one-sided t test of the slope, ${all.length} independent networks`,
      };
    };
    return {
      key,
      name: names[key],
      rows: dims.map((d): Theorem5ScanRow => {
        const g = all.filter((r) => r.d === d);
        return {
          key,
          name: names[key],
          d,
          networks: g.length,
          medianDelta: median(g.map((r) => r.delta)),
          medianProjection: median(g.map((r) => r.projection)),
          medianNorm: median(g.map((r) => r.norm)),
        };
      }),
      draws: all,
      slopes: slopes.map(({ fit: _fit, ...rest }) => rest),
      growsTest: test(0, true, "ln ‖Δ‖"),
      compressionTest: test(3, false, "ln(‖Δ‖ / ‖x‖)"),
    };
  });
}

/** Column labels of theorem5OnePair's table. */
export const theorem5OnePairColumns = [
  { key: "lastLayer", label: "last layer" },
  { key: "point", label: "point x" },
  { key: "i", label: "class i (predicted)" },
  { key: "j", label: "class j" },
  { key: "r11", label: "r₁₁" },
  { key: "r12", label: "r₁₂" },
  { key: "r22", label: "r₂₂" },
  { key: "a1", label: "a_i1" },
  { key: "a2", label: "a_i2" },
  { key: "numerator", label: "r₁₁a_i1 − (r₁₂a_i1 + r₂₂a_i2)" },
  { key: "denominator", label: "√((r₁₂ − r₁₁)² + r₂₂²)" },
  { key: "size", label: "‖Δ‖ (eq. 7)" },
  { key: "bound", label: "√(a_i1² + a_i2²)" },
  { key: "fi", label: "f_i(x)" },
  { key: "fj", label: "f_j(x)" },
  { key: "fiAfter", label: "f_i(x + Δ)" },
  { key: "fjAfter", label: "f_j(x + Δ)" },
];
