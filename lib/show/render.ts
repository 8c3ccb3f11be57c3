/**
 * Pure HTML rendering of tables, claims and figures (no display here, so it can be tested).
 */
import { claimStatus, describeCounts, type Claim, type Ledger } from "../claims/ledger";
import type { VerdictNumbers } from "../stats/verdict";

export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

/** Numbers with `digits` significant digits; very small or large ones in exponent form. */
export function formatNumber(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x) && Math.abs(x) < 1e9) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return x.toExponential(digits - 1);
  return Number(x.toPrecision(digits)).toString();
}

export function formatValue(v: unknown, digits = 4): string {
  if (typeof v === "number") return formatNumber(v, digits);
  if (Array.isArray(v)) return `[${v.map((x) => formatValue(x, digits)).join(", ")}]`;
  if (typeof v === "boolean") return v ? "true" : "false";
  return String(v ?? "");
}

/** A table column: the row's key and the header shown (labels are labels, not data keys). */
export interface Column {
  key: string;
  label: string;
  /** Significant digits for this column (default: the table's). */
  digits?: number;
}

export interface TableOptions {
  caption?: string;
  digits?: number;
  /**
   * Column order and headers: `{ key, label }` (or a key, shown as it is); default: the keys of
   * the first row.
   */
  columns?: ReadonlyArray<Column | string>;
}

const TABLE_STYLE = "border-collapse:collapse;font-variant-numeric:tabular-nums;margin:0.5em 0";
const CELL_STYLE = "border:1px solid #ccc;padding:2px 8px;text-align:right";

/** An HTML table from rows of records. */
export function renderTable(rows: ReadonlyArray<object>, options: TableOptions = {}): string {
  const columns: Column[] = (options.columns ?? (rows.length ? Object.keys(rows[0]) : [])).map(
    (c) => (typeof c === "string" ? { key: c, label: c } : c),
  );
  const head = columns.map((c) => `<th style="${CELL_STYLE}">${escapeHtml(c.label)}</th>`).join("");
  const cell = (r: object, c: Column) =>
    `<td style="${CELL_STYLE}">${escapeHtml(formatValue((r as Record<string, unknown>)[c.key], c.digits ?? options.digits))}</td>`;
  const body = rows.map((r) => `<tr>${columns.map((c) => cell(r, c)).join("")}</tr>`).join("\n");
  const caption = options.caption
    ? `<caption style="caption-side:top;text-align:left;font-weight:bold">${escapeHtml(options.caption)}</caption>`
    : "";
  return `<table class="fragility-table" style="${TABLE_STYLE}">${caption}<thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** A verdict's deviation on its own scale: "−0.018 [−0.05, 0.012]" or "×1.62 [1.41, 1.86]". */
export function deviationText(v: VerdictNumbers): string {
  const f = (x: number) => (v.scale === "ratio" ? `×${formatNumber(x, 3)}` : signed(x));
  return `${f(v.estimate)} [${f(v.interval[0])}, ${f(v.interval[1])}]`;
}

function signed(x: number): string {
  return Number.isFinite(x) && x > 0 ? `+${formatNumber(x, 3)}` : formatNumber(x, 3);
}

/** A verdict's margin: "±0.05", "×[0.8, 1.25]", or one-sided "at most ×1.25". */
export function marginText(v: VerdictNumbers): string {
  const [lo, hi] = v.margin;
  if (v.scale === "ratio")
    return lo > 0
      ? `×[${formatNumber(lo, 3)}, ${formatNumber(hi, 3)}]`
      : `at most ×${formatNumber(hi, 3)}`;
  if (!Number.isFinite(lo)) return `at most ${signed(hi)}`;
  return Math.abs(lo + hi) < 1e-12 ? `±${formatNumber(hi, 3)}` : `[${signed(lo)}, ${signed(hi)}]`;
}

/**
 * What a verdict resolves with 90% power: contradicted beyond one bound, reproduced within the
 * other ("cannot be reproduced at this margin" when the interval is wider than the margin).
 */
export function detectableText(v: VerdictNumbers): string {
  if (v.untestable) return `not testable: ${v.untestable}`;
  const f = (x: number) => (v.scale === "ratio" ? `×${formatNumber(x, 3)}` : signed(x));
  const rep = !v.reproducible
    ? "cannot be reproduced at this margin: the paper's own sample alone leaves a wider interval"
    : v.detectable.reproduced === null
      ? "not reproducible with this many runs of ours"
      : `reproduced if within ${f(v.detectable.reproduced)}`;
  return `90% power: contradicted if beyond ${f(v.detectable.contradicted)}; ${rep}`;
}

/** What a claim expects, in words: the relation and bound, or the test and its decision. */
export function expectedText(c: Claim): string {
  if (c.relation === "verdict" && c.verdict) {
    const v = c.verdict;
    return `${v.statement} — margin ${marginText(v)} (${v.marginSource}); ${v.method}, each side at level ${v.level}; ${detectableText(v)}`;
  }
  if (c.relation === "test" && c.test) {
    const t = c.test;
    const decided = `${t.rejected ? "rejected" : "not rejected"} (Holm p̃ = ${formatValue(t.adjustedP, 3)}, level ${t.familyLevel}, ${t.familySize} tests${t.final ? "" : "; provisional until the summary"})`;
    const power = t.detectable
      ? `; detects ${t.detectable.text} with ${Math.round(t.detectable.power * 100)}% power at level ${formatValue(t.detectable.level, 2)}`
      : "";
    return `H₀: ${t.hypothesis} — ${t.method}; passes when ${t.passWhen}: ${decided}${power}`;
  }
  const e = formatValue(c.expected);
  if (c.relation === "holds") return e;
  const tol = c.tolerance !== null && c.tolerance !== 0 ? ` (tol ${formatValue(c.tolerance)})` : "";
  return `${c.relation} ${e}${tol}`;
}

/** What a claim measured: the value, or the test's statistic and p-value. */
export function measuredText(c: Claim): string {
  if (c.relation === "verdict" && c.verdict) {
    const v = c.verdict;
    if (v.untestable) return `${v.outcome} (not testable)`;
    const paper = Number.isFinite(v.paper) ? `, paper ${formatNumber(v.paper, 4)}` : "";
    return `${v.outcome}: ours ${formatNumber(v.ours, 4)}${paper}; ${v.scale === "ratio" ? "ratio" : "deviation"} ${deviationText(v)}`;
  }
  if (c.relation === "test" && c.test) {
    const stat =
      c.test.statistic !== undefined ? `statistic ${formatValue(c.test.statistic)}, ` : "";
    return `${stat}p = ${formatValue(c.test.pValue, 3)}`;
  }
  return formatValue(c.value);
}

/** The ✓/✗ table of claims with their kinds; with a ledger, a summary line (counts by kind) above it. */
export function renderClaims(claims: ReadonlyArray<Claim>, ledger?: Ledger): string {
  // Inconclusive verdicts and failures first: neither hides below the passes.
  const order = { failed: 0, inconclusive: 1, passed: 2 } as const;
  const sorted = claims
    .map((c, i) => ({ c, i }))
    .sort((a, b) => order[claimStatus(a.c)] - order[claimStatus(b.c)] || a.i - b.i)
    .map((x) => x.c);
  const rows = sorted
    .map((c) => {
      const status = claimStatus(c);
      const mark =
        status === "passed"
          ? `<span style="color:#1a7f37">✓</span>`
          : status === "inconclusive"
            ? `<span style="color:#9a6700" title="inconclusive">?</span>`
            : `<span style="color:#cf222e">✗</span>`;
      const note = c.note
        ? `<div style="color:#666;font-size:85%">${escapeHtml(c.note)}</div>`
        : "";
      const id = ledger ? ` id="claim-${escapeHtml(c.id)}"` : "";
      const left = `${CELL_STYLE};text-align:left`;
      return (
        `<tr${id} class="claim ${status} kind-${c.kind}">` +
        `<td style="${CELL_STYLE};text-align:center">${mark}</td>` +
        `<td style="${left}">${c.kind}</td>` +
        `<td style="${left}">${escapeHtml(c.name)}${note}<div style="color:#888;font-size:80%">${ledger ? `<a href="#claim-${escapeHtml(c.id)}" style="color:inherit">${escapeHtml(c.id)}</a>` : escapeHtml(c.id)}</div></td>` +
        `<td style="${CELL_STYLE}">${escapeHtml(measuredText(c))}</td>` +
        `<td style="${left}">${escapeHtml(expectedText(c))}</td></tr>`
      );
    })
    .join("\n");
  let summary = "";
  if (ledger) {
    const { passed, failed, inconclusive, total } = ledger.counts();
    const color = failed ? "#cf222e" : inconclusive ? "#9a6700" : "#1a7f37";
    const undecided = inconclusive
      ? `${inconclusive} verdict${inconclusive > 1 ? "s" : ""} inconclusive (neither reproduced nor contradicted: listed first), `
      : "";
    summary =
      `<p class="claims-summary" style="font-weight:bold;color:${color}">Claims: ${undecided}${passed} of ${total} passed` +
      `${failed ? `, ${failed} failed` : ""} — ${escapeHtml(describeCounts(ledger.countsByKind()))}</p>` +
      `<p style="color:#666;font-size:90%">Tests are decided together by Holm's procedure at family-wise level ${ledger.familyLevel}; verdicts about the paper's numbers (reproduced, contradicted, inconclusive) each against a margin fixed before the runs, without a family correction.</p>`;
  }
  const id = ledger ? ` id="claims"` : "";
  const th = (t: string) => `<th style="${CELL_STYLE}">${t}</th>`;
  return `${summary}<table${id} class="fragility-claims${ledger ? " fragility-ledger" : ""}" style="${TABLE_STYLE}"><thead><tr>${th("")}${th("kind")}${th("claim (paper)")}${th("measured")}${th("expected")}</tr></thead><tbody>\n${rows}\n</tbody></table>`;
}

/** JSON for inline scripts: no "</script>" can close the tag early. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

/**
 * plotly.js ≥ 3 ignores the old string shorthand for titles (`title: "x"`); write the figure's and
 * every axis's title as `{ text }` so notebooks can keep the short form.
 */
export function normaliseTitles(layout: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...layout };
  for (const [key, value] of Object.entries(out)) {
    if (key === "title" && typeof value === "string") out.title = { text: value };
    else if (/^[xy]axis\d*$/.test(key) && value && typeof value === "object") {
      const axis = { ...(value as Record<string, unknown>) };
      if (typeof axis.title === "string") axis.title = { text: axis.title };
      out[key] = axis;
    }
  }
  return out;
}

/**
 * Raw TeX in text that is printed as it is (figure titles, axis labels, legend names): `_{…}`,
 * `^{…}`, a `\\command` or `$…$`. Plotly draws them literally (it typesets TeX only with MathJax
 * on the page, which the offline pages do not load), so they are written in Unicode instead:
 * `R₍d−1,d−1₎` or "R at (d−1, d−1)", `e^(1−α)`, `√d`, `‖e‖`. Returns the offending fragments.
 */
export function rawTex(text: string): string[] {
  return [...text.matchAll(/[_^]\{|\\[A-Za-z]+|\$[^$\n]+\$/g)].map((m) => m[0]);
}

function titleText(title: unknown): string | null {
  if (typeof title === "string") return title;
  if (title && typeof title === "object" && typeof (title as { text?: unknown }).text === "string")
    return (title as { text: string }).text;
  return null;
}

/** The texts of a figure that are printed as they are: its title, axis titles and trace names. */
export function figureLabels(figure: {
  data: unknown[];
  layout?: Record<string, unknown>;
}): Array<{ where: string; text: string }> {
  const out: Array<{ where: string; text: string }> = [];
  const layout = figure.layout ?? {};
  const title = titleText(layout.title);
  if (title !== null) out.push({ where: "title", text: title });
  for (const [key, value] of Object.entries(layout)) {
    if (!/^[xy]axis\d*$/.test(key) || !value || typeof value !== "object") continue;
    const t = titleText((value as { title?: unknown }).title);
    if (t !== null) out.push({ where: `${key} title`, text: t });
  }
  figure.data.forEach((trace, i) => {
    const name = (trace as { name?: unknown } | null)?.name;
    if (typeof name === "string") out.push({ where: `data[${i}].name`, text: name });
  });
  return out;
}

/** Trace types as the figure asks for them (Plotly's default is scatter). */
export function requestedTraceTypes(data: unknown[]): string[] {
  return data.map((t) => {
    const type = (t as { type?: unknown } | null)?.type;
    return typeof type === "string" ? type : "scatter";
  });
}

/**
 * The trace types of the Plotly bundle the pages inline (plotly.js-cartesian-dist-min, its README;
 * the browser test compares this list with the bundle's own schema). A figure asking for another
 * type would draw nothing, or (a partial bundle's habit) something else without a word.
 */
export const CARTESIAN_TRACE_TYPES: readonly string[] = [
  "bar",
  "box",
  "contour",
  "heatmap",
  "histogram",
  "histogram2d",
  "histogram2dcontour",
  "image",
  "pie",
  "scatter",
  "scatterternary",
  "violin",
];

/** Significant digits of the numbers a figure's data carries into the page (the page's size). */
export const FIGURE_DIGITS = 6;

/** A number with `digits` significant digits (safe integers and non-finite values as they are). */
function roundNumber(x: number, digits: number): number {
  return Number.isSafeInteger(x) || !Number.isFinite(x) ? x : Number(x.toPrecision(digits));
}

/** A file name from free text: lower-case ASCII letters, digits and dashes (at most 60). */
export function fileSlug(text: string): string {
  return text
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "");
}

/**
 * A Plotly figure as a div and a script (needs window.Plotly, see display.ts). The div records the
 * trace types asked for (`data-trace-types`), so a browser check can tell a histogram that a
 * partial Plotly bundle drew as a scatter. Refuses raw TeX in the printed labels (see rawTex) and
 * trace types the inlined bundle lacks (CARTESIAN_TRACE_TYPES). The data's numbers are written
 * with FIGURE_DIGITS significant digits (a drawing and its hover labels need no more; the page
 * stays small). The mode bar's camera saves an SVG named `options.filename` (default: the id).
 */
export function renderFigure(
  id: string,
  figure: { data: unknown[]; layout?: Record<string, unknown> },
  options: { filename?: string } = {},
): string {
  for (const { where, text } of figureLabels(figure)) {
    const tex = rawTex(text);
    if (tex.length)
      throw new Error(
        `show.plot: the figure's ${where} ${JSON.stringify(text)} has raw TeX (${tex.join(", ")}), ` +
          "which the page and the PDF print as it is: write it in Unicode (R₍d−1,d−1₎, e^(1−α), √d, ‖e‖)",
      );
  }
  const requested = requestedTraceTypes(figure.data);
  requested.forEach((type, i) => {
    if (!CARTESIAN_TRACE_TYPES.includes(type))
      throw new Error(
        `show.plot: data[${i}].type = ${JSON.stringify(type)} is not a trace type of the inlined Plotly ` +
          `bundle (plotly.js-cartesian-dist-min draws ${CARTESIAN_TRACE_TYPES.join(", ")})`,
      );
  });
  const layout = normaliseTitles({
    height: 420,
    margin: { t: 50, r: 20, b: 60, l: 70 },
    ...(figure.layout ?? {}),
  });
  const height = typeof layout.height === "number" ? layout.height : 420;
  const types = escapeHtml(requested.join(" "));
  const data = JSON.parse(
    JSON.stringify(figure.data, (_, v: unknown) =>
      typeof v === "number" ? roundNumber(v, FIGURE_DIGITS) : v,
    ),
  ) as unknown[];
  const config = {
    displaylogo: false,
    responsive: true,
    toImageButtonOptions: { format: "svg", filename: options.filename ?? id },
  };
  return (
    `<div id="${id}" class="fragility-figure" data-trace-types="${types}" style="width:100%;height:${height}px"></div>\n` +
    `<script type="text/javascript">Plotly.newPlot(${scriptJson(id)}, ${scriptJson(data)}, ${scriptJson(layout)}, ${scriptJson(config)});</script>`
  );
}
