/**
 * Three-outcome verdicts about a number the paper reports (REFEREE.md items 4–6): our estimate of
 * the deviation from the paper's value, its (1 − 2α) confidence interval, and a margin fixed from
 * the paper before any run (data/paper/margins.json) decide
 * - reproduced: the whole interval lies inside the margin (two one-sided tests at α: equivalence);
 * - contradicted: the whole interval lies outside it (a one-sided test beyond the margin at α);
 * - inconclusive: neither (the data cannot tell), never folded into a pass or a fail.
 * Both errors are at most α: P(reproduced) ≤ α when the true deviation is at or beyond the margin,
 * P(contradicted) ≤ α when it is within. No family correction applies to a single verdict; an
 * "at some setting of a grid" verdict tightens the reproduction side (Bonferroni), never loosens it.
 */
import { fail, requireFinite, requireInRange, requireInteger } from "../check";
import { normalQuantile, studentTQuantile } from "./distributions";

export type Outcome = "reproduced" | "contradicted" | "inconclusive";

/** The level of each side of a verdict: 90% intervals, the convention of equivalence testing. */
export const VERDICT_LEVEL = 0.05;

/** The power at which a verdict states the deviation it resolves. */
export const VERDICT_POWER = 0.9;

/**
 * How the deviation is measured: "difference" (ours − paper's, margin [lo, hi] around 0) or
 * "ratio" (ours / paper's, margin [lo, hi] around 1, decided on the log scale).
 */
export type VerdictScale = "difference" | "ratio";

/** A verdict's numbers, as results files and the index carry them. */
export interface VerdictNumbers {
  outcome: Outcome;
  scale: VerdictScale;
  /** Our value of the quantity and the paper's (NaN where the paper's is a statement, not a number). */
  ours: number;
  paper: number;
  /** The deviation (ours − paper's, or ours / paper's) and its (1 − 2·level) interval. */
  estimate: number;
  interval: [number, number];
  /** The margin the deviation is decided against (fixed from the paper before any run). */
  margin: [number, number];
  /** Each side's level α. */
  level: number;
  /**
   * What the verdict resolves with 90% power: a true deviation beyond `contradicted` (on the
   * verdict's scale, the side of the estimate) is called contradicted; one within `reproduced`
   * (null: none, the interval is wider than the margin) is called reproduced.
   */
  detectable: { contradicted: number; reproduced: number | null };
  /** How the interval was obtained. */
  method: string;
  /** Why the verdict could not be computed (then outcome is "inconclusive" and the numbers NaN). */
  untestable?: string;
}

/** Decides an interval against a margin (both on the verdict's scale). */
export function decide(
  interval: readonly [number, number],
  margin: readonly [number, number],
): Outcome {
  const [lo, hi] = interval;
  const [mLo, mHi] = margin;
  if (!(mLo < mHi)) fail("decide", "margin", [...margin], "must satisfy lo < hi");
  if (!(lo <= hi)) return "inconclusive"; // NaN or a reversed interval decides nothing
  if (lo > mLo && hi < mHi) return "reproduced";
  if (hi < mLo || lo > mHi) return "contradicted";
  return "inconclusive";
}

/** A verdict that cannot be computed: inconclusive, with the reason said. */
export function untestableVerdict(
  scale: VerdictScale,
  paper: number,
  margin: [number, number],
  reason: string,
  level = VERDICT_LEVEL,
): VerdictNumbers {
  return {
    outcome: "inconclusive",
    scale,
    ours: Number.NaN,
    paper,
    estimate: Number.NaN,
    interval: [Number.NaN, Number.NaN],
    margin,
    level,
    detectable: { contradicted: Number.NaN, reproduced: null },
    method: "not testable",
    untestable: reason,
  };
}

/**
 * The verdict from a normal-theory deviation on the log or the plain scale: estimate ± q·se with q
 * the (1 − α) quantile (Student's t with `df`, or the normal for df = Infinity).
 */
function fromStandardError(o: {
  scale: VerdictScale;
  ours: number;
  paper: number;
  /** On the decision scale: the difference, or the log ratio. */
  deviation: number;
  se: number;
  df: number;
  /** On the verdict's scale. */
  margin: [number, number];
  level: number;
  method: string;
}): VerdictNumbers {
  const fn = "verdict";
  requireInRange(fn, "level", o.level, 0, 0.5, [false, false]);
  const q = Number.isFinite(o.df)
    ? studentTQuantile(1 - o.level, o.df)
    : normalQuantile(1 - o.level);
  const zPower = normalQuantile(VERDICT_POWER);
  const log = o.scale === "ratio";
  const margin = log ? ([Math.log(o.margin[0]), Math.log(o.margin[1])] as const) : o.margin;
  const back = (x: number) => (log ? Math.exp(x) : x);
  const lo = o.deviation - q * o.se;
  const hi = o.deviation + q * o.se;
  const resolve = (q + zPower) * o.se;
  // The side the estimate lies on decides which bound a contradiction is measured against.
  const upper = o.deviation >= (margin[0] + margin[1]) / 2;
  const contradicted = upper ? margin[1] + resolve : margin[0] - resolve;
  const half = (margin[1] - margin[0]) / 2 - resolve;
  const centre = (margin[0] + margin[1]) / 2;
  const reproduced = half > 0 ? (upper ? centre + half : centre - half) : null;
  return {
    outcome: decide([lo, hi], margin),
    scale: o.scale,
    ours: o.ours,
    paper: o.paper,
    estimate: back(o.deviation),
    interval: [back(lo), back(hi)],
    margin: o.margin,
    level: o.level,
    detectable: {
      contradicted: back(contradicted),
      reproduced: reproduced === null ? null : back(reproduced),
    },
    method: o.method,
  };
}

function requireMargin(fn: string, scale: VerdictScale, margin: readonly [number, number]): void {
  if (!Array.isArray(margin) || margin.length !== 2) fail(fn, "margin", margin, "must be [lo, hi]");
  requireFinite(fn, "margin[0]", margin[0]);
  requireFinite(fn, "margin[1]", margin[1]);
  if (scale === "difference" && !(margin[0] < 0 && margin[1] > 0))
    fail(fn, "margin", [...margin], "must hold 0 strictly inside (a difference margin)");
  if (scale === "ratio" && !(margin[0] > 0 && margin[0] < 1 && margin[1] > 1))
    fail(fn, "margin", [...margin], "must hold 1 strictly inside, above 0 (a ratio margin)");
}

function moments(fn: string, x: ArrayLike<number>): { n: number; mean: number; sd: number } {
  const n = x.length;
  let m = 0;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x[i])) fail(fn, `values[${i}]`, x[i], "must be finite");
    m += x[i];
  }
  m /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (x[i] - m) ** 2;
  return { n, mean: m, sd: Math.sqrt(ss / Math.max(1, n - 1)) };
}

/**
 * Our mean against a mean the paper reports over `paperN` records it does not publish (or
 * publishes: then pass their spread as `paperSd`): the deviation ours − paper's with the standard
 * error √(s²/n + s_p²/m), s_p the paper's spread where it reports one and ours otherwise (the paper's
 * records are taken to scatter as ours do), and Welch–Satterthwaite's degrees of freedom. With
 * `paperN` = Infinity the paper's value is a fixed target (a statement, not a sample).
 */
export function meanVerdict(o: {
  values: ArrayLike<number>;
  paper: number;
  paperN: number;
  paperSd?: number;
  margin: [number, number];
  level?: number;
}): VerdictNumbers {
  const fn = "meanVerdict";
  const level = o.level ?? VERDICT_LEVEL;
  requireMargin(fn, "difference", o.margin);
  requireFinite(fn, "paper", o.paper);
  if (!(o.paperN === Infinity)) requireInteger(fn, "paperN", o.paperN, 2);
  if (o.values.length < 3)
    return untestableVerdict(
      "difference",
      o.paper,
      o.margin,
      `${o.values.length} values of ours (needs 3)`,
      level,
    );
  const { n, mean, sd } = moments(fn, o.values);
  const sp = o.paperSd ?? sd;
  const vo = (sd * sd) / n;
  const vp = o.paperN === Infinity ? 0 : (sp * sp) / o.paperN;
  // Welch–Satterthwaite; the paper's spread, when it is ours, carries no extra degrees of freedom.
  const dfP = o.paperSd === undefined ? n - 1 : o.paperN - 1;
  const df = vp === 0 ? n - 1 : (vo + vp) ** 2 / (vo ** 2 / (n - 1) + vp ** 2 / Math.max(1, dfP));
  const paperPart =
    o.paperN === Infinity
      ? "the paper's value as a fixed target"
      : `the paper's mean over ${o.paperN} records, their spread ${o.paperSd === undefined ? "taken as ours" : "from the paper's own rows"}`;
  return fromStandardError({
    scale: "difference",
    ours: mean,
    paper: o.paper,
    deviation: mean - o.paper,
    se: Math.sqrt(vo + vp),
    df,
    margin: o.margin,
    level,
    method: `t interval of our mean over ${n} records minus ${paperPart} (Welch df ${df.toFixed(1)})`,
  });
}

/**
 * A geometric mean against a reference: the values are ratios (ours over the reference, one per
 * unit, e.g. per network or per data set), decided on their log scale against a ratio margin.
 */
export function ratioVerdict(o: {
  ratios: ArrayLike<number>;
  margin: [number, number];
  level?: number;
  /** What the ratio is, for the method text. */
  what: string;
}): VerdictNumbers {
  const fn = "ratioVerdict";
  const level = o.level ?? VERDICT_LEVEL;
  requireMargin(fn, "ratio", o.margin);
  const logs = Array.from(o.ratios, (r, i) => {
    if (!(r > 0) || !Number.isFinite(r)) fail(fn, `ratios[${i}]`, r, "must be positive and finite");
    return Math.log(r);
  });
  if (logs.length < 3)
    return untestableVerdict("ratio", 1, o.margin, `${logs.length} ratios (needs 3)`, level);
  const { n, mean, sd } = moments(fn, logs);
  return fromStandardError({
    scale: "ratio",
    ours: Math.exp(mean),
    paper: 1,
    deviation: mean,
    se: sd / Math.sqrt(n),
    df: n - 1,
    margin: o.margin,
    level,
    method: `t interval of the mean log ${o.what} over ${n} units, exponentiated`,
  });
}

/** Wilson's score interval of k of n at two-sided level 1 − 2α. */
function wilson(k: number, n: number, z: number): [number, number] {
  const p = k / n;
  const denom = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denom;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/**
 * Our rate k of n against the paper's kPaper of nPaper: the difference of rates, ours − paper's,
 * with Newcombe's hybrid score interval (method 10 of Newcombe 1998, from Wilson's intervals of
 * each rate), which keeps its level near 0 and 1 and with the paper's small counts.
 */
export function rateVerdict(o: {
  k: number;
  n: number;
  kPaper: number;
  nPaper: number;
  margin: [number, number];
  level?: number;
}): VerdictNumbers {
  const fn = "rateVerdict";
  const level = o.level ?? VERDICT_LEVEL;
  requireMargin(fn, "difference", o.margin);
  requireInteger(fn, "nPaper", o.nPaper, 1);
  requireInteger(fn, "kPaper", o.kPaper, 0, o.nPaper);
  const paper = o.kPaper / o.nPaper;
  if (o.n === 0) return untestableVerdict("difference", paper, o.margin, "no runs of ours", level);
  requireInteger(fn, "n", o.n, 1);
  requireInteger(fn, "k", o.k, 0, o.n);
  const z = normalQuantile(1 - level);
  const p1 = o.k / o.n;
  const [l1, u1] = wilson(o.k, o.n, z);
  const [l2, u2] = wilson(o.kPaper, o.nPaper, z);
  const d = p1 - paper;
  const lo = d - Math.sqrt((p1 - l1) ** 2 + (u2 - paper) ** 2);
  const hi = d + Math.sqrt((u1 - p1) ** 2 + (paper - l2) ** 2);
  // The standard error behind the 90%-power statement: Wald's, each rate kept off 0 and 1.
  const clamp = (p: number, n: number) => Math.min(1 - 0.5 / n, Math.max(0.5 / n, p));
  const q1 = clamp(p1, o.n);
  const q2 = clamp(paper, o.nPaper);
  const se = Math.sqrt((q1 * (1 - q1)) / o.n + (q2 * (1 - q2)) / o.nPaper);
  const resolve = (z + normalQuantile(VERDICT_POWER)) * se;
  const upper = d >= (o.margin[0] + o.margin[1]) / 2;
  const half = (o.margin[1] - o.margin[0]) / 2 - resolve;
  const centre = (o.margin[0] + o.margin[1]) / 2;
  return {
    outcome: decide([lo, hi], o.margin),
    scale: "difference",
    ours: p1,
    paper,
    estimate: d,
    interval: [lo, hi],
    margin: o.margin,
    level,
    detectable: {
      contradicted: upper ? o.margin[1] + resolve : o.margin[0] - resolve,
      reproduced: half > 0 ? (upper ? centre + half : centre - half) : null,
    },
    method: `Newcombe's hybrid score interval of ${o.k}/${o.n} (ours) − ${o.kPaper}/${o.nPaper} (the paper's)`,
  };
}

/**
 * Several verdicts that must all hold (e.g. every column of a table at one setting): reproduced
 * when every part is, contradicted when some part is, inconclusive otherwise.
 */
export function allOf(parts: readonly { outcome: Outcome }[]): Outcome {
  if (parts.length === 0) fail("allOf", "parts", 0, "must not be empty");
  if (parts.some((p) => p.outcome === "contradicted")) return "contradicted";
  if (parts.every((p) => p.outcome === "reproduced")) return "reproduced";
  return "inconclusive";
}

/**
 * "At some setting of a grid": contradicted when every setting is (the intersection–union test:
 * no correction), reproduced when some setting is at the Bonferroni-tightened level α/k (the
 * caller decides each setting again at that level: `reproducedAtTightLevel`), else inconclusive.
 */
export function anyOf(
  settings: readonly { outcome: Outcome; reproducedAtTightLevel: boolean }[],
): Outcome {
  if (settings.length === 0) fail("anyOf", "settings", 0, "must not be empty");
  if (settings.every((s) => s.outcome === "contradicted")) return "contradicted";
  if (settings.some((s) => s.reproducedAtTightLevel)) return "reproduced";
  return "inconclusive";
}

/**
 * Hodges–Lehmann's shift between two samples (the median of every difference ours − paper's) with
 * Moses's distribution-free interval (the k-th smallest and largest of those differences, k from
 * the Mann–Whitney law; normal approximation with continuity correction), against a margin on the
 * shift. For a column the paper prints in full (Table 1's ten rows): robust to its outlier row.
 * `transform` maps each value first (e.g. log₁₀(1 − |cos θ₂|) for a cosine near 1).
 */
export function shiftVerdict(o: {
  ours: ArrayLike<number>;
  paper: ArrayLike<number>;
  margin: [number, number];
  level?: number;
  transform?: (x: number) => number;
  /** What the values are, for the method text. */
  what: string;
}): VerdictNumbers {
  const fn = "shiftVerdict";
  const level = o.level ?? VERDICT_LEVEL;
  requireMargin(fn, "difference", o.margin);
  const t = o.transform ?? ((x: number) => x);
  const map = (name: string, x: ArrayLike<number>) =>
    Array.from(x, (v, i) => {
      const y = t(v);
      if (!Number.isFinite(y)) fail(fn, `${name}[${i}]`, v, "must map to a finite value");
      return y;
    });
  const a = map("ours", o.ours);
  const b = map("paper", o.paper);
  const medianOf = (x: number[]) => {
    const s = [...x].sort((u, v) => u - v);
    const h = (s.length - 1) / 2;
    return (s[Math.floor(h)] + s[Math.ceil(h)]) / 2;
  };
  const paperMedian = b.length ? medianOf(b) : Number.NaN;
  if (a.length < 3 || b.length < 3)
    return untestableVerdict(
      "difference",
      paperMedian,
      o.margin,
      `${a.length} values of ours and ${b.length} of the paper's (needs 3 each)`,
      level,
    );
  const n = a.length;
  const m = b.length;
  const diffs = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) diffs[i * m + j] = a[i] - b[j];
  diffs.sort();
  const N = n * m;
  const hl = N % 2 ? diffs[(N - 1) / 2] : (diffs[N / 2 - 1] + diffs[N / 2]) / 2;
  const z = normalQuantile(1 - level);
  // Moses: the interval [D₍k₎, D₍N+1−k₎] with k the Mann–Whitney lower critical value at α.
  const k = Math.floor(N / 2 - z * Math.sqrt((N * (n + m + 1)) / 12) - 0.5) + 1;
  const interval: [number, number] = k >= 1 ? [diffs[k - 1], diffs[N - k]] : [-Infinity, Infinity];
  // The standard error behind the 90%-power statement: the interval's half-width over z.
  const se = (interval[1] - interval[0]) / (2 * z);
  const resolve = (z + normalQuantile(VERDICT_POWER)) * se;
  const centre = (o.margin[0] + o.margin[1]) / 2;
  const upper = hl >= centre;
  const half = (o.margin[1] - o.margin[0]) / 2 - resolve;
  return {
    outcome: decide(interval, o.margin),
    scale: "difference",
    ours: medianOf(a),
    paper: paperMedian,
    estimate: hl,
    interval,
    margin: o.margin,
    level,
    detectable: {
      contradicted: upper ? o.margin[1] + resolve : o.margin[0] - resolve,
      reproduced: half > 0 ? (upper ? centre + half : centre - half) : null,
    },
    method: `Hodges–Lehmann shift of ${o.what}, ours (${n}) − the paper's (${m}), with Moses's interval`,
  };
}

/** One named part of a composite verdict (e.g. a column of a table at one setting). */
export interface VerdictPart {
  label: string;
  /** The paper's statement this part is about. */
  statement: string;
  numbers: VerdictNumbers;
}

/** A verdict made of parts: its outcome, the part that decides it and that part's numbers. */
export interface CompositeVerdict extends VerdictNumbers {
  /** The label of the part whose numbers these are. */
  decidedBy: string;
  parts: VerdictPart[];
}

/** A part's label with the part that decided it, when it is itself a composite. */
function labelOf(p: VerdictPart): string {
  const inner = (p.numbers as Partial<CompositeVerdict>).decidedBy;
  return inner ? `${p.label}: ${inner}` : p.label;
}

/** How far an interval lies beyond (positive) or inside (negative) the nearer margin bound. */
function beyond(v: VerdictNumbers): number {
  const log = v.scale === "ratio";
  const t = (x: number) => (log ? Math.log(x) : x);
  const [lo, hi] = [t(v.interval[0]), t(v.interval[1])];
  const [mLo, mHi] = [t(v.margin[0]), t(v.margin[1])];
  return Math.max(mLo - hi, lo - mHi);
}

/**
 * Every part must hold (e.g. every column of Table 1 at one batch size): contradicted when some part
 * is (decided by the part furthest beyond its margin), reproduced when every part is (decided by
 * the part nearest its margin), inconclusive otherwise (decided by the first undecided part).
 */
export function allOfVerdict(parts: readonly VerdictPart[]): CompositeVerdict {
  if (parts.length === 0) fail("allOfVerdict", "parts", 0, "must not be empty");
  const outcome = allOf(parts.map((p) => p.numbers));
  const pick =
    outcome === "contradicted"
      ? parts
          .filter((p) => p.numbers.outcome === "contradicted")
          .reduce((a, b) => (beyond(b.numbers) > beyond(a.numbers) ? b : a))
      : outcome === "reproduced"
        ? parts.reduce((a, b) => (beyond(b.numbers) > beyond(a.numbers) ? b : a))
        : parts.find((p) => p.numbers.outcome === "inconclusive")!;
  return { ...pick.numbers, outcome, decidedBy: labelOf(pick), parts: [...parts] };
}

/**
 * At some setting of a grid (`settings`: one composite per setting, decided at the verdict's level;
 * `tight`: the same decided at level/k for k settings): contradicted when every setting is (decided
 * by the setting nearest its margin: the weakest link), reproduced when some setting is at the
 * tightened level (Bonferroni over the grid: a reproduction is never easier to pass for having
 * more settings to choose from), inconclusive otherwise (decided by the first undecided setting).
 */
export function anyOfVerdict(
  settings: readonly VerdictPart[],
  tight: readonly VerdictPart[],
): CompositeVerdict {
  const fn = "anyOfVerdict";
  if (settings.length === 0) fail(fn, "settings", 0, "must not be empty");
  if (tight.length !== settings.length)
    fail(fn, "tight", tight.length, `must hold one verdict per setting (${settings.length})`);
  const outcome = anyOf(
    settings.map((s, i) => ({
      outcome: s.numbers.outcome,
      reproducedAtTightLevel: tight[i].numbers.outcome === "reproduced",
    })),
  );
  const pick =
    outcome === "contradicted"
      ? settings.reduce((a, b) => (beyond(b.numbers) < beyond(a.numbers) ? b : a))
      : outcome === "reproduced"
        ? tight.find((t) => t.numbers.outcome === "reproduced")!
        : settings.find((s) => s.numbers.outcome !== "contradicted")!;
  return { ...pick.numbers, outcome, decidedBy: labelOf(pick), parts: [...settings] };
}

/**
 * A verdict from an estimate with a standard error (e.g. a slope with its clustered error): the
 * deviation estimate − target against `margin` around 0, with a t interval on `df` degrees of
 * freedom (the normal for df = Infinity).
 */
export function standardErrorVerdict(o: {
  estimate: number;
  se: number;
  df: number;
  /** The paper's value (the deviation is estimate − target). */
  target: number;
  margin: [number, number];
  level?: number;
  method: string;
}): VerdictNumbers {
  const fn = "standardErrorVerdict";
  requireMargin(fn, "difference", o.margin);
  requireFinite(fn, "estimate", o.estimate);
  requireFinite(fn, "target", o.target);
  if (!(o.se >= 0)) fail(fn, "se", o.se, "must be a non-negative number");
  if (!(o.df > 0)) fail(fn, "df", o.df, "must be positive");
  return fromStandardError({
    scale: "difference",
    ours: o.estimate,
    paper: o.target,
    deviation: o.estimate - o.target,
    se: o.se,
    df: o.df,
    margin: o.margin,
    level: o.level ?? VERDICT_LEVEL,
    method: o.method,
  });
}

/**
 * A statement of direction ("smaller when d increases": a slope below 0): reproduced when the whole
 * interval lies below 0, contradicted when it lies above, inconclusive when it holds 0. The margin
 * is recorded as [−∞, 0] (its upper bound is the statement's); detectable gives the true slopes
 * decided with 90% power either way.
 */
export function signVerdict(o: {
  estimate: number;
  se: number;
  df: number;
  level?: number;
  method: string;
}): VerdictNumbers {
  const fn = "signVerdict";
  requireFinite(fn, "estimate", o.estimate);
  if (!(o.se >= 0)) fail(fn, "se", o.se, "must be a non-negative number");
  if (!(o.df > 0)) fail(fn, "df", o.df, "must be positive");
  const level = o.level ?? VERDICT_LEVEL;
  const q = Number.isFinite(o.df) ? studentTQuantile(1 - level, o.df) : normalQuantile(1 - level);
  const resolve = (q + normalQuantile(VERDICT_POWER)) * o.se;
  const lo = o.estimate - q * o.se;
  const hi = o.estimate + q * o.se;
  return {
    outcome: hi < 0 ? "reproduced" : lo > 0 ? "contradicted" : "inconclusive",
    scale: "difference",
    ours: o.estimate,
    paper: 0,
    estimate: o.estimate,
    interval: [lo, hi],
    margin: [-Infinity, 0],
    level,
    detectable: { contradicted: resolve, reproduced: -resolve },
    method: o.method,
  };
}
