/**
 * The reviewer's page (<out>/html/index.html) and the results table (<out>/RESULTS.md, and the
 * README's copy through `npm run readme`), both from the claims and results files of a run.
 *
 * The index shows, per notebook, the claims counted by kind, the run (scale, seed, every override),
 * the reproduction verdicts and the errata with their numbers, the headline numbers beside the
 * paper's with their verdicts, the consistency grid where a notebook has one, and then the coverage
 * of the paper's statements (data/paper/statements.json), each linked to the claim rows that check
 * it on the notebook's page. Nothing here carries the clock's time: the same run gives the same files.
 *
 * Every notebook is shown by its latest run: a notebook whose latest run failed (<out>/failed/
 * <stem>.report.json) is listed with that run's claims (<out>/failed/<stem>.json), marked failed,
 * its failing claims first, and counted in every total ("… in 10 notebooks, 1 failed"); the
 * earlier passing run's files stay in claims/ and notebooks/ but are not shown.
 */
import { createHash, randomBytes } from "crypto";
import * as fs from "fs";
import * as path from "path";
import {
  baseId,
  countByKind,
  describeSplit,
  isFailure,
  KINDS,
  type Claim,
  type ClaimsFile,
} from "../lib/claims/ledger";
import type { ConsistencyRow, Headline, ResultsFile } from "../lib/claims/outputs";
import { describePackage, runRecord, type PackageInfo } from "./provenance";
import { board, boardHtml } from "./verdict-board";
import { statements, type Statement } from "../lib/data/paper";
import {
  deviationText,
  escapeHtml,
  expectedText,
  formatValue,
  marginText,
  measuredText,
} from "../lib/show/render";
import { renderMath } from "./math";
import { externalReferences } from "./offline";

/** The repository root (this file runs from dist/scripts/). */
const ROOT = path.resolve(__dirname, "..", "..");

export function versions(): Record<string, string> {
  const v = (pkg: string) => {
    try {
      return (
        JSON.parse(
          fs.readFileSync(path.join(ROOT, "node_modules", pkg, "package.json"), "utf8"),
        ) as { version: string }
      ).version;
    } catch {
      return "?";
    }
  };
  return {
    tslab: v("tslab"),
    TypeScript: v("@tslab/typescript-for-tslab"),
    Node: process.versions.node,
    tfjs: v("@tensorflow/tfjs"),
  };
}

/**
 * Identifies the claims file a page was made from (the bar's data-run), so the index can tell a
 * page whose notebook was re-run without HTML.
 */
export function runSignature(summary: ClaimsFile | null): string {
  return summary
    ? createHash("sha256").update(JSON.stringify(summary)).digest("hex").slice(0, 16)
    : "none";
}

/** Every parameter the run set ("d=2, seed=7"), "none", or "not recorded" (no runner stamp). */
export function describeOverrides(s: ClaimsFile | ResultsFile): string {
  if (!s.run) return "not recorded";
  const entries = Object.entries(s.run.overrides).sort(([a], [b]) => a.localeCompare(b));
  return entries.length ? entries.map(([k, v]) => `${k}=${String(v)}`).join(", ") : "none";
}

/** Writes a file through a unique temporary name, so concurrent writers never share one. */
export function writeAtomic(file: string, text: string | Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}-${randomBytes(6).toString("hex")}.tmp`;
  try {
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

function readJson<T>(file: string): T | null {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as T;
  } catch {
    return null;
  }
}

/**
 * The run's time: SOURCE_DATE_EPOCH when set, else the newest claims (or failed run's) file's
 * modification time (whole seconds). Archives, PDFs and the README's date use it instead of the clock.
 */
export function runTime(out: string): Date {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000);
  const times: number[] = [];
  for (const sub of ["claims", "failed"]) {
    const dir = path.join(out, sub);
    if (!fs.existsSync(dir)) continue;
    for (const f of fs.readdirSync(dir).filter((x) => x.endsWith(".json")))
      times.push(fs.statSync(path.join(dir, f)).mtimeMs);
  }
  if (!times.length)
    throw new Error(`no claims files in ${path.join(out, "claims")}: the run's time is unknown`);
  return new Date(Math.floor(Math.max(...times) / 1000) * 1000);
}

/** Why the latest run of a notebook failed (<out>/failed/<stem>.report.json, written by the runner). */
export interface FailureRecord {
  notebook: string;
  problems: string[];
  /** The run's scale, seed and overrides (as in a claims file's `run`). */
  run?: { scale: string; seed: number };
}

/** The runner's report of a notebook's failed latest run, or null when its latest run passed. */
export function failureReport(out: string, stem: string): FailureRecord | null {
  return readJson<FailureRecord>(path.join(out, "failed", `${stem}.report.json`));
}

/** One notebook of the run, as the index and the results table see it. */
export interface NotebookEntry {
  stem: string;
  title: string;
  /** The latest run's claims (from failed/ when it failed), or null when it wrote none. */
  summary: ClaimsFile | null;
  results: ResultsFile | null;
  /** Set when the latest run failed: what the runner reported. */
  failure: FailureRecord | null;
  /** The page exists in <out>/html. */
  page: boolean;
  /** The page was made from another claims file than the current one (re-run without HTML). */
  stale: boolean;
}

/** The first markdown heading of an executed notebook, or the stem. */
function titleOf(ipynb: string, fallback: string): string {
  const nb = readJson<{ cells: Array<{ cell_type: string; source: string | string[] }> }>(ipynb);
  for (const c of nb?.cells ?? []) {
    if (c.cell_type !== "markdown") continue;
    const m = /^#\s+(.+)$/m.exec(Array.isArray(c.source) ? c.source.join("") : c.source);
    if (m) return m[1].replace(/\$/g, "").trim();
  }
  return fallback;
}

/** The notebooks of a run: every stem with a claims file, a page or a failed run, sorted. */
export function notebookEntries(out: string): NotebookEntry[] {
  const list = (dir: string, ext: string) =>
    fs.existsSync(dir)
      ? fs
          .readdirSync(dir)
          .filter((f) => f.endsWith(ext) && f !== "index.html")
          .map((f) => f.slice(0, -ext.length))
      : [];
  const htmlDir = path.join(out, "html");
  const failedDir = path.join(out, "failed");
  const stems = [
    ...new Set([
      ...list(path.join(out, "claims"), ".json"),
      ...list(htmlDir, ".html"),
      ...list(failedDir, ".report.json"),
    ]),
  ].sort();
  return stems.map((stem) => {
    const failure = failureReport(out, stem);
    const summary = failure
      ? readJson<ClaimsFile>(path.join(failedDir, `${stem}.json`))
      : readJson<ClaimsFile>(path.join(out, "claims", `${stem}.json`));
    const results = failure
      ? readJson<ResultsFile>(path.join(failedDir, `${stem}.results.json`))
      : readJson<ResultsFile>(path.join(out, "results", `${stem}.json`));
    const pageFile = path.join(htmlDir, `${stem}.html`);
    const page = fs.existsSync(pageFile);
    let stale = false;
    if (page) {
      // The bar sits at the top of the body; read only the start of the page.
      const fd = fs.openSync(pageFile, "r");
      const head = Buffer.alloc(1 << 20);
      const n = fs.readSync(fd, head, 0, head.length, 0);
      fs.closeSync(fd);
      const sig = /class="fragility-bar[^"]*" data-run="([^"]*)"/.exec(
        head.subarray(0, n).toString(),
      );
      stale = !sig || sig[1] !== runSignature(summary);
    }
    const title = titleOf(
      path.join(out, failure ? "failed" : "notebooks", `${stem}.ipynb`),
      titleOf(path.join(out, "notebooks", `${stem}.ipynb`), stem),
    );
    return { stem, title, summary, results, failure, page, stale };
  });
}

const CELL = "border:1px solid #ccc;padding:2px 8px;vertical-align:top";
const td = (s: string, extra = "") => `<td style="${CELL}${extra}">${s}</td>`;
const th = (s: string) => `<th style="${CELL};background:#f6f8fa">${s}</th>`;
const mark = (ok: boolean) =>
  ok ? `<span class="passed">✓</span>` : `<span class="failed">✗</span>`;
const table = (head: string[], rows: string[]) =>
  `<table><thead><tr>${head.map(th).join("")}</tr></thead><tbody>${rows.join("\n")}</tbody></table>`;

function claimLink(e: NotebookEntry, c: Claim, text: string): string {
  return e.page ? `<a href="${e.stem}.html#claim-${escapeHtml(c.id)}">${text}</a>` : text;
}

function interval(h: Headline): string {
  return h.interval
    ? ` [${formatValue(h.interval.lo)}, ${formatValue(h.interval.hi)}] (${Math.round(h.interval.level * 100)}%)`
    : "";
}

function countsRow(e: NotebookEntry): string {
  const link = e.page ? `<a href="${e.stem}.html">${escapeHtml(e.stem)}</a>` : escapeHtml(e.stem);
  const name = e.failure ? `${link} <span class="failed">FAILED</span>` : link;
  if (!e.summary)
    return `<tr>${td(name)}${td(e.failure ? "the run failed before it wrote claims" : "no claims file", `;color:#cf222e" colspan="${KINDS.length + 1}`)}</tr>`;
  const counts = countByKind(e.summary.claims);
  const cells = KINDS.map((k) => {
    const { passed, total, inconclusive } = counts[k];
    const split = escapeHtml(describeSplit(counts[k]));
    const open = inconclusive ? ` <b style="color:#9a6700">${inconclusive}?</b>` : "";
    return td(
      total ? `${passed}/${total}${open}<small>${split}</small>` : "",
      passed + inconclusive < total ? ";color:#cf222e" : "",
    );
  });
  const passed = e.summary.claims.filter((c) => c.passed).length;
  const open = e.summary.claims.filter((c) => c.inconclusive).length;
  const all = e.summary.claims.length;
  const failing = e.summary.claims.filter(isFailure).length;
  return `<tr>${td(name)}${cells.join("")}${td(`<b>${passed}/${all}</b>${open ? ` <b style="color:#9a6700">${open} inconclusive</b>` : ""}`, failing ? ";color:#cf222e" : "")}</tr>`;
}

function claimRows(e: NotebookEntry, claims: Claim[]): string[] {
  return claims.map(
    (c) =>
      `<tr>${td(c.inconclusive ? `<b style="color:#9a6700">?</b>` : mark(c.passed))}${td(claimLink(e, c, escapeHtml(c.name)))}${td(escapeHtml(measuredText(c)))}${td(escapeHtml(expectedText(c)))}</tr>`,
  );
}

function consistencyTable(rows: ConsistencyRow[]): string {
  return table(
    ["batch", "scaling", "runs", "rate [95% interval]", "p-value", "consistent"],
    rows.map(
      (r) =>
        `<tr>${td(String(r.setting.batchSize))}${td(`×${r.setting.scaleFactor}`)}${td(String(r.runs))}` +
        `${td(`${formatValue(r.rate.estimate, 3)} [${formatValue(r.rate.lo, 3)}, ${formatValue(r.rate.hi, 3)}]`)}` +
        `${td(formatValue(r.pValue, 3))}${td(mark(r.consistent))}</tr>`,
    ),
  );
}

/** The first line of a runner's problem (the full text is on the page and in logs/). */
function firstLine(problem: string): string {
  const line = problem.split("\n")[0];
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

/** A failed latest run in the index: what went wrong, its failing claims first. */
function failureSummary(e: NotebookEntry): string {
  const f = e.failure!;
  const failing = e.summary?.claims.filter(isFailure) ?? [];
  return (
    `<div class="fragility-failure" style="border:2px solid #cf222e;background:#fff5f5;padding:4px 10px;margin:4px 0">` +
    `<p class="failed">The latest run of this notebook failed${e.page ? ` (<a href="${e.stem}.html#fragility-failure">its page</a> shows where)` : ""}. ` +
    `An earlier passing run, if any, is kept in claims/ and notebooks/ but not shown.</p>` +
    (failing.length
      ? `<h3>Failing claims</h3>${table(["", "claim", "measured", "expected"], claimRows(e, failing))}`
      : "") +
    `<ul>${f.problems
      .slice(0, 5)
      .map((p) => `<li><code>${escapeHtml(firstLine(p))}</code></li>`)
      .join("")}</ul></div>`
  );
}

function section(e: NotebookEntry): string {
  const s = e.summary;
  const heading = e.page
    ? `<a href="${e.stem}.html">${escapeHtml(e.title)}</a>`
    : escapeHtml(e.title);
  const parts = [
    `<section id="nb-${e.stem}"><h2>${heading}${e.failure ? ` <span class="failed">FAILED</span>` : ""}</h2>`,
  ];
  if (e.failure) parts.push(failureSummary(e));
  if (!e.page)
    parts.push(
      `<p class="failed">No page: ${e.failure ? "the run failed before its notebook could be exported, or it" : "the notebook"} was run without HTML.</p>`,
    );
  else if (e.stale)
    parts.push(
      `<p class="failed">Stale page: it was made from another run than the claims below (the notebook was re-run without HTML).</p>`,
    );
  if (!s) {
    parts.push(`<p class="failed">No claims file.</p></section>`);
    return parts.join("\n");
  }
  const passed = s.claims.filter((c) => c.passed).length;
  const open = s.claims.filter((c) => c.inconclusive).length;
  parts.push(
    `<p><span class="${s.claims.some(isFailure) ? "failed" : "passed"}">claims: ${passed} of ${s.claims.length} passed${open ? `, ${open} inconclusive` : ""}</span>` +
      ` · scale <b>${escapeHtml(s.scale)}</b> · seed <b>${s.seed}</b> · overrides <b>${escapeHtml(describeOverrides(s))}</b>` +
      ` · backend ${escapeHtml(s.backend)} · statistical claims at family-wise level ${s.familyLevel} (Holm)</p>`,
  );
  const failed = s.claims.filter(isFailure);
  if (failed.length && !e.failure)
    parts.push(
      `<h3>Failed claims</h3>${table(["", "claim", "measured", "expected"], claimRows(e, failed))}`,
    );
  const undecided = s.claims.filter((c) => c.inconclusive);
  if (undecided.length)
    parts.push(
      `<h3>Inconclusive verdicts: the data cannot tell</h3>${table(["", "claim", "measured", "expected"], claimRows(e, undecided))}`,
    );
  for (const [kind, title] of [
    ["erratum", "Errata: where the data contradict the paper"],
    ["reproduction", "Reproductions: the paper's numbers reproduced by ours"],
  ] as const) {
    const rows = s.claims.filter((c) => c.kind === kind && !c.inconclusive);
    if (rows.length)
      parts.push(
        `<h3>${title}</h3>${table([kind === "erratum" ? "stands" : "", "claim", "measured", "expected"], claimRows(e, rows))}`,
      );
  }
  const head = e.results?.headline ?? [];
  if (head.length)
    parts.push(
      `<h3>Headline numbers</h3>` +
        table(
          ["quantity", "ours", "paper", "verdict", "note"],
          head.map(
            (h) =>
              `<tr>${td(escapeHtml(h.quantity))}${td(escapeHtml(formatValue(h.ours) + interval(h)))}${td(escapeHtml(formatValue(h.paper)))}` +
              `${td(escapeHtml(h.verdict ?? ""))}${td(escapeHtml(h.note ?? ""))}</tr>`,
          ),
        ),
    );
  const grid = e.results?.consistency ?? [];
  if (grid.length) {
    const streams = e.results?.streams;
    parts.push(
      `<h3>Consistency of the paper's reported outcome at each setting</h3>` +
        (streams
          ? `<p>chosen on stream <code>${escapeHtml(streams.selection)}</code>, evaluated on <code>${escapeHtml(streams.evaluation)}</code></p>`
          : "") +
        consistencyTable(grid),
    );
  }
  parts.push(`</section>`);
  return parts.join("\n");
}

/** A statement's checks resolved against the run's claims files. */
export interface CoverageRow {
  statement: Statement;
  checks: Array<{
    ref: string;
    entry: NotebookEntry | null;
    /** The claims with this base id (all its @labels). */
    claims: Claim[];
  }>;
  /** checked: every listed claim ran and none failed (inconclusive is neither); failing: one failed; missing: not in the run's claims. */
  status: "checked" | "failing" | "missing" | "unchecked";
}

export function coverage(
  entries: NotebookEntry[],
  list: Statement[] = statements().statements,
): CoverageRow[] {
  const byNumber = new Map(entries.map((e) => [e.stem.slice(0, 2), e]));
  return list.map((st) => {
    const checks = st.checks.map((ref) => {
      const [num, id] = ref.split(":");
      const entry = byNumber.get(num) ?? null;
      const claims = entry?.summary?.claims.filter((c) => baseId(c.id) === id) ?? [];
      return { ref, entry, claims };
    });
    let status: CoverageRow["status"] = "checked";
    if (!checks.length) status = "unchecked";
    else if (checks.some((c) => !c.claims.length)) status = "missing";
    else if (checks.some((c) => c.claims.some(isFailure))) status = "failing";
    return { statement: st, checks, status };
  });
}

/** A statement's status in words (data/paper/statements.json), with how or why not. */
const STATUS_TEXT: Record<string, string> = {
  "as-stated": "checked as stated",
  weaker: "checked in a weaker form",
  "code-only": "checked only as code",
  contradicted: "contradicted as printed",
  "not-checked": "not checked",
};

function statusCell(st: Statement): string {
  const label = STATUS_TEXT[st.status ?? ""] ?? "no status given";
  const detail = st.status === "not-checked" ? st.unchecked : st.how;
  const colour = st.status === "contradicted" ? ";color:#9a6700" : "";
  return td(
    `<b>${escapeHtml(label)}</b>${detail ? `<br><small>${escapeHtml(detail)}</small>` : ""}` +
      (st.status !== "not-checked" && st.unchecked
        ? `<br><small>not checked: ${escapeHtml(st.unchecked)}</small>`
        : ""),
    colour,
  );
}

function coverageSection(rows: CoverageRow[]): string {
  const n = (s: CoverageRow["status"]) => rows.filter((r) => r.status === s).length;
  const byStatus = Object.entries(STATUS_TEXT)
    .map(([k, text]) => `${rows.filter((r) => r.statement.status === k).length} ${text}`)
    .join(", ");
  const body = rows.map((r) => {
    const checks = r.checks.length
      ? r.checks
          .map((c) => {
            if (!c.claims.length)
              return `<span class="failed">${escapeHtml(c.ref)} (not in this run's claims)</span>`;
            const ok = c.claims.every((x) => x.passed);
            const kinds = [...new Set(c.claims.map((x) => x.kind))].join(", ");
            const label = `${mark(ok)} ${escapeHtml(c.ref)} <small>(${escapeHtml(kinds)}${c.claims.length > 1 ? `, ${c.claims.length} checks` : ""})</small>`;
            return c.entry ? claimLink(c.entry, c.claims[0], label) : label;
          })
          .join("<br>")
      : `<span style="color:#666">unchecked: ${escapeHtml(r.statement.unchecked ?? "no reason given")}</span>`;
    return `<tr id="statement-${escapeHtml(r.statement.id)}">${td(escapeHtml(r.statement.where))}${td(escapeHtml(r.statement.text))}${statusCell(r.statement)}${td(checks)}</tr>`;
  });
  return (
    `<section id="coverage"><h2>Coverage of the paper's statements</h2>` +
    `<p>${rows.length} statements (every numbered result, the steps and remarks of the proofs, and every quantitative sentence of section 6): ` +
    `${byStatus}. In this run: ${n("checked")} with every listed claim run and none failed (an inconclusive verdict is on the board above), ${n("failing")} with a failed claim, ` +
    `${n("missing")} listing claims this run does not have, ${n("unchecked")} with none listed (with the reason). ` +
    `A statement is "checked as stated" only when a claim that is not a construction checks it.</p>` +
    table(["where", "the paper states", "status", "checked by (notebook:claim, kinds)"], body) +
    `</section>`
  );
}

/**
 * The paper's misstatements (statements.json's `misstatement`), each with the erratum claims and
 * verdicts of this run that bear on it and their numbers; then every other erratum claim.
 */
function errataSection(rows: CoverageRow[], entries: NotebookEntry[]): string {
  const stated = rows.filter((r) => r.statement.misstatement);
  const cited = new Set<string>();
  const claimCell = (e: NotebookEntry | null, c: Claim) =>
    `${mark(c.passed)} ${e ? claimLink(e, c, escapeHtml(c.name)) : escapeHtml(c.name)}: ` +
    `${escapeHtml(measuredText(c))} <small>(expected ${escapeHtml(expectedText(c))})</small>`;
  const body = stated.map((r) => {
    const evidence = r.checks.flatMap((c) =>
      c.claims
        .filter((x) => x.kind === "erratum")
        .map((x) => {
          cited.add(`${c.ref.slice(0, 2)}:${x.id}`);
          return claimCell(c.entry, x);
        }),
    );
    // A misstatement no data can contradict (a vacuous statement, a gap in a proof): what is
    // checked in its place.
    const instead = r.checks
      .filter((c) => c.claims.length)
      .map((c) => {
        const label = `${mark(c.claims.every((x) => x.passed))} ${escapeHtml(c.ref)}`;
        return c.entry ? claimLink(c.entry, c.claims[0], label) : label;
      });
    const cell = evidence.length
      ? evidence.join("<br>")
      : `<span style="color:#666">no erratum claim (no data can contradict it)${r.statement.how ? `: ${escapeHtml(r.statement.how)}` : ""}; checked instead: </span>${instead.join(", ") || "nothing"}`;
    return `<tr>${td(`<a href="#statement-${escapeHtml(r.statement.id)}">${escapeHtml(r.statement.where)}</a>`)}${td(escapeHtml(r.statement.misstatement!))}${td(cell)}</tr>`;
  });
  const others = entries.flatMap((e) =>
    (e.summary?.claims ?? [])
      .filter((c) => c.kind === "erratum" && !cited.has(`${e.stem.slice(0, 2)}:${c.id}`))
      .map((c) => `<tr>${td(escapeHtml(e.stem))}${td(claimCell(e, c))}</tr>`),
  );
  return (
    `<section id="errata"><h2>Errata: the paper's misstatements</h2>` +
    `<p>Each error of the paper that the notebooks found, with the claims of this run that show it ` +
    `(an erratum claim passes while the data contradict the paper; ✗ means the data no longer do).</p>` +
    table(["where", "the misstatement", "shown by (this run)"], body) +
    (others.length
      ? `<h3>Other erratum claims and contradicted verdicts</h3>` +
        table(["notebook", "claim"], others)
      : "") +
    `</section>`
  );
}

const INDEX_CSS = `body{font:14px/1.5 sans-serif;max-width:1150px;margin:2em auto;padding:0 1em}
.passed{color:#1a7f37;font-weight:bold}.failed{color:#cf222e;font-weight:bold}
h2{margin:1.2em 0 0.2em}h3{margin:0.8em 0 0.2em;font-size:1em}
table{border-collapse:collapse;margin:4px 0 12px;font-variant-numeric:tabular-nums}
@page{size:A4;margin:12mm}
@media print{body{margin:0;max-width:none;font-size:10pt}table{font-size:8.5pt;max-width:100%}
td,th{overflow-wrap:anywhere;word-break:break-word}tr{break-inside:avoid}h2,h3{break-after:avoid}}`;

/** One section of the index, in order (an id, so that other sections can be placed by it). */
export interface IndexSection {
  id: string;
  html: string;
}

/** The run's version and commit, from the claims files (one line per distinct one). */
function packagesOf(entries: NotebookEntry[]): string[] {
  const seen = new Map<string, string[]>();
  for (const e of entries) {
    const pkg: PackageInfo | undefined = runRecord(e.summary)?.package;
    const d = describePackage(pkg);
    seen.set(d, [...(seen.get(d) ?? []), e.stem]);
  }
  if (seen.size <= 1) return [...seen.keys()];
  return [...seen].map(([d, stems]) => `${d} (${stems.join(", ")})`);
}

/**
 * The index's sections, top to bottom: the introduction, the run at a glance (every total counts
 * every notebook, failed ones included, and names the failures), the claims by kind, one section
 * per notebook (its latest run; a failed one says so first), the coverage of the paper's
 * statements. A verdict board goes first: insert it before "glance".
 */
export function indexSections(out: string, list?: Statement[]): IndexSection[] {
  const entries = notebookEntries(out);
  const cov = coverage(entries, list);
  const all = entries.flatMap((e) => e.summary?.claims ?? []);
  const errata = all.filter((c) => c.kind === "erratum");
  const failedRuns = entries.filter((e) => e.failure);
  const failedNote = failedRuns.length
    ? `, <span class="failed">${failedRuns.length} failed</span> (${failedRuns
        .map((e) => `<a href="#nb-${e.stem}">${escapeHtml(e.stem)}</a>`)
        .join(", ")})`
    : "";
  const verdicts = all.filter((c) => c.verdict);
  const count = (o: string) => verdicts.filter((c) => c.verdict!.outcome === o).length;
  const failedClaims = all.filter(isFailure).length;
  const undecided = all.filter((c) => c.inconclusive).length;
  const glance =
    (failedClaims
      ? `<p class="failed">${failedClaims} claim${failedClaims === 1 ? "" : "s"} failed (listed first under each notebook).</p>`
      : "") +
    `<p><b>${all.filter((c) => c.passed).length} of ${all.length}</b> claims passed in ${entries.length} notebooks${failedNote}` +
    (undecided
      ? `; <b style="color:#9a6700">${undecided} inconclusive</b> (neither passed nor failed)`
      : "") +
    `. Verdicts on the paper's numbers: <b style="color:#9a6700">${count("inconclusive")} inconclusive</b>, ` +
    `<b>${count("contradicted")} contradicted</b>, <b>${count("reproduced")} reproduced</b> ` +
    `(<a href="#board">the board</a>). Errata (the data contradict the paper): <b>${errata.filter((c) => c.passed).length}</b> stand of ${errata.length}. ` +
    `Statements of the paper checked: <b>${cov.filter((r) => r.status === "checked").length} of ${cov.length}</b> ` +
    `(<a href="#coverage">coverage</a>).</p>` +
    `<p class="fragility-version">Run with ${packagesOf(entries).map(escapeHtml).join("; ")}.</p>`;
  const overview = `<h2>Claims by kind (passed/total)</h2>\n${table(
    ["notebook", ...KINDS, "all"],
    entries.map((e) => countsRow(e)),
  )}`;
  return [
    {
      id: "intro",
      html: `<h1>Towards unlocking the mystery of adversarial fragility of neural networks: reproduced and checked</h1>
<p>Each notebook computes every step of a proof or experiment on concrete random instances and checks the paper's statements as claims of a stated kind: <i>construction</i> (an identity of the construction or of our code, checked by a different route), <i>theorem</i> (the paper's statement on concrete instances), <i>law</i> (a distributional statement, tested at a level), <i>reproduction</i> and <i>erratum</i> (the verdicts on the paper's numbers: reproduced when ours is shown within a margin fixed from the paper, contradicted when shown outside it, <i>inconclusive</i> when neither; an inconclusive verdict neither passes nor fails and is listed first), <i>finding</i> (beyond the paper). Each count says how many claims are <i>exact</i> (decided on concrete instances by a computation that can fail only through an error of the paper's algebra or of our code, never by chance) and how many are <i>tested</i> (decided by a statistical test, within the notebook's Holm family). Pages open offline and load nothing from outside the file.</p>`,
    },
    {
      id: "board",
      html: boardHtml(board(cov), (ref, c, label) => {
        const e = entries.find((x) => x.stem.slice(0, 2) === ref.split(":")[0]);
        return e ? claimLink(e, c, label) : label;
      }),
    },
    { id: "glance", html: glance },
    { id: "overview", html: overview },
    // Failed notebooks first: the reviewer meets what did not hold before what did.
    ...[...failedRuns, ...entries.filter((e) => !e.failure)].map((e) => ({
      id: `nb-${e.stem}`,
      html: section(e),
    })),
    { id: "errata", html: errataSection(cov, entries) },
    { id: "coverage", html: coverageSection(cov) },
  ];
}

/** The reviewer's page, as HTML (math rendered by the caller). */
export function indexHtml(out: string, list?: Statement[]): string {
  const v = versions();
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Adversarial fragility: reproduced and checked</title>
<style>${INDEX_CSS}</style></head>
<body>${indexSections(out, list)
    .map((x) => x.html)
    .join("\n")}
<p style="color:#666">tslab ${v.tslab} · TypeScript ${v.TypeScript} · Node ${v.Node} · tfjs ${v.tfjs}</p></body></html>
`;
}

/**
 * Writes <out>/html/index.html (math rendered, through a unique temporary name) and <out>/RESULTS.md.
 * `list`: the statements for the coverage table (default data/paper/statements.json).
 */
export function writeIndex(out: string, list?: Statement[]): string {
  const file = path.join(out, "html", "index.html");
  const html = renderMath(indexHtml(out, list));
  const external = externalReferences(html);
  if (external.length)
    throw new Error(`the index is not self-contained: ${external.slice(0, 5).join(", ")}`);
  writeAtomic(file, html);
  writeAtomic(path.join(out, "RESULTS.md"), resultsMarkdown(out).text);
  return file;
}

const md = (x: unknown) => formatValue(x).replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

/**
 * The trainers and backends of the run, one line each with the notebooks that used it. A notebook's
 * backend names its trainers, separated by ";" or "," (outside parentheses); "none" means it
 * trains nothing, a bare tfjs backend name ("wasm") the tfjs trainer on that backend.
 */
export function backendLines(entries: Array<{ stem: string; backend: string }>): string[] {
  const users = new Map<string, string[]>();
  for (const e of entries) {
    const parts: string[] = [];
    let depth = 0;
    let cur = "";
    for (const ch of e.backend) {
      if (ch === "(") depth++;
      if (ch === ")") depth = Math.max(0, depth - 1);
      if ((ch === ";" || ch === ",") && depth === 0) {
        parts.push(cur);
        cur = "";
      } else cur += ch;
    }
    parts.push(cur);
    const names = new Set(
      parts
        .map((p) => p.trim())
        .filter(Boolean)
        .map((p) =>
          p === "none"
            ? "no training"
            : /^(wasm|cpu|tensorflow|node|webgl)$/.test(p)
              ? `tfjs backend ${p}`
              : p,
        ),
    );
    const short = /^\d+(?=-)/.exec(e.stem)?.[0] ?? e.stem;
    for (const n of names) users.set(n, [...(users.get(n) ?? []), short]);
  }
  const order = (n: string) => (n === "no training" ? 2 : n.startsWith("tfjs backend") ? 1 : 0);
  return [...users]
    .sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b))
    .map(([n, stems]) => `- ${n}: ${stems.join(", ")}`);
}

/**
 * The results table in Markdown: per notebook its latest run's claims (passed/total, by kind) and
 * its headline numbers beside the paper's with their verdicts; a notebook whose latest run failed
 * says so, with its failing claims first. `paperScale`: every notebook ran at paper scale.
 */
export function resultsMarkdown(out: string): { text: string; paperScale: boolean; table: string } {
  const entries = notebookEntries(out).filter((e) => e.summary || e.failure);
  const lines = [
    "| notebook | claims | quantity | ours | paper | verdict |",
    "| --- | --- | --- | --- | --- | --- |",
  ];
  for (const e of entries) {
    const s = e.summary;
    let claimsCell: string;
    if (s) {
      const passed = s.claims.filter((c) => c.passed).length;
      const counts = countByKind(s.claims);
      const kinds = KINDS.filter((k) => counts[k].total)
        .map((k) => `${counts[k].passed}/${counts[k].total} ${k}${describeSplit(counts[k])}`)
        .join(", ");
      const open = s.claims.filter((c) => c.inconclusive).length;
      claimsCell = `${e.failure ? "**FAILED**: " : ""}${open ? `**${open} inconclusive**; ` : ""}${passed}/${s.claims.length} (${kinds})`;
    } else claimsCell = "**FAILED**: no claims (the run stopped before its last cell)";
    const rows: Array<[string, string, string, string]> = [];
    if (e.failure) {
      for (const c of s?.claims.filter(isFailure) ?? [])
        rows.push([`✗ ${c.name}`, measuredText(c), expectedText(c), "claim failed"]);
      if (!s?.claims.some(isFailure))
        rows.push([md(firstLine(e.failure.problems[0] ?? "the run failed")), "", "", "run failed"]);
    }
    for (const h of e.results?.headline ?? [])
      rows.push([
        h.quantity,
        formatValue(h.ours) + interval(h),
        formatValue(h.paper),
        h.verdict ?? "",
      ]);
    if (!rows.length) lines.push(`| \`${e.stem}\` | ${claimsCell} | | | | |`);
    rows.forEach((r, k) =>
      lines.push(
        `| ${k === 0 ? `\`${e.stem}\`` : ""} | ${k === 0 ? claimsCell : ""} | ${md(r[0])} | ${md(r[1])} | ${md(r[2])} | ${md(r[3])} |`,
      ),
    );
  }
  const summaries = entries.filter((e) => e.summary).map((e) => ({ ...e, summary: e.summary! }));
  const scales = [
    ...new Set(entries.map((e) => e.summary?.scale ?? e.failure?.run?.scale ?? "unknown")),
  ].sort();
  const overridden = summaries.filter((e) => describeOverrides(e.summary) !== "none");
  const failed = entries.filter((e) => e.failure);
  const paperScale = entries.length > 0 && scales.length === 1 && scales[0] === "paper";
  const date = summaries.length ? runTime(out).toISOString().slice(0, 10) : "no run";
  const note =
    `${entries.length} notebooks${failed.length ? `, ${failed.length} failed (${failed.map((e) => `\`${e.stem}\``).join(", ")})` : ""}; ` +
    `scale ${scales.join(", ") || "none"}; run of ${date}` +
    (overridden.length
      ? `; overrides: ${overridden.map((e) => `${e.stem} (${describeOverrides(e.summary)})`).join(", ")}`
      : "; no overrides") +
    `; ${packagesOf(entries).join("; ")}.\n\nTrainers and backends:\n\n` +
    (backendLines(summaries.map((e) => ({ stem: e.stem, backend: e.summary.backend }))).join(
      "\n",
    ) || "- none recorded");
  // Every verdict on the paper's numbers, inconclusive ones first (never folded into a count).
  const rank: Record<string, number> = { inconclusive: 0, contradicted: 1, reproduced: 2 };
  const verdictLines = [
    "| verdict | notebook | outcome | ours; paper | deviation [90% CI] | margin | decided by |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...summaries
      .flatMap((e) => e.summary.claims.filter((c) => c.verdict).map((c) => ({ e, c })))
      .sort((a, b) => rank[a.c.verdict!.outcome] - rank[b.c.verdict!.outcome])
      .map(({ e, c }) => {
        const v = c.verdict!;
        const dev = v.untestable ? `not testable: ${v.untestable}` : deviationText(v);
        const note = v.reproducible ? "" : " (reproduction not decidable: the paper's sample)";
        return `| ${md(c.name)} | \`${e.stem.slice(0, 2)}\` | **${v.outcome}**${note} | ${md(formatValue(v.ours))}; ${md(formatValue(v.paper))} | ${md(dev)} | ${md(marginText(v))} | ${md(v.decidedBy ?? "")} |`;
      }),
  ];
  const table =
    (verdictLines.length > 2
      ? `**Verdicts on the paper** (inconclusive first)\n\n${verdictLines.join("\n")}\n\n**Notebooks**\n\n`
      : "") + lines.join("\n");
  return {
    text: `# Reproduced results\n\n${note}\n\n${table}\n`,
    paperScale,
    table: `${note}\n\n${table}`,
  };
}

/**
 * Rewrites the README's results section (between <!-- results:start --> and <!-- results:end -->)
 * from the run in `out`: a maintainer's step (`npm run readme`), only from a run where every
 * notebook ran at paper scale. Returns whether it wrote the README.
 */
export function updateReadme(out: string, readme = path.join(ROOT, "README.md")): boolean {
  const r = resultsMarkdown(out);
  if (!r.paperScale) return false;
  const text = fs.readFileSync(readme, "utf8");
  if (!text.includes("<!-- results:start -->")) return false;
  const block = `<!-- results:start -->\nFrom the last paper-scale run (\`npm run reproduce -- --scale paper\`, then \`npm run readme\`). ${r.table}\n<!-- results:end -->`;
  writeAtomic(readme, text.replace(/<!-- results:start -->[\s\S]*?<!-- results:end -->/, block));
  return true;
}
