/**
 * The paper's reported numbers (data/paper/section6.json) and the list of its statements with the
 * claims that check them (data/paper/statements.json), typed.
 */
import * as fs from "fs";
import * as path from "path";
import { fail } from "../check";

/** data/paper (this file runs from dist/lib/data). */
export const PAPER_DIR = path.resolve(__dirname, "..", "..", "..", "data", "paper");

export interface Table1Row {
  experiment: number;
  cos1: number;
  cos2: number;
  phi: number;
}

export interface Section6 {
  paper: string;
  /** Table 1: the 10 valid experiments (d = 12). */
  table1: { source: string; rows: Table1Row[]; note: string };
  /** Section 6's text and Table 2: 50 runs, 20 valid, 18 with |cos θ2| > 0.9, and three means over those. */
  table2: {
    source: string;
    runs: number;
    valid: number;
    kept: number;
    meanAbsCos1: number;
    meanPhi: number;
    meanAbsDiff: number;
  };
  /** Table 3: mean and median of ρ over 50 accurate ReLU networks at each α of the stencil. */
  table3: { source: string; alpha: number[]; mean: number[]; median: number[] };
}

export interface Statement {
  /** Stable id, e.g. "theorem1.far-apart". */
  id: string;
  /** Where in the paper: "Theorem 1, first claim", "Section 6, Table 2". */
  where: string;
  /** What the paper states, in short. */
  text: string;
  /** Claims that check it: "<notebook stem>:<claim base id>". */
  checks: string[];
  /** Why it is not checked (when `checks` is empty), or which part is not checked. */
  unchecked?: string;
  /**
   * What the checks establish: as-stated (by at least one claim that is not a construction),
   * weaker (a weaker form: `how` says which), code-only (only identities of the construction or of
   * our code), contradicted (an erratum claim, or a vacuous statement: `how` says what is checked
   * instead), not-checked (`unchecked` says why).
   */
  status?: StatementStatus;
  /** How it is checked, when not as stated. */
  how?: string;
  /** An error of the paper in this statement, in words, for the index's errata. */
  misstatement?: string;
}

export const STATEMENT_STATUSES = [
  "as-stated",
  "weaker",
  "code-only",
  "contradicted",
  "not-checked",
] as const;
export type StatementStatus = (typeof STATEMENT_STATUSES)[number];

export interface Statements {
  source: string;
  statements: Statement[];
}

function read<T>(name: string): T {
  const file = path.join(PAPER_DIR, name);
  if (!fs.existsSync(file)) fail("loadPaper", "file", file, "does not exist");
  return JSON.parse(fs.readFileSync(file, "utf8")) as T;
}

/** The paper's section 6 numbers (Tables 1–3). */
export function section6(): Section6 {
  const s = read<Section6>("section6.json");
  if (
    s.table3.alpha.length !== s.table3.mean.length ||
    s.table3.alpha.length !== s.table3.median.length
  ) {
    fail(
      "section6",
      "table3",
      s.table3.alpha.length,
      "alpha, mean and median must have the same length",
    );
  }
  return s;
}

/** A margin of the verdicts, with where it comes from (data/paper/margins.json). */
export interface Margin {
  margin: number;
  source: string;
}

/** The margins of section 6's verdicts, fixed from the paper before the confirmatory runs. */
export interface Section6Margins {
  /** ± on numbers in cosine units (|cos θ₁|, φ, ρ and their gaps). */
  cosine: Margin;
  /** ± on a difference of rates. */
  rate: Margin;
  /** A factor either way on a ratio that the paper says is 1 (and on its robustness ratios). */
  ratio: Margin;
}

/** The verdicts' margins (data/paper/margins.json), checked for range. */
export function margins(): { source: string; section6: Section6Margins } {
  const m = read<{ source: string; section6: Section6Margins }>("margins.json");
  const s = m.section6;
  const check = (name: string, x: Margin | undefined, lo: number, hi: number) => {
    if (!x || typeof x.margin !== "number" || !(x.margin > lo && x.margin < hi))
      fail("margins", `section6.${name}.margin`, x?.margin, `must be a number in (${lo}, ${hi})`);
    if (!x.source)
      fail("margins", `section6.${name}.source`, x.source, "must say where it is from");
  };
  check("cosine", s.cosine, 0, 1);
  check("rate", s.rate, 0, 1);
  check("ratio", s.ratio, 1, 10);
  return m;
}

/** Every numbered result and quantitative sentence of section 6, with the claims that check it. */
export function statements(): Statements {
  return read<Statements>("statements.json");
}
