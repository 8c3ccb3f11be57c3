import { fail, requireFinite } from "../check";

/** How a measured value is compared with what the paper states ("erratum": the data contradict the paper, as stated). */
export type Relation = "≈" | "≤" | "≥" | "∈" | "holds" | "erratum";

/** One claim of the paper, checked on a concrete instance. */
export interface Claim {
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
}

/** The per-notebook summary written for the runner and the HTML index (build/claims/<stem>.json). */
export interface ClaimsFile {
  notebook: string;
  scale: string;
  seed: number;
  backend: string;
  claims: Claim[];
}

/**
 * The claims ledger: every statement of the paper a notebook shows becomes a named check with the
 * measured value, the expected value or bound and a tolerance. A failed check does not throw (the
 * notebook goes on to show the numbers); the headless runner fails the run on any failed claim.
 */
export class Ledger {
  private readonly rows: Claim[] = [];

  constructor(readonly notebook: string) {
    if (!notebook) fail("Ledger", "notebook", notebook, "must be a non-empty name");
  }

  private add(claim: Claim): Claim {
    if (!claim.name) fail("Ledger.add", "name", claim.name, "must quote the paper");
    if (this.rows.some((c) => c.name === claim.name)) {
      fail("Ledger.add", "name", claim.name, "is already in the ledger (claim names must be unique)");
    }
    this.rows.push(claim);
    return claim;
  }

  /** |value − expected| ≤ tolerance. */
  close(name: string, value: number, expected: number, tolerance: number, note?: string): Claim {
    requireFinite("Ledger.close", "expected", expected);
    requireFinite("Ledger.close", "tolerance", tolerance);
    const passed = Number.isFinite(value) && Math.abs(value - expected) <= tolerance;
    return this.add({ name, passed, value, expected, tolerance, relation: "≈", note });
  }

  /** value ≤ bound + tolerance. */
  atMost(name: string, value: number, bound: number, tolerance = 0, note?: string): Claim {
    requireFinite("Ledger.atMost", "tolerance", tolerance);
    const passed = !Number.isNaN(value) && !Number.isNaN(bound) && value <= bound + tolerance;
    return this.add({ name, passed, value, expected: bound, tolerance, relation: "≤", note });
  }

  /** value ≥ bound − tolerance. */
  atLeast(name: string, value: number, bound: number, tolerance = 0, note?: string): Claim {
    requireFinite("Ledger.atLeast", "tolerance", tolerance);
    const passed = !Number.isNaN(value) && !Number.isNaN(bound) && value >= bound - tolerance;
    return this.add({ name, passed, value, expected: bound, tolerance, relation: "≥", note });
  }

  /** lo ≤ value ≤ hi. */
  within(name: string, value: number, interval: [number, number], note?: string): Claim {
    const [lo, hi] = interval;
    if (!(lo <= hi)) fail("Ledger.within", "interval", interval, "must satisfy lo <= hi");
    const passed = value >= lo && value <= hi;
    return this.add({ name, passed, value, expected: [lo, hi], tolerance: null, relation: "∈", note });
  }

  /** A statement that is true or false, with what was seen and what was expected in words. */
  holds(name: string, passed: boolean, seen: string | number, expected: string, note?: string): Claim {
    return this.add({ name, passed, value: seen, expected, tolerance: null, relation: "holds", note });
  }

  /**
   * An erratum as a check: passes when our numbers confirm that the paper's statement is wrong or
   * inconsistent in the way described, and fails when they no longer do (then the erratum must be
   * revisited, not the check loosened).
   */
  erratum(name: string, confirmed: boolean, seen: string, contradiction: string, note?: string): Claim {
    return this.add({ name: `erratum: ${name}`, passed: confirmed, value: seen, expected: contradiction, tolerance: null, relation: "erratum", note });
  }

  get claims(): readonly Claim[] {
    return this.rows;
  }

  get failed(): Claim[] {
    return this.rows.filter((c) => !c.passed);
  }

  counts(): { passed: number; failed: number; total: number } {
    const failed = this.failed.length;
    return { passed: this.rows.length - failed, failed, total: this.rows.length };
  }

  toJSON(meta: { scale: string; seed: number; backend: string }): ClaimsFile {
    return { notebook: this.notebook, ...meta, claims: this.rows.map((c) => ({ ...c })) };
  }
}
