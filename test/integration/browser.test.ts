/**
 * The reviewers' package end to end, on fixture notebooks of its own (test/fixtures/review: a
 * scatter figure on log axes with error bars, a histogram, math, a wide table, claims of every
 * kind), so it runs alone: the fixtures run through the real Jupyter kernel with an override
 * (--set n=300), then `npm run export -- --pdf --archive`, then
 *   - every page (and the index) opens offline in headless Chromium (Debian's package): no request
 *     leaves the file, no console error, every figure drew with the trace types it asked for (a
 *     partial plotly bundle draws a histogram as a scatter without a word), no raw TeX, claims and
 *     the run's overrides shown; printing hides the toolbar and the buttons, lays every figure out
 *     to the page width and wraps wide tables, and the figures are restored after printing;
 *   - every PDF, read by poppler-utils (pdfinfo, pdftotext, pdfimages; a test requirement): its
 *     page count, every figure's title, axis titles and legend in the text, no raster image, no
 *     raw TeX, no file:// link, the run's date; all.pdf has the pages of all the others and jumps
 *     to destinations poppler finds; vector paths for every figure;
 *   - the archive: sorted entries with a verified manifest; a second export gives the same bytes;
 *   - no file of the archive names this machine, its user, their home, the checkout, the run's
 *     folder or a git author.
 * Chromium is looked for first, before any long work; the temporary folder is removed either way.
 * Screenshots land in build/screenshots/.
 */
import { after, test } from "node:test";
import * as assert from "node:assert/strict";
import { createHash } from "crypto";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { pathToFileURL } from "url";
import type { Browser } from "playwright-core";
import { chromiumPath, launchChromium } from "../../scripts/chromium";
import * as pdfFile from "../../scripts/pdf-file";
import { runTime } from "../../scripts/review-index";
import { CARTESIAN_TRACE_TYPES } from "../../lib/show/render";
import { readZip } from "../../scripts/zip";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const FIXTURES = path.join(ROOT, "test", "fixtures", "review");

let chromium: string | null = null;
let chromiumProblem = "";
try {
  chromium = chromiumPath();
} catch (e) {
  chromiumProblem = (e as Error).message;
}
const out = fs.mkdtempSync(path.join(os.tmpdir(), "browser-"));
after(() => fs.rmSync(out, { recursive: true, force: true }));
const skip = chromium ? false : "no Chromium (see the first test)";

/** What the page showed, per page, for the PDF checks. */
const seen = new Map<string, PageState>();

interface FigureState {
  requested: string[];
  rendered: string[];
  drawn: boolean;
  labels: string[];
}

interface PageState {
  figures: FigureState[];
  ledger: boolean;
  math: number;
  rawTex: string[];
  links: string[];
  bar: string;
  text: string;
}

interface PrintState {
  figures: Array<{ svg: number; box: number; legendRight: number; titleTop: number }>;
  pageWidth: number;
  modebarShown: number;
  buttonsShown: number;
  overflowingTables: number;
  height: number;
}

function node(script: string, args: string[]): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [path.join(ROOT, "dist", "scripts", script), ...args], {
    encoding: "utf8",
    maxBuffer: 1 << 26,
  });
  return { status: r.status, out: r.stdout + r.stderr };
}

test("Chromium is installed (looked for before any long work)", () => {
  assert.ok(chromium, chromiumProblem);
});

test(
  "the fixture notebooks run with an override and export with PDFs and the archive",
  { skip },
  () => {
    const run = node("reproduce.js", [
      "--scale",
      "quick",
      "--set",
      "n=300",
      "--notebooks",
      FIXTURES,
      "--out",
      out,
    ]);
    assert.equal(run.status, 0, run.out);
    fs.cpSync(path.join(out, "html"), path.join(out, "html-from-run"), { recursive: true });
    const exp = node("export.js", ["--out", out, "--pdf", "--archive"]);
    assert.equal(exp.status, 0, exp.out);
    // The pages carry no export date: the runner's and the export's are the same bytes.
    for (const f of fs.readdirSync(path.join(out, "html-from-run")))
      assert.ok(
        fs
          .readFileSync(path.join(out, "html-from-run", f))
          .equals(fs.readFileSync(path.join(out, "html", f))),
        `${f}: exported twice, the same bytes`,
      );
  },
);

// Runs in the page (strings, so that the project's DOM-free TypeScript lib stays as it is).
const PAGE_STATE = `(() => {
  const tex = /\\$[^$\\n]{1,200}\\$|\\\\(frac|sqrt|mathbb|mathcal|alpha|epsilon|varphi|le|ge|cdots)\\b/g;
  const labelTex = /[_^]\\{|\\\\[A-Za-z]+|\\$[^$\\n]+\\$/;
  const figures = Array.from(document.querySelectorAll(".fragility-figure")).map((gd) => ({
    requested: (gd.getAttribute("data-trace-types") || "").split(" ").filter(Boolean),
    rendered: (gd._fullData || []).map((t) => t.type),
    drawn: !!gd.querySelector("svg.main-svg"),
    labels: Array.from(gd.querySelectorAll(".gtitle, .xtitle, .ytitle, .legendtext")).map((t) => t.textContent),
  }));
  const text = document.body.innerText;
  const bar = document.querySelector(".fragility-bar");
  return {
    figures,
    ledger: !!document.querySelector("table.fragility-ledger"),
    math: document.querySelectorAll("mjx-container svg").length,
    rawTex: (text.match(tex) || []).concat(figures.flatMap((f) => f.labels.filter((l) => labelTex.test(l)))).slice(0, 5),
    links: Array.from(document.querySelectorAll("a[href]")).map((a) => a.getAttribute("href")),
    bar: bar ? bar.innerText : "",
    text,
  };
})()`;

// After the print handler ran, with print media: what would print.
const PRINT_STATE = `(() => {
  const mm = 96 / 25.4;
  const visible = (el) => getComputedStyle(el).display !== "none";
  return {
    figures: Array.from(document.querySelectorAll(".fragility-figure")).map((gd) => {
      const svg = gd.querySelector("svg.main-svg").getBoundingClientRect();
      const legend = gd.querySelector(".legend");
      const title = gd.querySelector(".gtitle");
      return {
        svg: svg.width,
        box: gd.parentElement.getBoundingClientRect().width,
        legendRight: legend ? legend.getBoundingClientRect().right - svg.left : 0,
        titleTop: title ? title.getBoundingClientRect().top - svg.top : 0,
      };
    }),
    pageWidth: 186 * mm,
    modebarShown: Array.from(document.querySelectorAll(".modebar-container")).filter(visible).length,
    buttonsShown: Array.from(document.querySelectorAll(".fragility-bar button, .fragility-nav")).filter(visible).length,
    overflowingTables: Array.from(document.querySelectorAll(".jp-OutputArea-output table")).filter(
      (t) => t.getBoundingClientRect().width > t.parentElement.getBoundingClientRect().width + 1).length,
    height: document.documentElement.scrollHeight,
  };
})()`;

const printStates = new Map<string, PrintState>();

test(
  "every page opens offline: no request out, no console error, figures drawn with the requested trace types, math, claims and the run's overrides; printing lays figures out to the page",
  { skip },
  async () => {
    const pages = fs
      .readdirSync(path.join(out, "html"))
      .filter((f) => f.endsWith(".html"))
      .sort();
    assert.ok(pages.includes("index.html") && pages.length === 3, `pages: ${pages.join(", ")}`);
    const shots = path.join(ROOT, "build", "screenshots");
    fs.mkdirSync(shots, { recursive: true });
    const browser: Browser = await launchChromium();
    try {
      for (const file of pages) {
        const url = pathToFileURL(path.join(out, "html", file)).href;
        const context = await browser.newContext({
          offline: true,
          viewport: { width: 1200, height: 1400 },
        });
        const page = await context.newPage();
        const outside: string[] = [];
        const errors: string[] = [];
        page.on("request", (req) => {
          const u = req.url();
          if (u !== url && !/^(data|blob|about):/.test(u)) outside.push(u);
        });
        page.on("console", (m) => {
          if (m.type() === "error") errors.push(m.text());
        });
        page.on("pageerror", (e) => errors.push(String(e)));
        await page.goto(url, { waitUntil: "load" });
        await page.waitForTimeout(300);
        const state = (await page.evaluate(PAGE_STATE)) as PageState;
        seen.set(file.replace(/\.html$/, ""), state);
        await page.screenshot({ path: path.join(shots, file.replace(/\.html$/, ".png")) });
        assert.deepEqual(outside, [], `${file}: requests left the file`);
        assert.deepEqual(errors, [], `${file}: console errors`);
        assert.deepEqual(state.rawTex, [], `${file}: raw TeX visible`);
        for (const [i, f] of state.figures.entries()) {
          assert.ok(f.drawn, `${file}: figure ${i + 1} not drawn`);
          assert.deepEqual(
            f.rendered,
            f.requested,
            `${file}: figure ${i + 1} drew other trace types than it asked for`,
          );
        }
        if (file === "index.html") {
          for (const p of pages.filter((x) => x !== "index.html"))
            assert.ok(state.links.includes(p), `the index links ${p}`);
          assert.match(state.text, /overrides n=300/);
          assert.match(state.text, /Coverage of the paper's statements/);
          assert.match(state.text, /Errata: where the data contradict the paper/);
          assert.ok(
            state.links.includes("91-review-figures.html#claim-not-quarter@α=1/4"),
            "the erratum links to its claim row",
          );
          await context.close();
          continue;
        }
        assert.ok(state.ledger, `${file}: the claims table is present`);
        assert.ok(state.math > 0, `${file}: math rendered to SVG`);
        const override = file.startsWith("91") ? "n=300" : "none"; // 92 declares no n
        assert.ok(
          state.bar.includes(`scale quick · seed 1 · overrides ${override}`),
          `${file}: the bar records the run's overrides: ${state.bar}`,
        );
        assert.match(
          state.bar,
          /\d+ of \d+ construction/,
          `${file}: the bar counts claims by kind`,
        );
        assert.ok(!/exported \d{4}/.test(state.bar), `${file}: no export date`);
        // Which version a reviewer read: the package's version and commit (anonymous).
        const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
        assert.match(
          state.bar,
          new RegExp(`${pkg.name} ${pkg.version.replace(/\./g, "\\.")}, commit [0-9a-f]{12}`),
          `${file}: the bar names the version and commit`,
        );
        if (file.startsWith("91")) {
          const types = state.figures.flatMap((f) => f.requested).sort();
          assert.deepEqual(
            types,
            ["histogram", "scatter"],
            "the fixture draws a scatter and a histogram",
          );
          // The check can see a trace type the bundle lacks: plotly draws it as a scatter.
          const control = (await page.evaluate(`(() => {
            const d = document.createElement("div");
            document.body.appendChild(d);
            Plotly.newPlot(d, [{ type: "scatter3d", x: [1], y: [1], z: [1] }], {});
            const types = d._fullData.map((t) => t.type);
            Plotly.purge(d);
            d.remove();
            return types;
          })()`)) as string[];
          assert.deepEqual(control, ["scatter"], "a missing trace type falls back to scatter");
          // show.plot's list of the bundle's trace types is the bundle's own.
          const bundled = (await page.evaluate(
            `Object.keys(Plotly.PlotSchema.get().traces).sort()`,
          )) as string[];
          assert.deepEqual([...CARTESIAN_TRACE_TYPES].sort(), bundled);
          // The camera button saves SVG named after the notebook and the figure.
          const saveAs = (await page.evaluate(
            `Array.from(document.querySelectorAll(".fragility-figure")).map((gd) => gd._context.toImageButtonOptions)`,
          )) as Array<{ format: string; filename: string }>;
          assert.ok(saveAs.length > 0);
          saveAs.forEach((o, i) => {
            assert.equal(o.format, "svg");
            assert.match(
              o.filename,
              new RegExp(`^91-review-figures-figure-${i + 1}(-[a-z0-9-]+)?$`),
            );
          });
        }
        // Printing.
        const screenWidths = state.figures.length
          ? ((await page.evaluate(
              `Array.from(document.querySelectorAll(".fragility-figure svg.main-svg")).map((s) => s.getBoundingClientRect().width)`,
            )) as number[])
          : [];
        // A browser prints right after its beforeprint handlers return: the relayout must be done
        // by then (measured in the same task), not only once its promise settles.
        const atOnce = (await page.evaluate(`(() => {
          window.dispatchEvent(new Event("beforeprint"));
          return Array.from(document.querySelectorAll(".fragility-figure svg.main-svg"))
            .map((s) => s.getBoundingClientRect().width);
        })()`)) as number[];
        await page.evaluate(`window.fragilityPrintReady`);
        await page.emulateMedia({ media: "print" });
        const printed = (await page.evaluate(PRINT_STATE)) as PrintState;
        assert.ok(
          atOnce.every((w) => w <= printed.pageWidth),
          `${file}: figures laid out for print as soon as beforeprint returns: ${atOnce}`,
        );
        printStates.set(file.replace(/\.html$/, ""), printed);
        assert.equal(printed.modebarShown, 0, `${file}: the plotly toolbar prints`);
        assert.equal(printed.buttonsShown, 0, `${file}: the bar's button or link prints`);
        assert.equal(printed.overflowingTables, 0, `${file}: a table is wider than the page`);
        for (const [i, f] of printed.figures.entries()) {
          assert.ok(
            f.svg <= printed.pageWidth && f.svg <= f.box + 1,
            `${file}: figure ${i + 1} is ${f.svg} px wide in print (box ${f.box}, page ${printed.pageWidth})`,
          );
          assert.ok(f.legendRight <= f.svg + 1, `${file}: figure ${i + 1}'s legend is cut`);
          assert.ok(f.titleTop >= 0, `${file}: figure ${i + 1}'s title is cut`);
        }
        await page.emulateMedia({ media: "screen" });
        await page.evaluate(
          `(async () => { window.dispatchEvent(new Event("afterprint")); await window.fragilityPrintReady; })()`,
        );
        const restored = (await page.evaluate(
          `Array.from(document.querySelectorAll(".fragility-figure svg.main-svg")).map((s) => s.getBoundingClientRect().width)`,
        )) as number[];
        assert.deepEqual(restored, screenWidths, `${file}: figures restored after printing`);
        assert.ok(
          screenWidths.every((w) => w > printed.pageWidth),
          "on screen the figures are wider than on paper",
        );
        await context.close();
      }
    } finally {
      await browser.close();
    }
  },
);

/** NFKC (ligatures such as ﬁ, Unicode sub- and superscripts) and no white space. */
const squash = (s: string) => s.normalize("NFKC").replace(/\s+/g, "");

/** A poppler-utils program's output (a test requirement, installed with Chromium by setup.sh). */
function poppler(program: string, args: string[]): string {
  const r = spawnSync(program, args, { encoding: "utf8", maxBuffer: 1 << 26 });
  assert.ok(
    !r.error,
    `${program} is missing: poppler-utils is a test requirement (apt-get install poppler-utils; bash scripts/setup.sh installs it with Chromium)`,
  );
  assert.equal(r.status, 0, `${program} ${args.join(" ")}: ${r.stderr}`);
  assert.equal(r.stderr, "", `${program} reads ${args[args.length - 1]} without complaint`);
  return r.stdout;
}

test(
  "every PDF, read by poppler (not by the code that wrote it): page count, every figure's text, no raw TeX, no raster image, links only to the PDFs and the web, the run's date; vector figures",
  { skip },
  () => {
    const pdfDir = path.join(out, "pdf");
    const stems = ["index", "91-review-figures", "92-review-second"];
    assert.deepEqual(
      fs.readdirSync(pdfDir).sort(),
      [...stems, "all"].map((s) => `${s}.pdf`).sort(),
    );
    const date = runTime(out)
      .toISOString()
      .replace(/\.\d{3}Z$/, "");
    let total = 0;
    for (const stem of [...stems, "all"]) {
      const file = path.join(pdfDir, `${stem}.pdf`);
      const info = poppler("pdfinfo", ["-isodates", file]);
      const count = Number(/^Pages:\s+(\d+)$/m.exec(info)?.[1]);
      assert.ok(count >= 1, `${stem}: pages`);
      assert.match(
        info,
        new RegExp(`^CreationDate:\\s+${date}(Z|\\+00)`, "m"),
        `${stem}: the run's date, not the clock's`,
      );
      const images = poppler("pdfimages", ["-list", file]).trim().split("\n").slice(2);
      assert.deepEqual(images, [], `${stem}: a raster image (figures and math print as vectors)`);
      const urls = poppler("pdfinfo", ["-url", file])
        .trim()
        .split("\n")
        .slice(1)
        .map((l) => l.trim().split(/\s+/).slice(2).join(" "))
        .filter(Boolean);
      for (const uri of urls)
        assert.ok(/^(https?:|[\w.-]+\.pdf(#nameddest=\S+)?$)/.test(uri), `${stem}: link ${uri}`);
      const text = poppler("pdftotext", ["-enc", "UTF-8", file, "-"]);
      assert.ok(
        !/\$[^$\n]{1,200}\$|\\(frac|sqrt|mathbb|alpha|varphi|le|ge)\b/.test(text),
        `${stem}: raw TeX in the PDF`,
      );
      if (stem === "all") {
        assert.equal(count, total, "all.pdf has the pages of every part");
        // Links between the parts jump inside the file, to destinations poppler knows.
        const dests = poppler("pdfinfo", ["-dests", file]);
        const { linked } = pdfFile.destinations(pdfFile.parsePdf(fs.readFileSync(file)));
        assert.ok(linked.length > 0, "all.pdf has jumps between its parts");
        for (const d of linked)
          assert.ok(dests.includes(`"${d}"`), `poppler finds destination ${d}`);
        const erratum = `91-review-figures:claim-not-quarter@${encodeURIComponent("α")}=1/4`;
        assert.ok(linked.includes(erratum), `the index's erratum link jumps to its claim row`);
        continue;
      }
      total += count;
      const state = seen.get(stem);
      assert.ok(state, `${stem}: the page was opened in the browser test`);
      const printed = printStates.get(stem);
      if (printed) {
        const pageHeight = ((297 - 24) * 96) / 25.4;
        assert.ok(
          count >= Math.floor(printed.height / pageHeight),
          `${stem}: ${count} pages for ${printed.height} px of print layout`,
        );
      }
      const flat = squash(text);
      for (const [i, f] of state.figures.entries())
        for (const label of f.labels.filter((l) => l.trim()))
          assert.ok(
            flat.includes(squash(label)),
            `${stem}: figure ${i + 1}'s "${label}" is not in the PDF`,
          );
      // Vector figures: poppler has no path count; the writer's own reader counts the paths.
      const paths = pdfFile
        .readPages(pdfFile.parsePdf(fs.readFileSync(file)))
        .reduce((n, p) => n + p.paths, 0);
      assert.ok(
        paths >= 20 * state.figures.length,
        `${stem}: ${paths} vector paths for ${state.figures.length} figures`,
      );
    }
  },
);

test(
  "the archive: sorted entries, a manifest that verifies, and a second export gives the same bytes",
  { skip },
  () => {
    const zipFile = path.join(out, "review.zip");
    const first = fs.readFileSync(zipFile);
    const entries = readZip(first);
    const names = entries.map((e) => e.name);
    assert.deepEqual(names, [...names].sort());
    for (const n of [
      "index.html",
      "91-review-figures.html",
      "92-review-second.html",
      "pdf/all.pdf",
      "pdf/index.pdf",
      "pdf/91-review-figures.pdf",
      "claims/91-review-figures.json",
      "claims/92-review-second.json",
      "results/91-review-figures.json",
      "RESULTS.md",
      "SHA256SUMS",
      "VERSION",
    ])
      assert.ok(names.includes(`review/${n}`), n);
    const version = entries.find((e) => e.name === "review/VERSION")!.data.toString("utf8");
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
    assert.match(
      version,
      new RegExp(`^${pkg.name} ${pkg.version.replace(/\./g, "\\.")}, commit [0-9a-f]{12}`),
    );
    const manifest = entries.find((e) => e.name === "review/SHA256SUMS")!.data.toString("utf8");
    for (const line of manifest.trim().split("\n")) {
      const [sha, name] = line.split("  ");
      const e = entries.find((x) => x.name === `review/${name}`)!;
      assert.equal(createHash("sha256").update(e.data).digest("hex"), sha, name);
    }
    if (spawnSync("unzip", ["-v"]).error === undefined) {
      const t = spawnSync("unzip", ["-tq", zipFile], { encoding: "utf8" });
      assert.equal(t.status, 0, t.stdout + t.stderr);
    }
    const again = node("export.js", ["--out", out, "--archive"]);
    assert.equal(again.status, 0, again.out);
    const second = fs.readFileSync(zipFile);
    const differ = readZip(second)
      .filter((e, i) => !entries[i] || !e.data.equals(entries[i].data))
      .map((e) => e.name);
    assert.deepEqual(differ, [], "entries that differ between two exports");
    assert.ok(second.equals(first), "two exports of the same run give byte-identical archives");
  },
);

/** The machine's and the people's identities that must not reach a reviewer. */
function identities(): Array<{ what: string; value: string }> {
  const list: Array<{ what: string; value: string }> = [];
  const add = (what: string, value: string | undefined) => {
    if (value && value.trim().length >= 2 && !list.some((x) => x.value === value))
      list.push({ what, value });
  };
  add("host name", os.hostname());
  add("host name", os.hostname().split(".")[0]);
  add("user name", os.userInfo().username);
  for (const v of ["USER", "LOGNAME", "SUDO_USER"]) add(`user name ($${v})`, process.env[v]);
  add("home directory", os.homedir());
  add("home directory ($HOME)", process.env.HOME);
  add("checkout", ROOT);
  add("checkout (real path)", fs.realpathSync(ROOT));
  add("run folder", out);
  add("run folder (real path)", fs.realpathSync(out));
  const git = spawnSync("git", ["-C", ROOT, "log", "--format=%an%n%ae%n%cn%n%ce"], {
    encoding: "utf8",
  });
  for (const v of new Set((git.stdout || "").split("\n").filter(Boolean)))
    add("git author or committer", v);
  for (const key of ["user.name", "user.email"]) {
    const r = spawnSync("git", ["-C", ROOT, "config", key], { encoding: "utf8" });
    add(`git ${key}`, (r.stdout || "").trim());
  }
  return list;
}

const GENERIC = new Set([
  "root",
  "user",
  "admin",
  "ubuntu",
  "debian",
  "runner",
  "vm",
  "localhost",
  "node",
  "build",
  "test",
  "home",
]);
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * How to find an identity. Paths as paths; names as words; a name so common that it is also code
 * or prose ("root", "vm") only where it identifies: a home folder, user@host, @host, //host/.
 */
function pattern(id: { what: string; value: string }): RegExp {
  const v = escapeRe(id.value);
  if (id.value.startsWith("/")) return new RegExp(`${v}(?![\\w.-])`);
  const generic = GENERIC.has(id.value.toLowerCase()) || id.value.length < 4;
  if (!generic) return new RegExp(`(?<![\\w-])${v}(?![\\w-])`, "i");
  if (id.what.startsWith("host"))
    return new RegExp(`@${v}\\b|//${v}[:/]|\\b${v}\\.(local|lan|home)\\b`, "i");
  return new RegExp(`/(home|Users)/${v}\\b|\\b${v}@[\\w-]`, "i");
}

/** Every text an archived file holds: its bytes, and for a PDF its inflated streams and its page text. */
function texts(name: string, data: Buffer): string[] {
  const out = [data.toString("utf8"), data.toString("latin1")];
  if (name.endsWith(".pdf")) {
    const pdf = pdfFile.parsePdf(data);
    for (const obj of pdf.objects.values()) {
      out.push(pdfFile.serialise(obj.value));
      if (obj.stream) out.push(pdfFile.streamBytes(obj).toString("latin1"));
    }
    out.push(...pdfFile.readPages(pdf).map((p) => p.text.join("")));
    out.push(Object.values(pdfFile.documentInfo(pdf)).join("\n"));
  }
  return out;
}

test(
  "no file of the archive names this machine, its user, their home, the checkout, the run's folder or a git author",
  { skip },
  (t) => {
    const ids = identities();
    assert.ok(
      ids.some((i) => i.what.startsWith("git")),
      "git authors were found to look for",
    );
    t.diagnostic(`looked for: ${ids.map((i) => `${i.what} as ${pattern(i).source}`).join("; ")}`);
    // The scan can see a leak: an archived page with the checkout's path in it is caught.
    assert.ok(pattern({ what: "checkout", value: ROOT }).test(`<pre>${ROOT}/lib/x.ts:3</pre>`));
    assert.ok(pattern({ what: "user name", value: "root" }).test("/home/root/x"));
    const found: string[] = [];
    for (const e of readZip(fs.readFileSync(path.join(out, "review.zip")))) {
      const all = [e.name, ...texts(e.name, e.data)];
      for (const id of ids)
        if (all.some((s) => pattern(id).test(s))) found.push(`${e.name}: ${id.what} (${id.value})`);
    }
    assert.deepEqual(found, []);
  },
);
