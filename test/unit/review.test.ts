/**
 * The reviewers' package without a browser: the external-reference check (also inside inline
 * scripts), raw TeX in figure labels, the ZIP writer, the PDF reader and writer on a hand-made
 * file, the index and results table from claims and results files, and the archive's
 * reproducibility. The browser, the PDFs Chromium prints and the anonymity scan are in
 * test/integration/browser.test.ts.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { createHash } from "crypto";
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { externalReferences } from "../../scripts/export";
import {
  backendLines,
  runSignature,
  resultsMarkdown,
  updateReadme,
  writeIndex,
  coverage,
  notebookEntries,
  runTime,
} from "../../scripts/review-index";
import { writeArchive, MANIFEST } from "../../scripts/archive";
import { crc32, readZip, writeZip } from "../../scripts/zip";
import * as pdfFile from "../../scripts/pdf-file";
import * as claims from "../../lib/claims";
import * as render from "../../lib/show/render";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const tmp = (name: string) => fs.mkdtempSync(path.join(os.tmpdir(), `review-${name}-`));

test("the external-reference check finds loads inside inline scripts, and none in the inlined plotly.js", () => {
  const mermaid = `<script type="module">
  document.addEventListener("DOMContentLoaded", async () => {
    const mermaid = (await import("https://cdnjs.cloudflare.com/ajax/libs/mermaid/11.10.0/mermaid.esm.min.mjs")).default;
  });</script>`;
  assert.match(
    externalReferences(mermaid).join(),
    /loads https:\/\/cdnjs\.cloudflare\.com\/.*mermaid/,
  );
  const cases: Array<[string, RegExp]> = [
    [
      `<script type="module">import mermaid from "https://cdn.example/m.mjs";</script>`,
      /cdn\.example/,
    ],
    [`<script>import "//cdn.example/side.js";</script>`, /cdn\.example/],
    [`<script>importScripts('https://cdn.example/w.js')</script>`, /cdn\.example/],
    [`<script>fetch("http://tracker.example/x")</script>`, /tracker\.example/],
    [
      `<script>s.src = "https://cdn.example/embed.js"; document.body.appendChild(s)</script>`,
      /cdn\.example/,
    ],
    [
      `<script>var u = 'https://unpkg.com/' + '@jupyter-widgets/html-manager';</script>`,
      /unpkg\.com/,
    ],
    [`<script src="file:///usr/share/javascript/requirejs/require.min.js"></script>`, /file:\/\//],
    [`<link rel="stylesheet" href="https://fonts.example/css">`, /fonts\.example/],
    [`<style>@import url("https://fonts.example/a.css");</style>`, /fonts\.example/],
    [`<style>body { background: url(https://img.example/b.png) }</style>`, /img\.example/],
    [`<div style="background:url(&quot;https://img.example/c.png&quot;)"></div>`, /img\.example/],
    [`<img src="https://img.example/d.png">`, /img\.example/],
  ];
  for (const [html, re] of cases) assert.match(externalReferences(html).join(" "), re, html);
  const clean = [
    `<script>Plotly.newPlot("f", [{"x":[1]}], {});</script>`,
    `<svg xmlns="http://www.w3.org/2000/svg"><use xlink:href="#MJX-1"></use></svg>`,
    `<img src="data:image/png;base64,AAAA"><a href="#claims">claims</a><a href="index.html">index</a>`,
    `<script>var ns = "http://www.w3.org/2000/svg"; import("./local.mjs");</script>`,
  ];
  for (const html of clean) assert.deepEqual(externalReferences(html), [], html);
  const plotly = fs.readFileSync(
    require.resolve("plotly.js-cartesian-dist-min/plotly-cartesian.min.js"),
    "utf8",
  );
  assert.deepEqual(externalReferences(`<script type="text/javascript">${plotly}</script>`), []);
  // The same source changed by one character is page code: its literal addresses count.
  assert.ok(externalReferences(`<script>${plotly};</script>`).length > 0);
});

test("figure titles, axis labels and legend names with raw TeX are refused; Unicode math passes", () => {
  assert.deepEqual(render.rawTex("R_{d−1,d−1}"), ["_{"]);
  assert.deepEqual(render.rawTex("\\frac{1}{2} and $x$"), ["\\frac", "$x$"]);
  assert.deepEqual(render.rawTex("αe^{1−α}"), ["^{"]);
  assert.deepEqual(render.rawTex("‖e‖ / √d, R₍d−1,d−1₎, χ²_d, e^(1−α), $5"), []);
  const ok = {
    data: [{ type: "histogram", x: [1], name: "‖e‖" }, { y: [1] }],
    layout: { title: "R₍d,d₎", xaxis: { title: "√d" } },
  };
  const html = render.renderFigure("fig-1", ok);
  assert.match(html, /data-trace-types="histogram scatter"/);
  const bad: Array<[object, RegExp]> = [
    [{ data: [], layout: { title: "R_{d−1,d−1}" } }, /title .*_\{/],
    [{ data: [], layout: { title: { text: "$\\varphi$" } } }, /title/],
    [{ data: [], layout: { yaxis2: { title: "\\frac{a}{b}" } } }, /yaxis2 title/],
    [{ data: [{ name: "e^{x}" }] }, /data\[0\]\.name/],
  ];
  for (const [fig, re] of bad)
    assert.throws(
      () => render.renderFigure("f", fig as { data: unknown[] }),
      (e: Error) => re.test(e.message) && /Unicode/.test(e.message),
    );
});

test("show.plot's figures: trace types the inlined bundle lacks are refused; numbers carry six significant digits; the camera saves SVG under the given name", () => {
  assert.throws(
    () => render.renderFigure("f", { data: [{ y: [1] }, { type: "scatter3d", z: [1] }] }),
    /show\.plot: data\[1\]\.type = "scatter3d" is not a trace type of the inlined Plotly bundle/,
  );
  for (const type of render.CARTESIAN_TRACE_TYPES)
    assert.doesNotThrow(() => render.renderFigure("f", { data: [{ type, x: [1] }] }));
  const x = [Math.PI, 1 / 3, 12345.6789012, 7, -2.5e-12, 1e21 / 3];
  const html = render.renderFigure("f", { data: [{ x, y: x }] }, { filename: "02-x-figure-1" });
  const args = /Plotly\.newPlot\((.*)\);<\/script>$/.exec(html)![1];
  const [, data, , config] = JSON.parse(`[${args}]`) as [
    string,
    Array<{ x: number[] }>,
    unknown,
    { toImageButtonOptions: { format: string; filename: string } },
  ];
  data[0].x.forEach((v, i) => {
    assert.ok(Math.abs(v - x[i]) <= 5e-6 * Math.abs(x[i]), `${v} against ${x[i]}`);
    assert.equal(Number(v.toPrecision(6)), v, `${v} has at most six significant digits`);
  });
  assert.deepEqual(config.toImageButtonOptions, { format: "svg", filename: "02-x-figure-1" });
  assert.equal(
    render.fileSlug("Robustness at x_d against √d (‖e‖)"),
    "robustness-at-x-d-against-d-e",
  );
});

test("the results table's backend note: one line per trainer, with the notebooks that used it", () => {
  // Before: "linear WebAssembly trainer v1 (float32 SIMD), linear WebAssembly trainer v1 (float32
  // SIMD); hypercube ReLU trainer v3 (WebAssembly SIMD, float32 steps), none, wasm" (issue 22 §1).
  const linear = "linear WebAssembly trainer v1 (float32 SIMD)";
  const relu = "hypercube ReLU trainer v3 (WebAssembly SIMD, float32 steps)";
  assert.deepEqual(
    backendLines([
      { stem: "01-a", backend: "none" },
      { stem: "07-b", backend: linear },
      { stem: "08-c", backend: "wasm" },
      { stem: "09-d", backend: `${relu}; tfjs wasm trainer v2` },
      { stem: "10-e", backend: `${linear}, ${linear}; ${relu}` },
    ]),
    [
      `- ${relu}: 09, 10`,
      `- ${linear}: 07, 10`,
      "- tfjs wasm trainer v2: 09",
      "- tfjs backend wasm: 08",
      "- no training: 01",
    ],
  );
});

test("the ZIP writer: CRC-32, stored and deflated entries read back, the same bytes for the same entries", () => {
  assert.equal(crc32(Buffer.from("123456789")), 0xcbf43926);
  const mtime = new Date(Date.UTC(2026, 0, 2, 3, 4, 6));
  const entries = [
    { name: "review/a.txt", data: Buffer.from("a".repeat(10000)), mtime },
    { name: "review/b.bin", data: Buffer.from([1, 2, 3]), mtime },
    { name: "review/ü.txt", data: Buffer.alloc(0), mtime },
  ];
  const zip = writeZip(entries);
  assert.ok(zip.equals(writeZip(entries)), "deterministic");
  assert.ok(zip.length < 1000, "the repetitive entry is deflated");
  const back = readZip(zip);
  assert.deepEqual(
    back.map((e) => e.name),
    entries.map((e) => e.name),
  );
  back.forEach((e, i) => {
    assert.ok(e.data.equals(entries[i].data));
    assert.equal(e.mtime?.getTime(), mtime.getTime());
  });
  assert.throws(() => writeZip([entries[0], entries[0]]), /twice/);
  assert.throws(() => writeZip([{ ...entries[0], name: "../x" }]), /relative/);
  // An independent reader: Python's zipfile (CRCs, and the DOS time fields, in UTC).
  const dir = tmp("zip");
  try {
    fs.writeFileSync(path.join(dir, "t.zip"), zip);
    const r = spawnSync(
      "/usr/bin/python3",
      [
        "-c",
        "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print([(i.filename, i.date_time, i.file_size) for i in z.infolist()])",
        path.join(dir, "t.zip"),
      ],
      { encoding: "utf8" },
    );
    if (r.error) return; // no Python: the reader above is the check
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /\('review\/a\.txt', \(2026, 1, 2, 3, 4, 6\), 10000\)/);
    assert.match(r.stdout, /'review\/ü\.txt'/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** A two-page PDF with a Type1 font, an internal link, a named destination and a file:// link. */
function handMadePdf(): Buffer {
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R /Dests 7 0 R >>",
    "<< /Type /Pages /Count 2 /Kids [3 0 R 4 0 R] /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> >>",
    "<< /Type /Page /Parent 2 0 R /Contents 6 0 R /Annots [<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /Dest /claims >> << /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A << /S /URI /URI (file:///home/someone/build/html/02-x.html#claim-a) >> >>] >>",
    "<< /Type /Page /Parent 2 0 R /Contents 8 0 R >>",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    null,
    "<< /claims [4 0 R /XYZ 0 800 0] >>",
    null,
    "<< /Title (t) /CreationDate (D:20991231235959+00'00') >>",
  ];
  const streams: Record<number, string> = {
    6: "BT /F1 12 Tf 10 10 Td (Hello \\(page 1\\)) Tj ET 0 0 10 10 re f",
    8: "BT /F1 12 Tf [(Sec) -20 (ond)] TJ ET 0 0 m 5 5 l S",
  };
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    const n = i + 1;
    if (o === null) {
      const s = streams[n];
      out += `${n} 0 obj\n<< /Length ${s.length} >>\nstream\n${s}\nendstream\nendobj\n`;
    } else out += `${n} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) out += `${String(off).padStart(10, "0")} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 9 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, "latin1");
}

test("the PDF reader and writer: pages, text, paths, joined parts, named destinations, links and dates", () => {
  const pdf = pdfFile.parsePdf(handMadePdf());
  const pages = pdfFile.readPages(pdf);
  assert.equal(pages.length, 2);
  assert.deepEqual(
    pages.map((p) => p.text.join("")),
    ["Hello (page 1)", "Second"],
  );
  assert.deepEqual(
    pages.map((p) => [p.paths, p.images]),
    [
      [1, 0],
      [1, 0],
    ],
  );
  const date = new Date(Date.UTC(2026, 5, 7, 8, 9, 10));
  const single = pdfFile.writePdf([{ pdf, prefix: "", title: "One" }], {
    title: "One ‖e‖",
    date,
    link: (uri) => (uri.startsWith("file:") ? { uri: "02-x.pdf#nameddest=claim-a" } : { uri }),
  });
  const back = pdfFile.parsePdf(single); // parsing checks every offset of the new xref table
  assert.equal(pdfFile.readPages(back).length, 2);
  assert.deepEqual(pdfFile.linkUris(back), ["02-x.pdf#nameddest=claim-a"]);
  const info = pdfFile.documentInfo(back);
  assert.equal(info.Title, "One ‖e‖");
  assert.equal(info.CreationDate, "D:20260607080910+00'00'");
  assert.equal(info.ModDate, info.CreationDate);
  assert.ok(!single.includes("file://") && !single.includes("2099"));
  // Two parts: four pages, destinations prefixed per part, a link between parts becomes a jump.
  const joined = pdfFile.parsePdf(
    pdfFile.writePdf(
      [
        { pdf, prefix: "01-a:", title: "A" },
        { pdf: pdfFile.parsePdf(handMadePdf()), prefix: "02-x:", title: "X" },
      ],
      { title: "all", date, outline: true, link: () => ({ dest: "02-x:claim-a" }) },
    ),
  );
  assert.equal(pdfFile.readPages(joined).length, 4);
  const root = pdfFile.dict(pdfFile.resolve(joined, joined.trailer.get("Root")));
  const dests = [...pdfFile.dict(pdfFile.resolve(joined, root.get("Dests"))).keys()].sort();
  assert.deepEqual(dests, ["01-a:", "01-a:claims", "02-x:", "02-x:claims"]);
  assert.equal(pdfFile.linkUris(joined).length, 0, "no URI left: links jump inside the file");
  const serialised = [...joined.objects.values()].map((o) => pdfFile.serialise(o.value)).join("\n");
  // The missing destination "02-x:claim-a" falls back to the start of its part.
  assert.match(serialised, /\/Dest \/02-x:\n?/);
  assert.ok(!/\/Dest \/02-x:claim-a/.test(serialised));
  assert.ok(root.has("Outlines"));
});

function fakeRun(dir: string): void {
  const l = new claims.Ledger("02-x");
  l.construction("qr", "QR shares R").close(1, 1, 1e-12);
  l.theorem("far-apart@d=8", "far apart at d = 8").atLeast(2, 1);
  // A reproduction is a verdict against a margin (a test's non-rejection cannot pass one).
  l.verdict("count", "20 of 50 valid (Table 2)", {
    outcome: "reproduced",
    scale: "difference",
    ours: 0.42,
    paper: 0.4,
    estimate: 0.02,
    interval: [-0.05, 0.09],
    margin: [-0.1, 0.1],
    level: 0.05,
    detectable: { contradicted: 0.15, reproduced: 0.03 },
    floor: 0.04,
    reproducible: true,
    method: "Wilson interval",
    statement: "Table 2: 20 of 50 valid",
    marginSource: "a test's margin",
  });
  // A verdict the data cannot decide: neither passed nor failed, shown first.
  l.verdict("kept", "18 of 20 kept (Table 2)", {
    outcome: "inconclusive",
    scale: "difference",
    ours: 0.8,
    paper: 0.9,
    estimate: -0.1,
    interval: [-0.3, 0.1],
    margin: [-0.15, 0.15],
    level: 0.05,
    detectable: { contradicted: -0.4, reproduced: null },
    floor: 0.2,
    reproducible: false,
    method: "Newcombe",
    statement: "Table 2: 18 of 20 kept",
    marginSource: "a test's margin",
  });
  l.erratum("table3", "ρ = 0.327 (Table 3)").test({
    pValue: 1e-6,
    hypothesis: "mean ρ = 0.327",
    method: "t test",
  });
  const summary = {
    ...l.toJSON({ scale: "paper", seed: 7, backend: "wasm" }),
    run: { scale: "paper", seed: 7, overrides: { seed: 7, d: 2 } },
  };
  fs.mkdirSync(path.join(dir, "claims"), { recursive: true });
  fs.mkdirSync(path.join(dir, "results"), { recursive: true });
  fs.mkdirSync(path.join(dir, "html"), { recursive: true });
  fs.writeFileSync(path.join(dir, "claims", "02-x.json"), JSON.stringify(summary, null, 2));
  fs.writeFileSync(
    path.join(dir, "results", "02-x.json"),
    JSON.stringify({
      notebook: "02-x",
      scale: "paper",
      seed: 7,
      backend: "wasm",
      headline: [
        {
          quantity: "mean ρ",
          ours: 0.43,
          interval: { lo: 0.4, hi: 0.46, level: 0.95 },
          paper: 0.327,
          verdict: "not consistent (p = 1e-6)",
        },
      ],
      streams: { selection: "sel", evaluation: "eval" },
      consistency: [
        {
          setting: { batchSize: 64, scaleFactor: 5 },
          runs: 100,
          rate: { estimate: 0.5, lo: 0.4, hi: 0.6 },
          pValue: 0.02,
          consistent: false,
        },
      ],
    }),
  );
  fs.writeFileSync(
    path.join(dir, "html", "02-x.html"),
    `<html><body><div class="fragility-bar" data-run="${runSignature(summary)}"></div></body></html>`,
  );
  // A notebook re-run without HTML: its page was made from another claims file.
  const other = {
    ...summary,
    notebook: "03-y",
    scale: "quick",
    seed: 8,
    run: { scale: "quick", seed: 8, overrides: {} },
  };
  fs.writeFileSync(path.join(dir, "claims", "03-y.json"), JSON.stringify(other));
  fs.writeFileSync(
    path.join(dir, "html", "03-y.html"),
    `<div class="fragility-bar" data-run="0000"></div>`,
  );
  fs.writeFileSync(
    path.join(dir, "claims", "04-z.json"),
    JSON.stringify({ ...other, notebook: "04-z" }),
  );
  fs.mkdirSync(path.join(dir, "pdf"), { recursive: true });
  fs.writeFileSync(path.join(dir, "pdf", "all.pdf"), "%PDF-1.4 stand-in");
}

test("the index shows claims by kind, the run's overrides, reproductions, errata, verdicts, the grid, stale and missing pages", () => {
  const dir = tmp("index");
  try {
    fakeRun(dir);
    const html = fs.readFileSync(writeIndex(dir), "utf8");
    assert.match(html, /overrides <b>d=2, seed=7<\/b>/);
    assert.match(html, /seed <b>7<\/b>/);
    for (const s of [
      "Reproductions: the paper",
      "Errata: where the data contradict",
      "20 of 50 valid (Table 2)",
      "ρ = 0.327 (Table 3)",
      "not consistent (p = 1e-6)",
      "0.43 [0.4, 0.46] (95%)",
      "Consistency of the paper",
    ])
      assert.ok(html.includes(escape(s)), s);
    assert.ok(html.includes('href="02-x.html#claim-table3"'), "errata link to their claim rows");
    assert.match(
      html,
      /<td[^>]*><a href="02-x.html">02-x<\/a><\/td><td[^>]*>1\/1<small> \(exact\)<\/small><\/td><td[^>]*>1\/1<small> \(exact\)<\/small><\/td>/,
    );
    assert.match(html, /id="nb-03-y"><h2>.*?<\/h2>\n<p class="failed">Stale page/);
    assert.match(html, /id="nb-04-z"><h2>.*?<\/h2>\n<p class="failed">No page/);
    assert.ok(!/\b20\d\d-\d\d-\d\d\b/.test(html), "no date in the index");
    // The verdict board opens the index, before the totals; the inconclusive verdict is counted
    // apart and listed first in its notebook's section.
    assert.ok(
      html.indexOf('id="board"') > 0 &&
        html.indexOf('id="board"') < html.indexOf("claims passed in"),
    );
    assert.match(html, /\d inconclusive<\/b> \(neither passed nor failed\)/);
    assert.ok(
      html.indexOf("Inconclusive verdicts: the data cannot tell") < html.indexOf("Errata: where"),
    );
    const md = fs.readFileSync(path.join(dir, "RESULTS.md"), "utf8");
    assert.match(
      md,
      /\| `02-x` \| \*\*1 inconclusive\*\*; 4\/5 \(1\/1 construction \(exact\), 1\/1 theorem \(exact\), 1\/2 reproduction \(tested\), 1\/1 erratum \(tested\)\) \| mean ρ \| 0\.43 \[0\.4, 0\.46\] \(95%\) \| 0\.327 \| not consistent \(p = 1e-6\) \|/,
    );
    assert.ok(
      md.indexOf("**inconclusive** (reproduction not decidable") < md.indexOf("**reproduced**"),
      "inconclusive verdicts first in RESULTS.md",
    );
    assert.match(md, /overrides: 02-x \(d=2, seed=7\)/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

function escape(s: string): string {
  return render.escapeHtml(s);
}

test("coverage links each statement to the claim rows that check it, and tells unchecked, failing and missing apart", () => {
  const dir = tmp("coverage");
  try {
    fakeRun(dir);
    const statements = [
      { id: "a", where: "Theorem 1", text: "far apart", checks: ["02:far-apart"] },
      { id: "b", where: "Table 2", text: "20 of 50", checks: ["02:count", "02:nope"] },
      { id: "c", where: "Theorem 9", text: "x", checks: [], unchecked: "needs a proof" },
    ];
    const rows = coverage(notebookEntries(dir), statements);
    assert.deepEqual(
      rows.map((r) => r.status),
      ["checked", "missing", "unchecked"],
    );
    assert.deepEqual(
      rows[0].checks[0].claims.map((c) => c.id),
      ["far-apart@d=8"],
    );
    const html = fs.readFileSync(writeIndex(dir, statements), "utf8");
    assert.ok(html.includes('href="02-x.html#claim-far-apart@d=8"'), "linked to the claim row");
    assert.match(
      html,
      /02:nope \(not in this run&#39;s claims\)|02:nope \(not in this run's claims\)/,
    );
    assert.match(html, /unchecked: needs a proof/);
    // The real list: every statement has a row.
    const real = fs.readFileSync(writeIndex(dir), "utf8");
    const n = (
      JSON.parse(fs.readFileSync(path.join(ROOT, "data", "paper", "statements.json"), "utf8")) as {
        statements: unknown[];
      }
    ).statements.length;
    assert.equal(real.match(/<tr id="statement-/g)?.length, n);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("two processes writing the index at once both succeed (unique temporary names)", async () => {
  const dir = tmp("concurrent");
  try {
    fakeRun(dir);
    const script = `const r = require(${JSON.stringify(path.join(ROOT, "dist", "scripts", "review-index.js"))}); for (let i = 0; i < 25; i++) r.writeIndex(${JSON.stringify(dir)});`;
    const codes = await Promise.all(
      [0, 1, 2].map(
        () =>
          new Promise<number>((resolve) => {
            const p = spawn(process.execPath, ["-e", script], {
              stdio: ["ignore", "ignore", "inherit"],
            });
            p.on("exit", (code) => resolve(code ?? 1));
          }),
      ),
    );
    assert.deepEqual(codes, [0, 0, 0]);
    assert.deepEqual(
      fs.readdirSync(path.join(dir, "html")).filter((f) => f.endsWith(".tmp")),
      [],
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("the README's table is written only by the maintainer's command, only from a paper-scale run, only between its markers", () => {
  const dir = tmp("readme");
  try {
    fakeRun(dir);
    const readme = path.join(dir, "README.md");
    fs.writeFileSync(
      readme,
      "# T\n\nbefore\n<!-- results:start -->\nold\n<!-- results:end -->\nafter\n",
    );
    assert.equal(updateReadme(dir, readme), false, "03-y and 04-z ran at quick scale");
    assert.match(fs.readFileSync(readme, "utf8"), /old/);
    fs.rmSync(path.join(dir, "claims", "03-y.json"));
    fs.rmSync(path.join(dir, "claims", "04-z.json"));
    fs.rmSync(path.join(dir, "html", "03-y.html"));
    assert.equal(resultsMarkdown(dir).paperScale, true);
    assert.equal(updateReadme(dir, readme), true);
    const text = fs.readFileSync(readme, "utf8");
    assert.match(text, /^# T\n\nbefore\n<!-- results:start -->\nFrom the last paper-scale run/);
    assert.match(text, /\| `02-x` \|/);
    assert.match(text, /<!-- results:end -->\nafter\n$/);
    // The main job's export does not touch the README (the runner's old hook is a no-op).
    const exp = require(path.join(ROOT, "dist", "scripts", "export.js")) as {
      updateReadme: (o: string) => boolean;
    };
    assert.equal(exp.updateReadme(dir), false);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("the archive: sorted entries, times from the run, a manifest of SHA-256s, the same bytes twice", () => {
  const dir = tmp("archive");
  try {
    fakeRun(dir);
    const runAt = new Date(Date.UTC(2026, 2, 4, 5, 6, 8));
    for (const f of fs.readdirSync(path.join(dir, "claims")))
      fs.utimesSync(path.join(dir, "claims", f), runAt, runAt);
    assert.equal(runTime(dir).getTime(), runAt.getTime());
    writeIndex(dir);
    const first = writeArchive(dir);
    const a = fs.readFileSync(first.file);
    writeIndex(dir);
    const b = fs.readFileSync(writeArchive(dir).file);
    const ea = readZip(a);
    const eb = readZip(b);
    const diff = ea
      .filter((e, i) => !e.data.equals(eb[i].data) || e.mtime?.getTime() !== eb[i].mtime?.getTime())
      .map((e) => e.name);
    assert.deepEqual(diff, [], "no entry differs");
    assert.ok(a.equals(b), "two exports of the same run give the same archive");
    const entries = readZip(a);
    const names = entries.map((e) => e.name);
    assert.deepEqual(names, [...names].sort());
    assert.ok(names.every((n) => n.startsWith("review/")));
    for (const n of [
      "review/index.html",
      "review/02-x.html",
      "review/pdf/all.pdf",
      "review/claims/02-x.json",
      "review/results/02-x.json",
      "review/RESULTS.md",
    ])
      assert.ok(names.includes(n), n);
    assert.ok(
      entries.every((e) => e.mtime?.getTime() === runAt.getTime()),
      "every time is the run's",
    );
    const manifest = entries.find((e) => e.name === `review/${MANIFEST}`)!.data.toString("utf8");
    const listed = manifest
      .trim()
      .split("\n")
      .map((l) => l.split("  "));
    assert.equal(listed.length, entries.length - 1);
    for (const [sha, name] of listed) {
      const e = entries.find((x) => x.name === `review/${name}`)!;
      assert.equal(createHash("sha256").update(e.data).digest("hex"), sha, name);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("the review fixtures are committed without outputs", () => {
  const dir = path.join(ROOT, "test", "fixtures", "review");
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith(".ipynb"))) {
    const nb = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as {
      cells: Array<{ cell_type: string; outputs?: unknown[]; execution_count?: number | null }>;
    };
    for (const c of nb.cells)
      if (c.cell_type === "code") assert.ok(!c.outputs?.length && c.execution_count === null, f);
  }
});
