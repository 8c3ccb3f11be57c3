/**
 * The reviewers' package: one self-contained HTML file per executed notebook, an index, and on
 * request PDFs and one archive.
 *
 * Each page comes from nbconvert with the project's template (scripts/nbconvert/fragility, based on
 * lab, without require.js, MathJax, mermaid or the widgets loader), then: TeX is rendered to SVG
 * here with mathjax-full, a bar at the top gives the run's provenance (scale, seed, every override)
 * and its claims counted by kind, and the page is refused if anything in it would load from outside
 * the file (no CDN, no file://, also not from inside an inline script): reviewers open it offline,
 * and a double-blind reviewer's browser must not call a third party. Pages carry no export date,
 * so two exports of the same run are byte-identical.
 *
 *   npm run export -- [--out build] [--no-code] [--pdf] [--archive]
 *
 * A notebook whose latest run failed (<out>/failed/<stem>.report.json) is exported from
 * <out>/failed/<stem>.ipynb, marked failed at the top with what went wrong and its failing claims
 * first; a page never shows an earlier run than the notebook's latest. Pages are anonymous: local
 * paths (the checkout, the home folder, the output folder) are rewritten before a page is written
 * (scripts/anonymity.ts), and a page that still names one is refused.
 *
 * --pdf writes <out>/pdf/<stem>.pdf per page and <out>/pdf/all.pdf (the index and every notebook),
 * printed by Debian's Chromium through playwright-core; --archive writes <out>/review.zip (see
 * scripts/archive.ts).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { findJupyterPython, INSTALL_HELP, jupyterEnv, ROOT } from "./jupyter";
import { countByKind, describeCounts, isFailure, type ClaimsFile } from "../lib/claims/ledger";
import { escapeHtml, renderClaims } from "../lib/show/render";
import { anonymize, privatePaths, privateRoots } from "./anonymity";
import { parseCommandLine, refuseOverlap, requireFreshBuild, runCli, UsageError } from "./cli";
import { renderMath } from "./math";
import { externalReferences, isLibraryScript } from "./offline";
import { describePackage, runRecord } from "./provenance";
import {
  describeOverrides,
  failureReport,
  runSignature,
  versions,
  writeIndex,
} from "./review-index";

export { renderMath } from "./math";
export { externalReferences } from "./offline";
export { writeIndex, resultsMarkdown } from "./review-index";

/**
 * @deprecated The main job no longer edits the README (issue 14 §2): this writes nothing and
 * returns false. The maintainer's command is `npm run readme` (scripts/readme.ts). Kept only while
 * scripts/reproduce.ts still calls it.
 */
export function updateReadme(_out: string): boolean {
  return false;
}

/** A page's size limit (bytes): larger pages are reported (issue 22: reviewers open them offline). */
export const PAGE_LIMIT = 3_000_000;

/**
 * The page's top bar: title, claims counted by kind, the run (scale, seed, overrides, backend),
 * the package's version and commit, the versions of the tools; FAILED when the latest run failed.
 */
export function bar(
  summary: ClaimsFile | null,
  title: string,
  showIndexLink: boolean,
  failed = false,
): string {
  const v = versions();
  const passed = summary ? summary.claims.filter((c) => c.passed).length : 0;
  const failedClaims = summary ? summary.claims.filter(isFailure).length : 0;
  const undecided = summary ? summary.claims.filter((c) => c.inconclusive).length : 0;
  const status = failed
    ? `<a href="#fragility-failure"><span class="failed">FAILED: this run failed</span></a>`
    : "";
  const claims = summary
    ? `<a href="#claims"><span class="${failedClaims ? "failed" : "passed"}">claims: ${passed} of ${summary.claims.length} passed${failedClaims ? `, ${failedClaims} failed` : ""}${undecided ? `, ${undecided} inconclusive` : ""}</span></a>` +
      `<span class="fragility-kinds">${escapeHtml(describeCounts(countByKind(summary.claims)))}</span>`
    : `<span class="failed">no claims file</span>`;
  const prov = summary
    ? `<span class="fragility-run">scale <b>${escapeHtml(summary.scale)}</b> · seed <b>${summary.seed}</b> · overrides <b>${escapeHtml(describeOverrides(summary))}</b> · backend <b>${escapeHtml(summary.backend)}</b></span>`
    : "";
  const pkg = runRecord(summary)?.package;
  const nav = showIndexLink ? `<a class="fragility-nav" href="index.html">← all notebooks</a>` : "";
  return (
    `<div class="fragility-bar${failed ? " fragility-failed" : ""}" data-run="${runSignature(summary)}">${nav}<b>${escapeHtml(title)}</b>${status}${claims}${prov}` +
    `<span class="fragility-version">${escapeHtml(describePackage(pkg))}</span>` +
    `<span>tslab ${v.tslab} · TypeScript ${v.TypeScript} · Node ${v.Node} · tfjs ${v.tfjs}</span>` +
    `<button type="button" onclick="document.body.classList.toggle('fragility-hide-code'); this.textContent = document.body.classList.contains('fragility-hide-code') ? 'Show code' : 'Hide code';">Show code</button></div>`
  );
}

/**
 * The failed run's account, at the top of its page: what went wrong (the runner's problems: the
 * failing cell with its source and stderr, or the failed claims) and the failing claims' rows.
 */
export function failureBlock(summary: ClaimsFile | null, problems: string[]): string {
  const failing = summary ? summary.claims.filter(isFailure) : [];
  const shown = problems.slice(0, 10).map((p) => {
    const lines = p.split("\n");
    const text = lines.slice(0, 40).join("\n") + (lines.length > 40 ? "\n…" : "");
    return `<pre style="white-space:pre-wrap;margin:4px 0;padding:6px;background:#fff;border:1px solid #f0c0c0">${escapeHtml(text)}</pre>`;
  });
  return (
    `<div id="fragility-failure" class="fragility-failure" style="margin:12px 16px;padding:8px 12px;border:2px solid #cf222e;background:#fff5f5;font:14px/1.5 sans-serif">` +
    `<h2 style="color:#cf222e;margin:0 0 6px">This run failed</h2>` +
    (failing.length
      ? `<p><b>${failing.length} failing claim${failing.length > 1 ? "s" : ""}</b> (the whole ledger is further down, where the notebook shows it):</p>${renderClaims(failing).replace(' class="fragility-claims"', ' class="fragility-claims fragility-failing"')}`
      : `<p>No claim failed${summary ? "" : " (the run wrote no claims: it stopped before its last cell)"}; what went wrong:</p>`) +
    (shown.length ? `<p><b>What the runner reported</b></p>${shown.join("")}` : "") +
    (problems.length > shown.length
      ? `<p>… and ${problems.length - shown.length} more (see logs/)</p>`
      : "") +
    `</div>`
  );
}

/** The first markdown heading of a notebook (its title). */
export function notebookTitle(ipynb: string, fallback: string): string {
  const nb = JSON.parse(fs.readFileSync(ipynb, "utf8")) as {
    cells: Array<{ cell_type: string; source: string | string[] }>;
  };
  for (const c of nb.cells) {
    if (c.cell_type !== "markdown") continue;
    const text = Array.isArray(c.source) ? c.source.join("") : c.source;
    const m = /^#\s+(.+)$/m.exec(text);
    if (m) return m[1].replace(/\$/g, "").trim();
  }
  return fallback;
}

/** Exports one executed notebook to a self-contained, anonymous HTML file (written atomically); returns its size in bytes. */
export function exportNotebook(
  ipynb: string,
  outFile: string,
  options: {
    summary: ClaimsFile | null;
    dropCode?: boolean;
    python?: string;
    /** The run failed: the page is marked failed, with these problems and the failing claims first. */
    failure?: { problems: string[] };
    /** Further folders whose paths must not reach the page (the output folder, the notebooks'). */
    roots?: Array<{ what: string; path: string; label: string }>;
  },
): number {
  const python = options.python ?? findJupyterPython();
  if (!python) throw new Error(INSTALL_HELP);
  const stem = path.basename(ipynb, ".ipynb");
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  const tmpDir = fs.mkdtempSync(path.join(path.dirname(outFile), `.export-${stem}-`));
  try {
    const args = [
      "-m",
      "nbconvert",
      "--to",
      "html",
      `--TemplateExporter.extra_template_basedirs=${path.join(ROOT, "scripts", "nbconvert")}`,
      "--template",
      "fragility",
      "--output-dir",
      tmpDir,
      "--output",
      stem,
      ...(options.dropCode ? ["--no-input"] : []),
      ipynb,
    ];
    const r = spawnSync(python, args, { env: jupyterEnv(), encoding: "utf8", maxBuffer: 1 << 28 });
    if (r.status !== 0) throw new Error(`nbconvert failed for ${ipynb}:\n${r.stderr}`);
    let html = fs.readFileSync(path.join(tmpDir, `${stem}.html`), "utf8");
    html = renderMath(html);
    html = html.replace(
      /<body([^>]*)class="([^"]*)"/,
      (_, pre: string, cls: string) => `<body${pre}class="${cls} fragility-hide-code"`,
    );
    const top =
      bar(options.summary, notebookTitle(ipynb, stem), true, !!options.failure) +
      (options.failure ? failureBlock(options.summary, options.failure.problems) : "");
    html = html.replace(/(<body[^>]*>)/, (m) => `${m}\n${top}`);
    const external = externalReferences(html);
    if (external.length)
      throw new Error(
        `export of ${stem} is not self-contained: ${external.slice(0, 5).join(", ")}`,
      );
    // Double-blind: a cell's stderr may carry a local path ("cache: cannot write /home/…").
    const roots = privateRoots([
      ...(options.roots ?? []),
      { what: "notebook's folder", path: path.dirname(path.resolve(ipynb)), label: "<run>" },
    ]).map((r) => ({ ...r, label: escapeHtml(r.label) }));
    // The inlined plotly.js is a library: set aside, as it is, while the page is rewritten.
    const kept: string[] = [];
    html = html.replace(/<script\b[^>]*>([\s\S]*?)<\/script>/gi, (m, body: string) =>
      isLibraryScript(body) ? `<!--fragility-library-${kept.push(m) - 1}-->` : m,
    );
    html = anonymize(html, roots);
    const leaks = privatePaths(html, roots);
    html = html.replace(/<!--fragility-library-(\d+)-->/g, (_, i: string) => kept[Number(i)]);
    if (leaks.length)
      throw new Error(
        `export of ${stem} is not anonymous: it names ${leaks.slice(0, 3).join(", ")}`,
      );
    const tmpOut = path.join(tmpDir, "out.html");
    fs.writeFileSync(tmpOut, html);
    fs.renameSync(tmpOut, outFile);
    return Buffer.byteLength(html);
  } finally {
    fs.rmSync(tmpDir, { recursive: true, force: true });
  }
}

function readJson<T>(file: string): T | null {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as T;
  } catch {
    return null;
  }
}

const USAGE = `usage: npm run export -- [--out dir] [--no-code] [--pdf] [--archive]
  re-exports every executed notebook under <out>/notebooks (and the failed ones under <out>/failed)
  to <out>/html, and writes the index and <out>/RESULTS.md, without running anything
  --out      the run's folder (default build/)
  --no-code  leave code cells out of the pages (by default they are collapsed, with a button)
  --pdf      also print every page to <out>/pdf/<stem>.pdf and <out>/pdf/all.pdf (Chromium)
  --archive  also write <out>/review.zip (prints the PDFs too)
  --help     this text`;

/** CLI: re-exports every executed notebook under <out>/notebooks, writes the index, PDFs, archive. */
async function main(argv: string[]): Promise<number> {
  requireFreshBuild("export");
  const { values } = parseCommandLine("export", USAGE, argv, {
    out: { type: "string" },
    "no-code": { type: "boolean" },
    pdf: { type: "boolean" },
    archive: { type: "boolean" },
  });
  const out = path.resolve(values.out ?? path.join(ROOT, "build"));
  refuseOverlap("export", out, null);
  const dropCode = !!values["no-code"];
  const pdf = !!values.pdf;
  const archive = !!values.archive;
  const dir = path.join(out, "notebooks");
  const failedDir = path.join(out, "failed");
  const list = (d: string, ext: string) =>
    fs.existsSync(d)
      ? fs
          .readdirSync(d)
          .filter((f) => f.endsWith(ext))
          .map((f) => f.slice(0, -ext.length))
      : [];
  const failedStems = new Set(list(failedDir, ".report.json"));
  const stems = [...new Set([...list(dir, ".ipynb"), ...failedStems])].sort();
  if (!stems.length) {
    throw new UsageError(`export: no executed notebooks in ${dir}: run npm run reproduce first`);
  }
  // A PDF needs Chromium: say so before any work.
  const { chromiumPath } = await import("./chromium");
  if (pdf || archive) chromiumPath();
  const roots = [{ what: "output folder", path: out, label: "<out>" }];
  for (const stem of stems) {
    const page = path.join(out, "html", `${stem}.html`);
    let bytes: number;
    if (failedStems.has(stem)) {
      // The latest run failed: its page, never an earlier run's.
      const report = failureReport(out, stem);
      const ipynb = path.join(failedDir, `${stem}.ipynb`);
      if (!fs.existsSync(ipynb)) {
        fs.rmSync(page, { force: true });
        console.log(`${stem}: its latest run failed before the notebook ran; no page`);
        continue;
      }
      bytes = exportNotebook(ipynb, page, {
        summary: readJson<ClaimsFile>(path.join(failedDir, `${stem}.json`)),
        dropCode,
        failure: { problems: report?.problems ?? ["(no report of the failure)"] },
        roots,
      });
      console.log(`exported ${stem} (its latest run FAILED)`);
    } else {
      bytes = exportNotebook(path.join(dir, `${stem}.ipynb`), page, {
        summary: readJson<ClaimsFile>(path.join(out, "claims", `${stem}.json`)),
        dropCode,
        roots,
      });
      console.log(`exported ${stem}`);
    }
    if (bytes > PAGE_LIMIT)
      console.log(
        `  note: ${stem}.html is ${(bytes / 1e6).toFixed(2)} MB, over the ${PAGE_LIMIT / 1e6} MB pages aim at`,
      );
  }
  console.log(`index: ${writeIndex(out)}`);
  console.log(`results table: ${path.join(out, "RESULTS.md")}`);
  if (pdf || archive) {
    const { printAll } = await import("./pdf");
    for (const f of await printAll(out)) console.log(`pdf: ${f}`);
  }
  if (archive) {
    const { writeArchive } = await import("./archive");
    const a = writeArchive(out);
    console.log(`archive: ${a.file} (${a.entries} files, ${(a.bytes / 1e6).toFixed(2)} MB)`);
  }
  return 0;
}

if (require.main === module) runCli(() => main(process.argv.slice(2)));
