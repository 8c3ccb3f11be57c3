/**
 * HTML for reviewers: one self-contained file per executed notebook and an index.
 *
 * Each page comes from nbconvert with the project's template (scripts/nbconvert/fragility, based on
 * lab, without require.js or MathJax), then: TeX is rendered to SVG here with mathjax-full, a bar at
 * the top gives the run's provenance and claim counts and shows or hides the code, and the page is
 * refused if anything in it would load from outside the file (no CDN, no file://): reviewers open
 * it offline, and a double-blind reviewer's browser must not call a third party.
 *
 *   npm run export -- [--out build] [--no-code]
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { mathjax } from "mathjax-full/js/mathjax.js";
import { TeX } from "mathjax-full/js/input/tex.js";
import { SVG } from "mathjax-full/js/output/svg.js";
import { liteAdaptor } from "mathjax-full/js/adaptors/liteAdaptor.js";
import { RegisterHTMLHandler } from "mathjax-full/js/handlers/html.js";
import { AllPackages } from "mathjax-full/js/input/tex/AllPackages.js";
import { findJupyterPython, INSTALL_HELP, jupyterEnv, ROOT } from "./jupyter";
import { countByKind, describeCounts, type ClaimsFile } from "../lib/claims/ledger";
import type { Headline } from "../lib/claims/outputs";
import { escapeHtml, formatValue } from "../lib/show/render";

const adaptor = liteAdaptor();
RegisterHTMLHandler(adaptor);

function versions(): Record<string, string> {
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

/** Renders every $…$, $$…$$, \(…\) and \[…\] outside code, scripts and styles to inline SVG. */
export function renderMath(html: string): string {
  // Large scripts and styles are set aside so the DOM parser never walks them.
  const kept: string[] = [];
  const shielded = html.replace(
    /<(script|style)\b[\s\S]*?<\/\1>/gi,
    (m) => `<!--fragility-kept-${kept.push(m) - 1}-->`,
  );
  const doc = mathjax.document(shielded, {
    InputJax: new TeX({
      packages: AllPackages,
      inlineMath: [
        ["$", "$"],
        ["\\(", "\\)"],
      ],
      displayMath: [
        ["$$", "$$"],
        ["\\[", "\\]"],
      ],
      processEscapes: true,
    }),
    OutputJax: new SVG({ fontCache: "local" }),
  });
  doc.render();
  const out = adaptor.doctype(doc.document) + "\n" + adaptor.outerHTML(adaptor.root(doc.document));
  return out.replace(/<!--fragility-kept-(\d+)-->/g, (_, i: string) => kept[Number(i)]);
}

/** Addresses in the page that a browser would fetch from outside the file (empty when self-contained). */
export function externalReferences(html: string): string[] {
  const found: string[] = [];
  const withoutScripts = html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, (m) =>
    m.replace(/>[\s\S]*<\/script>/i, "></script>"),
  );
  for (const m of withoutScripts.matchAll(
    /<(script|link|img|iframe|source|video|audio|embed|object)\b[^>]*?\s(?:src|href|data)\s*=\s*["']?([^"'\s>]+)/gi,
  )) {
    if (!m[2].startsWith("data:") && !m[2].startsWith("#")) found.push(`<${m[1]}> ${m[2]}`);
  }
  for (const m of withoutScripts.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)) {
    for (const u of m[1].matchAll(/url\(\s*["']?([^"')]+)/gi))
      if (!u[1].startsWith("data:") && !u[1].startsWith("#")) found.push(`css url(${u[1]})`);
    for (const u of m[1].matchAll(/@import\s+["']([^"']+)/gi)) found.push(`css @import ${u[1]}`);
  }
  return found;
}

function bar(summary: ClaimsFile | null, title: string, showIndexLink: boolean): string {
  const v = versions();
  const passed = summary ? summary.claims.filter((c) => c.passed).length : 0;
  const failed = summary ? summary.claims.length - passed : 0;
  const claims = summary
    ? `<a href="#claims"><span class="${failed ? "failed" : "passed"}">claims: ${passed} of ${summary.claims.length} passed${failed ? `, ${failed} failed` : ""}</span></a><span>${escapeHtml(describeCounts(countByKind(summary.claims)))}</span>`
    : "";
  const prov = summary
    ? `scale <b>${escapeHtml(summary.scale)}</b> · seed <b>${summary.seed}</b> · backend <b>${escapeHtml(summary.backend)}</b> · `
    : "";
  return (
    `<div class="fragility-bar">${showIndexLink ? `<a href="index.html">← all notebooks</a>` : ""}<b>${escapeHtml(title)}</b>${claims}` +
    `<span>${prov}tslab ${v.tslab} · TypeScript ${v.TypeScript} · Node ${v.Node} · tfjs ${v.tfjs} · exported ${new Date().toISOString().slice(0, 10)}</span>` +
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
    fs.mkdirSync(path.dirname(outFile), { recursive: true });
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

function headlineTable(rows: Headline[]): string {
  const cell = "border:1px solid #ccc;padding:2px 8px";
  return (
    `<table style="border-collapse:collapse;margin:4px 0 12px"><tr><th style="${cell}">quantity</th><th style="${cell}">ours</th><th style="${cell}">paper</th><th style="${cell}">note</th></tr>` +
    rows
      .map(
        (h) =>
          `<tr><td style="${cell}">${escapeHtml(h.quantity)}</td><td style="${cell}">${escapeHtml(formatValue(h.ours))}</td><td style="${cell}">${escapeHtml(formatValue(h.paper))}</td><td style="${cell}">${escapeHtml(h.note ?? "")}</td></tr>`,
      )
      .join("") +
    "</table>"
  );
}

/** build/html/index.html: every exported notebook with its claim counts (linked) and reproduced numbers beside the paper's. */
export function writeIndex(out: string): string {
  const htmlDir = path.join(out, "html");
  const stems = fs.existsSync(htmlDir)
    ? fs
        .readdirSync(htmlDir)
        .filter((f) => f.endsWith(".html") && f !== "index.html")
        .map((f) => f.replace(/\.html$/, ""))
        .sort()
    : [];
  const sections = stems.map((stem) => {
    const summary = readJson<ClaimsFile>(path.join(out, "claims", `${stem}.json`));
    const results = readJson<{ headline?: Headline[] }>(path.join(out, "results", `${stem}.json`));
    const ipynb = path.join(out, "notebooks", `${stem}.ipynb`);
    const title = fs.existsSync(ipynb) ? notebookTitle(ipynb, stem) : stem;
    const passed = summary ? summary.claims.filter((c) => c.passed).length : 0;
    const total = summary ? summary.claims.length : 0;
    const failedRows = summary ? summary.claims.filter((c) => !c.passed) : [];
    return (
      `<section><h2><a href="${stem}.html">${escapeHtml(title)}</a></h2>` +
      `<p><a href="${stem}.html#claims" class="${passed === total ? "passed" : "failed"}">claims: ${passed} of ${total} passed</a>` +
      (summary ? ` (${escapeHtml(describeCounts(countByKind(summary.claims)))})` : "") +
      (summary
        ? ` · scale ${escapeHtml(summary.scale)} · seed ${summary.seed} · backend ${escapeHtml(summary.backend)}`
        : "") +
      `</p>` +
      (failedRows.length
        ? `<ul>${failedRows.map((c) => `<li><a href="${stem}.html#claim-${escapeHtml(c.id)}">✗ ${escapeHtml(c.name)}</a></li>`).join("")}</ul>`
        : "") +
      (results?.headline?.length ? headlineTable(results.headline) : "") +
      `</section>`
    );
  });
  const html = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Adversarial fragility: reproduced results</title>
<style>body{font:15px/1.5 sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}.passed{color:#1a7f37;font-weight:bold}.failed{color:#cf222e;font-weight:bold}h2{margin-bottom:0.2em}</style></head>
<body><h1>Towards unlocking the mystery of adversarial fragility of neural networks: reproduced and checked</h1>
<p>Each notebook computes every step of a proof or experiment on concrete random instances and checks the paper's statements as named claims. Reproduced numbers are shown beside the paper's. Pages open offline and load nothing from outside the file.</p>
${sections.join("\n")}
<p style="color:#666">tslab ${versions().tslab} · Node ${process.versions.node} · tfjs ${versions().tfjs} · exported ${new Date().toISOString().slice(0, 10)}</p></body></html>\n`;
  const file = path.join(htmlDir, "index.html");
  fs.mkdirSync(htmlDir, { recursive: true });
  fs.writeFileSync(`${file}.tmp`, html);
  fs.renameSync(`${file}.tmp`, file);
  return file;
}

/** Rewrites the README's results section from the last paper-scale run (only when every notebook ran at paper scale). */
export function updateReadme(out: string, readme = path.join(ROOT, "README.md")): boolean {
  const claimsDir = path.join(out, "claims");
  if (!fs.existsSync(claimsDir)) return false;
  const stems = fs
    .readdirSync(claimsDir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.replace(/\.json$/, ""))
    .sort();
  const summaries = stems.map((s) => readJson<ClaimsFile>(path.join(claimsDir, `${s}.json`)));
  if (!summaries.length || summaries.some((s) => !s || s.scale !== "paper")) return false;
  const lines = [
    "| notebook | claims | quantity | ours | paper |",
    "| --- | --- | --- | --- | --- |",
  ];
  stems.forEach((stem, i) => {
    const s = summaries[i]!;
    const passed = s.claims.filter((c) => c.passed).length;
    const head =
      readJson<{ headline?: Headline[] }>(path.join(out, "results", `${stem}.json`))?.headline ??
      [];
    if (head.length === 0) lines.push(`| \`${stem}\` | ${passed}/${s.claims.length} | | | |`);
    const md = (x: unknown) => formatValue(x).replace(/\|/g, "\\|");
    head.forEach((h, k) =>
      lines.push(
        `| ${k === 0 ? `\`${stem}\`` : ""} | ${k === 0 ? `${passed}/${s.claims.length}` : ""} | ${md(h.quantity)} | ${md(h.ours)} | ${md(h.paper)} |`,
      ),
    );
  });
  const backend = summaries[0]!.backend;
  const block = `<!-- results:start -->\nFrom the last paper-scale run (\`bash scripts/setup.sh\`, i.e. \`npm run reproduce -- --scale paper\`; backend ${backend}, ${new Date().toISOString().slice(0, 10)}):\n\n${lines.join("\n")}\n<!-- results:end -->`;
  const text = fs.readFileSync(readme, "utf8");
  if (!text.includes("<!-- results:start -->")) return false;
  fs.writeFileSync(
    readme,
    text.replace(/<!-- results:start -->[\s\S]*?<!-- results:end -->/, block),
  );
  return true;
}

/** CLI: re-exports every executed notebook under <out>/notebooks and writes the index. */
if (require.main === module) {
  const argv = process.argv.slice(2);
  let out = path.join(ROOT, "build");
  let dropCode = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--out") out = path.resolve(argv[++i] ?? "");
    else if (argv[i] === "--no-code") dropCode = true;
    else {
      console.error(
        `unknown argument ${argv[i]}\nusage: npm run export -- [--out dir] [--no-code]`,
      );
      process.exit(2);
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
    process.exit(1);
  }
  for (const f of files) {
    const stem = f.replace(/\.ipynb$/, "");
    exportNotebook(path.join(dir, f), path.join(out, "html", `${stem}.html`), {
      summary: readJson<ClaimsFile>(path.join(out, "claims", `${stem}.json`)),
      dropCode,
    });
    console.log(`exported ${stem}`);
  }
  console.log(`index: ${writeIndex(out)}`);
  if (updateReadme(out)) console.log("README results table updated from this paper-scale run");
}
