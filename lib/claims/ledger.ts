import { fail, requireFinite, requireInRange } from "../check";
import { detectable, type Detectable, type PowerSpec } from "../stats/power";
import type { VerdictNumbers } from "../stats/verdict";

/**
 * What a claim is (DESIGN.md, the claims ledger):
 * - construction: an identity of the construction or of our code, true up to rounding, checked
 *   by a different route to the same number;
 * - theorem: a statement of the paper checked on concrete instances (never fails at any seed);
 * - law: a distributional statement, checked by a test at a level;
 * - reproduction: a number the paper reports, against ours (a test of consistency);
 * - erratum: the data contradict the paper (passes while they do);
 * - finding: something the paper does not state that we measure.
 */
export const KINDS = [
  "construction",
  "theorem",
  "law",
  "reproduction",
  "erratum",
  "finding",
] as const;
export type Kind = (typeof KINDS)[number];

/** How a measured value is compared with what is expected. */
export type Relation = "≈" | "≤" | "≥" | "∈" | "holds" | "test" | "verdict";

/**
 * A three-outcome verdict about a number or statement of the paper (lib/stats/verdict.ts): the
 * deviation of ours from the paper's, its interval and the margin fixed before any run.
 */
export interface Verdict extends VerdictNumbers {
  /** The paper's statement the verdict is about, quoted (e.g. "Table 2: mean φ = 0.3280"). */
  statement: string;
  /** Where the margin comes from (data/paper/margins.json). */
  marginSource: string;
  /** For a verdict made of parts: the part whose numbers these are. */
  decidedBy?: string;
}

/** A statistical claim's test: the p-value of a stated null hypothesis. */
export interface TestInput {
  /** p-value of the null hypothesis (in [0, 1]). */
  pValue: number;
  /** The null hypothesis in words, e.g. "R_dd ~ χ₁" or "the paper's 20 of 50 at this setting". */
  hypothesis: string;
  /** The statistic and how its null distribution is obtained, e.g. "one-sample KS, exact". */
  method: string;
  /** The statistic's value, where one number says it. */
  statistic?: number;
  /**
   * When the claim passes: "not rejected" (the paper's statement survives the test) or "rejected"
   * (the null is refuted: an erratum, or a finding of an effect). Default: by kind, "rejected"
   * for erratum and finding, "not rejected" otherwise.
   */
  passWhen?: "rejected" | "not rejected";
  /**
   * What the test needs to state the deviation it detects with 90% power (lib/stats/power.ts):
   * required in spirit for every claim that passes on non-rejection (REFEREE.md item 4).
   */
  power?: PowerSpec;
}

/** A test as decided within the notebook's family (Holm's step-down procedure). */
export interface TestDecision extends Required<Omit<TestInput, "statistic" | "power">> {
  statistic?: number;
  power?: PowerSpec;
  /**
   * For a test that passes on non-rejection and states its power: the deviation it rejects with
   * 90% power at Holm's first step (family-wise level over family size), the strictest level it
   * can face in its family.
   */
  detectable?: Detectable;
  /** Holm-adjusted p-value over the tests of the ledger so far. */
  adjustedP: number;
  /** The null hypothesis is rejected at the family-wise level. */
  rejected: boolean;
  /** The notebook's family-wise level. */
  familyLevel: number;
  /** Tests in the family when this was decided. */
  familySize: number;
  /**
   * A decision that later tests cannot change. Adding tests to a Holm family only removes
   * rejections, so "not rejected" is final and "rejected" holds until the family is complete.
   */
  final: boolean;
}

/** One claim of the paper, checked on a concrete instance. */
export interface Claim {
  /** Stable identifier: a literal base (`far-apart`) and, for repeated checks, `@` and a label (`far-apart@d=8`). */
  id: string;
  kind: Kind;
  /** Quotes the paper and says where from, e.g. "f_{d−1}(x_d + e) = 1 (Theorem 1, eq. 3)". */
  name: string;
  passed: boolean;
  /** What was measured. */
  value: number | string | boolean;
  /** The expected value, bound, interval or statement. */
  expected: number | string | [number, number];
  /** Allowed deviation (absolute) where the comparison has one, else null. */
  tolerance: number | null;
  relation: Relation;
  /** Why the tolerance or threshold is what it is, or what a failure would mean. */
  note?: string;
  /** For statistical claims. */
  test?: TestDecision;
  /** For verdicts about the paper: the outcome and the numbers behind it. */
  verdict?: Verdict;
  /**
   * A verdict the data cannot decide (neither reproduced nor contradicted): not passed, and not a
   * failure of the run; shown first by every summary, never folded into a count.
   */
  inconclusive?: boolean;
}

/** A claim that fails the run: not passed, and not an inconclusive verdict. */
export function isFailure(c: Pick<Claim, "passed" | "inconclusive">): boolean {
  return !c.passed && !c.inconclusive;
}

/** A claim's status: passed, failed, or (a verdict) inconclusive. */
export function claimStatus(
  c: Pick<Claim, "passed" | "inconclusive">,
): "passed" | "failed" | "inconclusive" {
  return c.passed ? "passed" : c.inconclusive ? "inconclusive" : "failed";
}

/** How a run was made: written by the runner into every claims and results file. */
export interface RunInfo {
  scale: string;
  seed: number;
  /** Every parameter the run set, the seed included (empty: the notebook's defaults). */
  overrides: Record<string, string | number | boolean>;
}

/** The per-notebook summary written for the runner and the HTML index (build/claims/<stem>.json). */
export interface ClaimsFile {
  notebook: string;
  scale: string;
  seed: number;
  backend: string;
  /** Family-wise level of the notebook's statistical claims (Holm). */
  familyLevel: number;
  counts: KindCounts;
  claims: Claim[];
  run?: RunInfo;
}

/**
 * Per kind: claims passed, in all, and how many of them a statistical test decides (`.test`, in the
 * notebook's Holm family); the rest are exact checks on concrete instances, which can fail only
 * through an error of the paper's algebra or of our code, never by chance.
 */
export type KindCounts = Record<
  Kind,
  { passed: number; total: number; tested: number; inconclusive: number }
>;

const ID = /^[a-z0-9][a-z0-9.-]*(@[^\s]+)?$/;

/** The id without its `@label` (what the coverage table refers to). */
export function baseId(id: string): string {
  const at = id.indexOf("@");
  return at < 0 ? id : id.slice(0, at);
}

interface Row {
  claim: Claim;
  /** For tests: the input, decided again whenever the family grows. */
  input?: Required<Omit<TestInput, "statistic" | "power">> & {
    statistic?: number;
    power?: PowerSpec;
  };
}

/**
 * Holm's step-down procedure: adjusted p̃₍ᵢ₎ = max_{j ≤ i} min(1, (m − j + 1) p₍ⱼ₎) over the
 * sorted p-values; a hypothesis is rejected at family-wise level α when its p̃ ≤ α. Returns the
 * adjusted p-values in the input order.
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  pValues.forEach((p, i) => requireInRange("holmAdjust", `pValues[${i}]`, p, 0, 1));
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p || a.i - b.i);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach(({ p, i }, k) => {
    running = Math.max(running, Math.min(1, (m - k) * p));
    adjusted[i] = running;
  });
  return adjusted;
}

/** The checks of one claim, once its id, kind and name are given (`ledger.theorem(id, name)`). */
export class ClaimBuilder {
  constructor(
    private readonly ledger: Ledger,
    private readonly id: string,
    private readonly kind: Kind,
    private readonly name: string,
    private readonly note?: string,
  ) {}

  private deterministic(fn: string): void {
    if (this.kind === "law") {
      fail(
        `Ledger.${fn}`,
        "kind",
        this.kind,
        "is statistical: check a law with .test(...) at a level",
      );
    }
  }

  private add(c: Omit<Claim, "id" | "kind" | "name" | "note">): Claim {
    return this.ledger.record({
      id: this.id,
      kind: this.kind,
      name: this.name,
      note: this.note,
      ...c,
    });
  }

  /** |value − expected| ≤ tolerance. */
  close(value: number, expected: number, tolerance: number): Claim {
    this.deterministic("close");
    requireFinite("Ledger.close", "expected", expected);
    requireFinite("Ledger.close", "tolerance", tolerance);
    const passed = Number.isFinite(value) && Math.abs(value - expected) <= tolerance;
    return this.add({ passed, value, expected, tolerance, relation: "≈" });
  }

  /** value ≤ bound + tolerance. */
  atMost(value: number, bound: number, tolerance = 0): Claim {
    this.deterministic("atMost");
    requireFinite("Ledger.atMost", "tolerance", tolerance);
    const passed = !Number.isNaN(value) && !Number.isNaN(bound) && value <= bound + tolerance;
    return this.add({ passed, value, expected: bound, tolerance, relation: "≤" });
  }

  /** value ≥ bound − tolerance. */
  atLeast(value: number, bound: number, tolerance = 0): Claim {
    this.deterministic("atLeast");
    requireFinite("Ledger.atLeast", "tolerance", tolerance);
    const passed = !Number.isNaN(value) && !Number.isNaN(bound) && value >= bound - tolerance;
    return this.add({ passed, value, expected: bound, tolerance, relation: "≥" });
  }

  /** lo ≤ value ≤ hi. */
  within(value: number, interval: readonly [number, number]): Claim {
    this.deterministic("within");
    const [lo, hi] = interval;
    if (!(lo <= hi)) fail("Ledger.within", "interval", interval, "must satisfy lo <= hi");
    const passed = value >= lo && value <= hi;
    return this.add({ passed, value, expected: [lo, hi], tolerance: null, relation: "∈" });
  }

  /** A statement that is true or false, with what was seen and what was expected in words. */
  holds(passed: boolean, seen: string | number, expected: string): Claim {
    this.deterministic("holds");
    return this.add({ passed, value: seen, expected, tolerance: null, relation: "holds" });
  }

  /**
   * A statistical claim: the p-value of a stated null hypothesis, decided with every other test of
   * the notebook by Holm's procedure at the ledger's family-wise level.
   */
  test(t: TestInput): Claim {
    requireInRange("Ledger.test", "pValue", t.pValue, 0, 1);
    if (!t.hypothesis)
      fail("Ledger.test", "hypothesis", t.hypothesis, "must state the null hypothesis");
    if (!t.method) fail("Ledger.test", "method", t.method, "must say how the p-value is obtained");
    const passWhen =
      t.passWhen ??
      (this.kind === "erratum" || this.kind === "finding" ? "rejected" : "not rejected");
    if (passWhen !== "rejected" && passWhen !== "not rejected") {
      fail("Ledger.test", "passWhen", passWhen, 'must be "rejected" or "not rejected"');
    }
    if (this.kind === "reproduction") {
      // REFEREE.md item 4: "not rejected" is not "consistent"; a reproduction is a verdict.
      fail(
        "Ledger.test",
        "kind",
        this.kind,
        "cannot pass on a test: decide a reproduction with ledger.verdict(...) against a margin",
      );
    }
    const input = {
      pValue: t.pValue,
      hypothesis: t.hypothesis,
      method: t.method,
      passWhen,
      statistic: t.statistic,
      ...(t.power ? { power: t.power } : {}),
    };
    return this.ledger.record(
      {
        id: this.id,
        kind: this.kind,
        name: this.name,
        note: this.note,
        passed: false,
        value: t.pValue,
        expected: `${passWhen} at family-wise level ${this.ledger.familyLevel} (Holm)`,
        tolerance: null,
        relation: "test",
      },
      input,
    );
  }
}

export interface LedgerOptions {
  /** Family-wise level of the notebook's statistical claims (Holm–Bonferroni). Default 0.01. */
  familyLevel?: number;
}

/**
 * The claims ledger: every statement of the paper a notebook shows becomes a named check of a
 * stated kind, with the measured value, the expected value or bound and a tolerance, or, for a
 * statistical claim, a test decided with the notebook's other tests at a family-wise level (Holm).
 * A failed check does not throw (the notebook goes on to show the numbers); the headless runner
 * fails the run on any failed claim.
 *
 *   ledger.theorem("eq3-prev", "f_{d−1}(x_d + e) = 1 (Theorem 1, eq. 3)").close(f, 1, 1e-9)
 *   ledger.law("rdd-chi1", "R_dd ~ χ₁ (proof of Theorem 1)").test({ pValue, hypothesis, method })
 */
export class Ledger {
  private readonly rows: Row[] = [];
  readonly familyLevel: number;

  constructor(
    readonly notebook: string,
    options: LedgerOptions = {},
  ) {
    if (!notebook) fail("Ledger", "notebook", notebook, "must be a non-empty name");
    this.familyLevel = options.familyLevel ?? 0.01;
    requireInRange("Ledger", "options.familyLevel", this.familyLevel, 0, 0.5, [false, true]);
  }

  private builder(kind: Kind, id: string, name: string, note?: string): ClaimBuilder {
    return new ClaimBuilder(this, id, kind, name, note);
  }

  /** An identity of the construction or our code, checked by a different route (to rounding). */
  construction(id: string, name: string, note?: string): ClaimBuilder {
    return this.builder("construction", id, name, note);
  }
  /** A statement of the paper on concrete instances. */
  theorem(id: string, name: string, note?: string): ClaimBuilder {
    return this.builder("theorem", id, name, note);
  }
  /** A distributional statement, tested at the family-wise level. */
  law(id: string, name: string, note?: string): ClaimBuilder {
    return this.builder("law", id, name, note);
  }
  /** A number the paper reports, against ours. */
  reproduction(id: string, name: string, note?: string): ClaimBuilder {
    return this.builder("reproduction", id, name, note);
  }
  /** The data contradict the paper (passes while they do). */
  erratum(id: string, name: string, note?: string): ClaimBuilder {
    return this.builder("erratum", id, name, note);
  }
  /** Something the paper does not state, measured. */
  finding(id: string, name: string, note?: string): ClaimBuilder {
    return this.builder("finding", id, name, note);
  }

  /**
   * A three-outcome verdict about the paper (lib/stats/verdict.ts). Its kind follows its outcome:
   * reproduced → a `reproduction` that passes; contradicted → an `erratum` that passes (the data
   * contradict the paper); inconclusive → a `reproduction` marked inconclusive (neither passed
   * nor failed: the run goes on, every summary shows it first). The verdict can come out either
   * way: both wrong outcomes have probability at most the verdict's level. `about: "beyond"`: a
   * verdict on something the paper does not state (a `finding` whatever its outcome).
   */
  verdict(
    id: string,
    name: string,
    v: Verdict,
    note?: string,
    about: "paper" | "beyond" = "paper",
  ): Claim {
    if (!v.statement) fail("Ledger.verdict", "statement", v.statement, "must quote the paper");
    if (!v.marginSource)
      fail("Ledger.verdict", "marginSource", v.marginSource, "must say where the margin is from");
    // A verdict on something the paper does not state is a finding whatever its outcome: a
    // contradiction there is not an erratum of the paper.
    const kind: Kind =
      about === "beyond" ? "finding" : v.outcome === "contradicted" ? "erratum" : "reproduction";
    const inconclusive = v.outcome === "inconclusive";
    return this.record({
      id,
      kind,
      name,
      note,
      passed: !inconclusive,
      value: v.outcome,
      expected: `${v.scale === "ratio" ? "ratio" : "deviation"} within [${v.margin[0]}, ${v.margin[1]}] (reproduced) or outside (contradicted)`,
      tolerance: null,
      relation: "verdict",
      // The numbers only (a composite's parts stay with the notebook's results, not in every claim).
      verdict: {
        outcome: v.outcome,
        scale: v.scale,
        ours: v.ours,
        paper: v.paper,
        estimate: v.estimate,
        interval: v.interval,
        margin: v.margin,
        level: v.level,
        detectable: v.detectable,
        floor: v.floor,
        reproducible: v.reproducible,
        method: v.method,
        statement: v.statement,
        marginSource: v.marginSource,
        ...(v.decidedBy !== undefined ? { decidedBy: v.decidedBy } : {}),
        ...(v.untestable !== undefined ? { untestable: v.untestable } : {}),
      },
      ...(inconclusive ? { inconclusive: true } : {}),
    });
  }

  /** Adds a claim (through a ClaimBuilder) and returns it as decided now. */
  record(claim: Claim, input?: Row["input"]): Claim {
    if (!ID.test(claim.id)) {
      fail(
        "Ledger.add",
        "id",
        claim.id,
        "must be lower-case letters, digits, '.' and '-', optionally @label",
      );
    }
    if (!(KINDS as readonly string[]).includes(claim.kind))
      fail("Ledger.add", "kind", claim.kind, `must be one of ${KINDS.join(", ")}`);
    if (!claim.name) fail("Ledger.add", "name", claim.name, "must quote the paper");
    if (this.rows.some((r) => r.claim.id === claim.id)) {
      fail("Ledger.add", "id", claim.id, "is already in the ledger (claim ids must be unique)");
    }
    if (this.rows.some((r) => r.claim.name === claim.name)) {
      fail(
        "Ledger.add",
        "name",
        claim.name,
        "is already in the ledger (claim names must be unique)",
      );
    }
    this.rows.push({ claim, input });
    return this.decided().find((c) => c.id === claim.id)!;
  }

  /**
   * Every claim with its tests decided over the whole family so far. `complete`: the notebook has
   * added every claim (the summary and the claims file), so every decision is final.
   */
  private decided(complete = false): Claim[] {
    const tests = this.rows.filter((r) => r.input);
    const adjusted = holmAdjust(tests.map((r) => r.input!.pValue));
    const byId = new Map(tests.map((r, k) => [r.claim.id, adjusted[k]]));
    return this.rows.map(({ claim, input }) => {
      if (!input) return { ...claim };
      const adjustedP = byId.get(claim.id)!;
      const rejected = adjustedP <= this.familyLevel;
      const decision: TestDecision = {
        ...input,
        adjustedP,
        rejected,
        familyLevel: this.familyLevel,
        familySize: tests.length,
        final: complete || !rejected,
        ...(input.power && input.passWhen === "not rejected"
          ? { detectable: detectable(input.power, this.familyLevel / tests.length) }
          : {}),
      };
      return {
        ...claim,
        passed: input.passWhen === "rejected" ? rejected : !rejected,
        test: decision,
      };
    });
  }

  /** Every claim, tests decided over the whole family (final once the notebook has added them all). */
  get claims(): Claim[] {
    return this.decided();
  }

  /** The claims that fail the run (an inconclusive verdict does not). */
  get failed(): Claim[] {
    return this.claims.filter(isFailure);
  }

  /** The verdicts the data could not decide. */
  get inconclusive(): Claim[] {
    return this.claims.filter((c) => c.inconclusive);
  }

  counts(): { passed: number; failed: number; inconclusive: number; total: number } {
    const claims = this.claims;
    const inconclusive = claims.filter((c) => c.inconclusive).length;
    const failed = claims.filter(isFailure).length;
    return {
      passed: this.rows.length - failed - inconclusive,
      failed,
      inconclusive,
      total: this.rows.length,
    };
  }

  /** Claims passed and in all, per kind. */
  countsByKind(): KindCounts {
    return countByKind(this.claims);
  }

  /** Every claim, the family complete: for the notebook's summary and its claims file. */
  get finalClaims(): Claim[] {
    return this.decided(true);
  }

  toJSON(meta: { scale: string; seed: number; backend: string }): ClaimsFile {
    const claims = this.finalClaims;
    return {
      notebook: this.notebook,
      ...meta,
      familyLevel: this.familyLevel,
      counts: countByKind(claims),
      claims,
    };
  }
}

export function countByKind(claims: readonly Claim[]): KindCounts {
  const out = Object.fromEntries(
    KINDS.map((k) => [k, { passed: 0, total: 0, tested: 0, inconclusive: 0 }]),
  ) as KindCounts;
  for (const c of claims) {
    out[c.kind].total += 1;
    if (c.passed) out[c.kind].passed += 1;
    if (c.inconclusive) out[c.kind].inconclusive += 1;
    if (c.relation === "test" || c.relation === "verdict") out[c.kind].tested += 1;
  }
  return out;
}

/** How a kind's claims split into exact checks and tests, when they mix: " (9 exact, 3 tested)". */
export function describeSplit(c: { total: number; tested: number }): string {
  if (c.tested === 0) return c.total ? " (exact)" : "";
  if (c.tested === c.total) return " (tested)";
  return ` (${c.total - c.tested} exact, ${c.tested} tested)`;
}

/**
 * "2 inconclusive; 12 of 12 theorem (9 exact, 3 tested), 3 of 3 law (tested), …" (kinds with no
 * claims left out; inconclusive verdicts first and never counted as passed).
 */
export function describeCounts(counts: KindCounts): string {
  const inconclusive = KINDS.reduce((s, k) => s + counts[k].inconclusive, 0);
  const kinds = KINDS.filter((k) => counts[k].total > 0)
    .map((k) => `${counts[k].passed} of ${counts[k].total} ${k}${describeSplit(counts[k])}`)
    .join(", ");
  return inconclusive ? `${inconclusive} inconclusive; ${kinds}` : kinds;
}
