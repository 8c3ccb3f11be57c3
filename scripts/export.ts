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
 * --pdf writes <out>/pdf/<stem>.pdf per page and <out>/pdf/all.pdf (the index and every notebook),
 * printed by Debian's Chromium through playwright-core; --archive writes <out>/review.zip (see
 * scripts/archive.ts).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { findJupyterPython, INSTALL_HELP, jupyterEnv, ROOT } from "./jupyter";
import { countByKind, describeCounts, type ClaimsFile } from "../lib/claims/ledger";
import { escapeHtml } from "../lib/show/render";
import { renderMath } from "./math";
import { externalReferences } from "./offline";
import { describeOverrides, runSignature, versions, writeIndex } from "./review-index";

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

/** The page's top bar: title, claims counted by kind, the run (scale, seed, overrides), versions. */
export function bar(summary: ClaimsFile | null, title: string, showIndexLink: boolean): string {
  const v = versions();
  const passed = summary ? summary.claims.filter((c) => c.passed).length : 0;
  const failed = summary ? summary.claims.length - passed : 0;
  const claims = summary
    ? `<a href="#claims"><span class="${failed ? "failed" : "passed"}">claims: ${passed} of ${summary.claims.length} passed${failed ? `, ${failed} failed` : ""}</span></a>` +
      `<span class="fragility-kinds">${escapeHtml(describeCounts(countByKind(summary.claims)))}</span>`
    : `<span class="failed">no claims file</span>`;
  const prov = summary
    ? `<span class="fragility-run">scale <b>${escapeHtml(summary.scale)}</b> · seed <b>${summary.seed}</b> · overrides <b>${escapeHtml(describeOverrides(summary))}</b> · backend <b>${escapeHtml(summary.backend)}</b></span>`
    : "";
  const nav = showIndexLink ? `<a class="fragility-nav" href="index.html">← all notebooks</a>` : "";
  return (
    `<div class="fragility-bar" data-run="${runSignature(summary)}">${nav}<b>${escapeHtml(title)}</b>${claims}${prov}` +
    `<span>tslab ${v.tslab} · TypeScript ${v.TypeScript} · Node ${v.Node} · tfjs ${v.tfjs}</span>` +
    `<button type="button" onclick="document.body.classList.toggle('fragility-hide-code'); this.textContent = document.body.classList.contains('fragility-hide-code') ? 'Show code' : 'Hide code';">Show code</button></div>`
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

/** Exports one executed notebook to a self-contained HTML file (written atomically). */
export function exportNotebook(
  ipynb: string,
  outFile: string,
  options: { summary: ClaimsFile | null; dropCode?: boolean; python?: string },
): void {
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
    html = html.replace(
      /(<body[^>]*>)/,
      `$1\n${bar(options.summary, notebookTitle(ipynb, stem), true)}`,
    );
    const external = externalReferences(html);
    if (external.length)
      throw new Error(
        `export of ${stem} is not self-contained: ${external.slice(0, 5).join(", ")}`,
      );
    const tmpOut = path.join(tmpDir, "out.html");
    fs.writeFileSync(tmpOut, html);
    fs.renameSync(tmpOut, outFile);
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

const USAGE = "usage: npm run export -- [--out dir] [--no-code] [--pdf] [--archive]";

/** CLI: re-exports every executed notebook under <out>/notebooks, writes the index, PDFs, archive. */
async function main(argv: string[]): Promise<number> {
  let out = path.join(ROOT, "build");
  let dropCode = false;
  let pdf = false;
  let archive = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--out") out = path.resolve(argv[++i] ?? "");
    else if (argv[i] === "--no-code") dropCode = true;
    else if (argv[i] === "--pdf") pdf = true;
    else if (argv[i] === "--archive") archive = true;
    else {
      console.error(`unknown argument ${argv[i]}\n${USAGE}`);
      return 2;
    }
  }
  const dir = path.join(out, "notebooks");
  const files = fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".ipynb"))
        .sort()
    : [];
  if (!files.length) {
    console.error(`no executed notebooks in ${dir}: run npm run reproduce first`);
    return 1;
  }
  // A PDF needs Chromium: say so before any work.
  const { chromiumPath } = await import("./chromium");
  if (pdf || archive) chromiumPath();
  for (const f of files) {
    const stem = f.replace(/\.ipynb$/, "");
    exportNotebook(path.join(dir, f), path.join(out, "html", `${stem}.html`), {
      summary: readJson<ClaimsFile>(path.join(out, "claims", `${stem}.json`)),
      dropCode,
    });
    console.log(`exported ${stem}`);
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

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      console.error((e as Error).message);
      process.exitCode = 1;
    },
  );
}
