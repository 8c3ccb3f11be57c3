/**
 * Three-outcome verdicts about a number the paper reports (REFEREE.md items 4–6): our estimate of
 * the deviation from the paper's value, its (1 − 2α) confidence interval, and a margin fixed from
 * the paper (data/paper/margins.json) decide
 * - reproduced: the whole interval lies inside the margin (two one-sided tests at α: equivalence);
 * - contradicted: the whole interval lies outside it (a one-sided test beyond the margin at α);
 * - inconclusive: neither (the data cannot tell), never folded into a pass or a fail.
 * For a single verdict both errors are at most α: P(reproduced) ≤ α when the true deviation is at
 * or beyond the margin, P(contradicted) ≤ α when it is within. A composite keeps that: "every part
 * holds" (allOfVerdict) is contradicted only when some part is at α/k (a union of k tests), and "at
 * some setting of a grid" (anyOfVerdict) is reproduced only when some setting is at α/k; the other
 * side of each is an intersection–union test, which needs no correction. A correction never makes
 * a reproduction (or a contradiction) easier to reach.
 *
 * Where the paper's number is a sample's (its ten rows, its 18 kept runs, its 50 networks), the
 * interval carries that sample's own error, so some verdicts cannot be reproduced however many runs
 * of ours there are: `floor` is the interval's half-width with our sample infinite, and
 * `reproducible` says whether reproduction is decidable at all at the margin.
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
 * "ratio" (ours / paper's, margin [lo, hi] around 1, decided on the log scale). A one-sided
 * margin has lo = −∞ (difference) or lo = 0 (ratio): "at most hi".
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
  /** The margin the deviation is decided against (fixed from the paper). */
  margin: [number, number];
  /** Each side's level α. */
  level: number;
  /**
   * What the verdict resolves with 90% power, from the same interval that decides: a true
   * deviation beyond `contradicted` (on the side of the estimate) is called contradicted; one
   * within `reproduced` is called reproduced (null: not with this interval, which is wider than
   * the margin).
   */
  detectable: { contradicted: number; reproduced: number | null };
  /**
   * The interval's half-width (on the decision scale: the log scale for ratios) that the paper's
   * own sample leaves with our sample infinite (0 where the paper's value is a fixed target).
   */
  floor: number;
  /** Whether reproduction is decidable at all: the floor is narrower than the margin. */
  reproducible: boolean;
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
    floor: Number.NaN,
    reproducible: false,
    method: "not testable",
    untestable: reason,
  };
}

function requireMargin(fn: string, scale: VerdictScale, margin: readonly [number, number]): void {
  if (!Array.isArray(margin) || margin.length !== 2) fail(fn, "margin", margin, "must be [lo, hi]");
  const [lo, hi] = margin;
  requireFinite(fn, "margin[1]", hi);
  if (scale === "difference") {
    if (!(lo === -Infinity || (Number.isFinite(lo) && lo < 0)) || !(hi > 0))
      fail(fn, "margin", [...margin], "must hold 0 strictly inside (lo may be −∞: one-sided)");
  } else if (!(lo >= 0 && lo < 1 && hi > 1))
    fail(fn, "margin", [...margin], "must hold 1 strictly inside, lo ≥ 0 (0: one-sided)");
}

/**
 * The verdict from an interval on the decision scale (the log scale for ratios): its outcome, and
 * what it resolves with 90% power from its own half-widths. `floor`: the half-width the paper's
 * sample alone leaves (our sample infinite).
 */
function fromInterval(o: {
  scale: VerdictScale;
  ours: number;
  paper: number;
  /** On the decision scale. */
  deviation: number;
  lo: number;
  hi: number;
  floor: number;
  /** The interval's quantile (half-widths over it are standard errors). */
  q: number;
  margin: [number, number];
  level: number;
  method: string;
}): VerdictNumbers {
  const log = o.scale === "ratio";
  const t = (x: number) => (log ? Math.log(x) : x);
  const back = (x: number) => (log ? Math.exp(x) : x);
  const [mLo, mHi] = [t(o.margin[0]), t(o.margin[1])];
  const extra = normalQuantile(VERDICT_POWER) / o.q;
  // A side's half-width, stretched from the level's quantile to level plus power.
  const below = (o.deviation - o.lo) * (1 + extra);
  const above = (o.hi - o.deviation) * (1 + extra);
  const oneSided = !Number.isFinite(mLo);
  const centre = oneSided ? -Infinity : (mLo + mHi) / 2;
  const upper = oneSided || o.deviation >= centre;
  const contradicted = upper ? mHi + below : mLo - above;
  let reproduced: number | null;
  if (oneSided) reproduced = mHi - above;
  else {
    // The largest true deviation from the centre that still lies inside with 90% power.
    const room = upper ? mHi - above - centre : centre - (mLo + below);
    reproduced = room > 0 ? (upper ? centre + room : centre - room) : null;
  }
  const halfMargin = oneSided ? Infinity : (mHi - mLo) / 2;
  return {
    outcome: decide([back(o.lo), back(o.hi)], o.margin),
    scale: o.scale,
    ours: o.ours,
    paper: o.paper,
    estimate: back(o.deviation),
    interval: [back(o.lo), back(o.hi)],
    margin: o.margin,
    level: o.level,
    detectable: {
      contradicted: back(contradicted),
      reproduced: reproduced === null ? null : back(reproduced),
    },
    floor: o.floor,
    reproducible: o.floor < halfMargin,
    method: o.method,
  };
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

const quantile = (level: number, df: number) =>
  Number.isFinite(df) ? studentTQuantile(1 - level, df) : normalQuantile(1 - level);

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
  requireInRange(fn, "level", level, 0, 0.5, [false, false]);
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
  const q = quantile(level, df);
  const se = Math.sqrt(vo + vp);
  const paperPart =
    o.paperN === Infinity
      ? "the paper's value as a fixed target"
      : `the paper's mean over ${o.paperN} records, their spread ${o.paperSd === undefined ? "taken as ours" : "from the paper's own rows"}`;
  return fromInterval({
    scale: "difference",
    ours: mean,
    paper: o.paper,
    deviation: mean - o.paper,
    lo: mean - o.paper - q * se,
    hi: mean - o.paper + q * se,
    floor: quantile(level, Math.max(1, dfP)) * Math.sqrt(vp),
    q,
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
  requireInRange(fn, "level", level, 0, 0.5, [false, false]);
  requireMargin(fn, "ratio", o.margin);
  const logs = Array.from(o.ratios, (r, i) => {
    if (!(r > 0) || !Number.isFinite(r)) fail(fn, `ratios[${i}]`, r, "must be positive and finite");
    return Math.log(r);
  });
  if (logs.length < 3)
    return untestableVerdict("ratio", 1, o.margin, `${logs.length} ratios (needs 3)`, level);
  const { n, mean, sd } = moments(fn, logs);
  const q = quantile(level, n - 1);
  const se = sd / Math.sqrt(n);
  return fromInterval({
    scale: "ratio",
    ours: Math.exp(mean),
    paper: 1,
    deviation: mean,
    lo: mean - q * se,
    hi: mean + q * se,
    floor: 0,
    q,
    margin: o.margin,
    level,
    method: `t interval of the mean log ${o.what} over ${n} units, exponentiated`,
  });
}

/** Wilson's score interval of k of n at two-sided level 1 − 2α (z its quantile). */
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
  requireInRange(fn, "level", level, 0, 0.5, [false, false]);
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
  return fromInterval({
    scale: "difference",
    ours: p1,
    paper,
    deviation: d,
    lo: d - Math.sqrt((p1 - l1) ** 2 + (u2 - paper) ** 2),
    hi: d + Math.sqrt((u1 - p1) ** 2 + (paper - l2) ** 2),
    // The paper's arms alone: the narrower of them bounds what any sample of ours can reach.
    floor: Math.min(u2 - paper, paper - l2),
    q: z,
    margin: o.margin,
    level,
    method: `Newcombe's hybrid score interval of ${o.k}/${o.n} (ours) − ${o.kPaper}/${o.nPaper} (the paper's)`,
  });
}

/**
 * Hodges–Lehmann's shift between two samples (the median of every difference ours − paper's) with
 * Moses's distribution-free interval (the k-th smallest and largest of those differences, k from
 * the Mann–Whitney law; normal approximation with continuity correction), against a margin on the
 * shift. For a column the paper prints in full (Table 1's ten rows): robust to its outlier row.
 */
export function shiftVerdict(o: {
  ours: ArrayLike<number>;
  paper: ArrayLike<number>;
  margin: [number, number];
  level?: number;
  /** "ratio": the shift of the logarithms (a ratio of typical values), margin as a ratio. */
  scale?: VerdictScale;
  /** What the values are, for the method text. */
  what: string;
}): VerdictNumbers {
  const fn = "shiftVerdict";
  const level = o.level ?? VERDICT_LEVEL;
  const scale = o.scale ?? "difference";
  const log = scale === "ratio";
  requireInRange(fn, "level", level, 0, 0.5, [false, false]);
  requireMargin(fn, scale, o.margin);
  const check = (name: string, x: ArrayLike<number>) =>
    Array.from(x, (v, i) => {
      if (!Number.isFinite(v) || (log && !(v > 0)))
        fail(fn, `${name}[${i}]`, v, log ? "must be positive and finite" : "must be finite");
      return log ? Math.log(v) : v;
    });
  const a = check("ours", o.ours);
  const b = check("paper", o.paper);
  const medianOf = (x: number[]) => {
    const s = [...x].sort((u, v) => u - v);
    const h = (s.length - 1) / 2;
    return (s[Math.floor(h)] + s[Math.ceil(h)]) / 2;
  };
  const back = (x: number) => (log ? Math.exp(x) : x);
  const paperMedian = b.length ? back(medianOf(b)) : Number.NaN;
  if (a.length < 3 || b.length < 3)
    return untestableVerdict(
      scale,
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
  const [lo, hi] = k >= 1 ? [diffs[k - 1], diffs[N - k]] : [-Infinity, Infinity];
  // The floor: the Mann–Whitney variance N(n + m + 1)/12 is in the ratio (1/n + 1/m) : 1/m to its
  // part from the paper's sample alone.
  const floor = ((hi - lo) / 2) * Math.sqrt(1 / m / (1 / n + 1 / m));
  return fromInterval({
    scale,
    ours: back(medianOf(a)),
    paper: paperMedian,
    deviation: hl,
    lo,
    hi,
    floor,
    q: z,
    margin: o.margin,
    level,
    method: `Hodges–Lehmann shift of ${log ? "log " : ""}${o.what}, ours (${n}) − the paper's (${m}), with Moses's interval${log ? ", exponentiated" : ""}`,
  });
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
  /** The part of the standard error that comes from the paper's own sample (default 0). */
  paperSe?: number;
  method: string;
}): VerdictNumbers {
  const fn = "standardErrorVerdict";
  const level = o.level ?? VERDICT_LEVEL;
  requireInRange(fn, "level", level, 0, 0.5, [false, false]);
  requireMargin(fn, "difference", o.margin);
  requireFinite(fn, "estimate", o.estimate);
  requireFinite(fn, "target", o.target);
  if (!(o.se >= 0)) fail(fn, "se", o.se, "must be a non-negative number");
  if (!(o.df > 0)) fail(fn, "df", o.df, "must be positive");
  const q = quantile(level, o.df);
  const d = o.estimate - o.target;
  return fromInterval({
    scale: "difference",
    ours: o.estimate,
    paper: o.target,
    deviation: d,
    lo: d - q * o.se,
    hi: d + q * o.se,
    floor: q * (o.paperSe ?? 0),
    q,
    margin: o.margin,
    level,
    method: o.method,
  });
}

/**
 * A margin that says "within a factor r either way of the paper's value", as a difference margin
 * around it: [v(1/r − 1), v(r − 1)] (for a mean, whose interval is on the difference scale).
 */
export function relativeMargin(value: number, r: number): [number, number] {
  if (!(value > 0)) fail("relativeMargin", "value", value, "must be positive");
  if (!(r > 1)) fail("relativeMargin", "r", r, "must be above 1");
  return [value * (1 / r - 1), value * (r - 1)];
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
  /** The label of the part whose numbers these are (and why, for an undecided one). */
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
  const d = Math.max(mLo - hi, lo - mHi);
  return Number.isNaN(d) ? -Infinity : d;
}

/**
 * Every part must hold (e.g. every column of Table 1 at one batch size). `tight`: the same parts
 * decided at level/k. Contradicted when some part is contradicted at level/k (a union of k tests:
 * Bonferroni), decided by the part furthest beyond its margin there; reproduced when every part is
 * at the level (an intersection–union test), decided by the part nearest its margin; inconclusive
 * otherwise, decided by the first part neither reproduced nor contradicted.
 */
export function allOfVerdict(
  parts: readonly VerdictPart[],
  tight: readonly VerdictPart[],
): CompositeVerdict {
  const fn = "allOfVerdict";
  if (parts.length === 0) fail(fn, "parts", 0, "must not be empty");
  if (tight.length !== parts.length)
    fail(fn, "tight", tight.length, `must hold the same parts at level/k (${parts.length})`);
  const against = tight.filter((p) => p.numbers.outcome === "contradicted");
  let outcome: Outcome;
  let pick: VerdictPart;
  if (against.length) {
    outcome = "contradicted";
    pick = against.reduce((a, b) => (beyond(b.numbers) > beyond(a.numbers) ? b : a));
  } else if (parts.every((p) => p.numbers.outcome === "reproduced")) {
    outcome = "reproduced";
    pick = parts.reduce((a, b) => (beyond(b.numbers) > beyond(a.numbers) ? b : a));
  } else {
    outcome = "inconclusive";
    pick = parts.find((p) => p.numbers.outcome !== "reproduced")!;
  }
  return {
    ...pick.numbers,
    outcome,
    reproducible: parts.every((p) => p.numbers.reproducible),
    decidedBy: labelOf(pick),
    parts: [...parts],
  };
}

/**
 * At some setting of a grid (`settings`: one verdict per setting at the level; `tight`: the same
 * at level/k). Contradicted when every setting is (the intersection–union test: no correction),
 * decided by the setting nearest its margin (the weakest link); reproduced when some setting is at
 * level/k (Bonferroni over the grid: a reproduction is never easier for having more settings to
 * choose from); inconclusive otherwise, decided by the settings neither contradicted nor
 * reproduced (listed, untestable ones said as such).
 */
export function anyOfVerdict(
  settings: readonly VerdictPart[],
  tight: readonly VerdictPart[],
): CompositeVerdict {
  const fn = "anyOfVerdict";
  if (settings.length === 0) fail(fn, "settings", 0, "must not be empty");
  if (tight.length !== settings.length)
    fail(fn, "tight", tight.length, `must hold one verdict per setting (${settings.length})`);
  const reproducible = tight.some((t) => t.numbers.reproducible);
  if (settings.every((s) => s.numbers.outcome === "contradicted")) {
    const pick = settings.reduce((a, b) => (beyond(b.numbers) < beyond(a.numbers) ? b : a));
    return {
      ...pick.numbers,
      outcome: "contradicted",
      reproducible,
      decidedBy: labelOf(pick),
      parts: [...settings],
    };
  }
  const won = tight.find((t) => t.numbers.outcome === "reproduced");
  if (won)
    return {
      ...won.numbers,
      outcome: "reproduced",
      reproducible,
      decidedBy: labelOf(won),
      parts: [...settings],
    };
  const open = settings.filter((s) => s.numbers.outcome !== "contradicted");
  const untestable = open.filter((s) => s.numbers.untestable);
  const testable = open.filter((s) => !s.numbers.untestable);
  const pick = testable[0] ?? open[0];
  const names = (xs: VerdictPart[]) => xs.map((x) => x.label).join(", ");
  return {
    ...pick.numbers,
    outcome: "inconclusive",
    reproducible,
    decidedBy:
      `not contradicted at ${testable.length ? names(testable) : "no testable setting"}` +
      (untestable.length ? `; not testable at ${names(untestable)}` : "") +
      ` (shown: ${labelOf(pick)})`,
    parts: [...settings],
  };
}

/**
 * A composite built at a level by a function of the level (so that its corrections compose):
 * every part must hold, the contradiction side at level/k.
 */
export function allOfAt(parts: (level: number) => VerdictPart[], level = VERDICT_LEVEL) {
  const at = parts(level);
  return allOfVerdict(at, parts(level / at.length));
}

/** At some setting of a grid, built at a level (the reproduction side at level/k). */
export function anyOfAt(settings: (level: number) => VerdictPart[], level = VERDICT_LEVEL) {
  const at = settings(level);
  return anyOfVerdict(at, settings(level / at.length));
}
