/**
 * Pure HTML rendering of tables, claims and figures (no display here, so it can be tested).
 */
import type { Claim, Ledger } from "../claims/ledger";

export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
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

export interface TableOptions {
  caption?: string;
  digits?: number;
  /** Column order and headers; default: the keys of the first row. */
  columns?: string[];
}

const TABLE_STYLE = "border-collapse:collapse;font-variant-numeric:tabular-nums;margin:0.5em 0";
const CELL_STYLE = "border:1px solid #ccc;padding:2px 8px;text-align:right";

/** An HTML table from rows of records. */
export function renderTable(rows: ReadonlyArray<Record<string, unknown>>, options: TableOptions = {}): string {
  const columns = options.columns ?? (rows.length ? Object.keys(rows[0]) : []);
  const head = columns.map((c) => `<th style="${CELL_STYLE}">${escapeHtml(c)}</th>`).join("");
  const body = rows
    .map((r) => `<tr>${columns.map((c) => `<td style="${CELL_STYLE}">${escapeHtml(formatValue(r[c], options.digits))}</td>`).join("")}</tr>`)
    .join("\n");
  const caption = options.caption ? `<caption style="caption-side:top;text-align:left;font-weight:bold">${escapeHtml(options.caption)}</caption>` : "";
  return `<table class="fragility-table" style="${TABLE_STYLE}">${caption}<thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function expectedText(c: Claim): string {
  const e = formatValue(c.expected);
  if (c.relation === "holds") return e;
  if (c.relation === "erratum") return `contradicts the paper: ${e}`;
  const tol = c.tolerance !== null && c.tolerance !== 0 ? ` (tol ${formatValue(c.tolerance)})` : "";
  return `${c.relation} ${e}${tol}`;
}

/** The ✓/✗ table of claims; with a ledger, a summary line above it. */
export function renderClaims(claims: ReadonlyArray<Claim>, ledger?: Ledger): string {
  const rows = claims
    .map((c, k) => {
      const mark = c.passed ? `<span style="color:#1a7f37">✓</span>` : `<span style="color:#cf222e">✗</span>`;
      const note = c.note ? `<div style="color:#666;font-size:85%">${escapeHtml(c.note)}</div>` : "";
      const id = ledger ? ` id="claim-${k + 1}"` : "";
      return `<tr${id} class="claim ${c.passed ? "passed" : "failed"}"><td style="${CELL_STYLE};text-align:center">${mark}</td><td style="${CELL_STYLE};text-align:left">${escapeHtml(c.name)}${note}</td><td style="${CELL_STYLE}">${escapeHtml(formatValue(c.value))}</td><td style="${CELL_STYLE}">${escapeHtml(expectedText(c))}</td></tr>`;
    })
    .join("\n");
  let summary = "";
  if (ledger) {
    const { passed, failed, total } = ledger.counts();
    const color = failed ? "#cf222e" : "#1a7f37";
    summary = `<p class="claims-summary" style="font-weight:bold;color:${color}">Claims: ${passed} of ${total} passed${failed ? `, ${failed} failed` : ""}</p>`;
  }
  const id = ledger ? ` id="claims"` : "";
  return `${summary}<table${id} class="fragility-claims${ledger ? " fragility-ledger" : ""}" style="${TABLE_STYLE}"><thead><tr><th style="${CELL_STYLE}"></th><th style="${CELL_STYLE}">claim (paper)</th><th style="${CELL_STYLE}">measured</th><th style="${CELL_STYLE}">expected</th></tr></thead><tbody>\n${rows}\n</tbody></table>`;
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

/** A Plotly figure as a div and a script (needs window.Plotly, see display.ts). */
export function renderFigure(id: string, figure: { data: unknown[]; layout?: Record<string, unknown> }): string {
  const layout = normaliseTitles({ height: 420, margin: { t: 50, r: 20, b: 60, l: 70 }, ...(figure.layout ?? {}) });
  const height = typeof layout.height === "number" ? layout.height : 420;
  return (
    `<div id="${id}" class="fragility-figure" style="width:100%;height:${height}px"></div>\n` +
    `<script type="text/javascript">Plotly.newPlot(${scriptJson(id)}, ${scriptJson(figure.data)}, ${scriptJson(layout)}, {displaylogo: false, responsive: true});</script>`
  );
}
