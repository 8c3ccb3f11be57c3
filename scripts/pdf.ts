/**
 * PDFs of the exported pages: <out>/pdf/<stem>.pdf per page (the index included) and
 * <out>/pdf/all.pdf (the index, then every notebook, one bookmark each), printed by Debian's
 * Chromium through playwright-core (`page.pdf()`, vector figures), never a downloaded browser.
 *
 * Before printing, the page's print handler (scripts/nbconvert/fragility) lays every figure out to
 * the page's width; the printed file is then rewritten (scripts/pdf-file.ts) so that it carries the
 * run's date instead of the clock's, and no absolute file:// address: links between pages become
 * links between the PDFs (`<stem>.pdf#nameddest=…`), and inside all.pdf, jumps within the file.
 */
import * as fs from "fs";
import * as path from "path";
import { pathToFileURL } from "url";
import type { Browser } from "playwright-core";
import { launchChromium } from "./chromium";
import { parsePdf, writePdf, type LinkTarget, type Pdf } from "./pdf-file";
import { runTime, writeAtomic } from "./review-index";

export const COMBINED = "all";

/** Footer on every printed page: the document's title and the page number (no address, no date). */
const FOOTER = `<div style="font:7pt sans-serif;color:#666;width:100%;text-align:center;padding:0 12mm"><span class="title"></span> · <span class="pageNumber"></span> / <span class="totalPages"></span></div>`;

/** Opens a page offline, waits for every figure, lays the figures out for print and prints it. */
export async function printPage(browser: Browser, htmlFile: string): Promise<Buffer> {
  const context = await browser.newContext({
    offline: true,
    viewport: { width: 1200, height: 1400 },
  });
  try {
    const page = await context.newPage();
    await page.goto(pathToFileURL(htmlFile).href, { waitUntil: "load" });
    await page.waitForFunction(
      `Array.from(document.querySelectorAll(".fragility-figure")).every((f) => f.querySelector("svg.main-svg"))`,
      undefined,
      { timeout: 60_000 },
    );
    await page.evaluate(`(async () => {
      window.dispatchEvent(new Event("beforeprint"));
      await (window.fragilityPrintReady || Promise.resolve());
    })()`);
    return await page.pdf({
      format: "A4",
      preferCSSPageSize: true,
      printBackground: true,
      displayHeaderFooter: true,
      headerTemplate: "<div></div>",
      footerTemplate: FOOTER,
    });
  } finally {
    await context.close();
  }
}

/** Where a printed link to another page goes: the PDFs' names, or a jump inside all.pdf. */
function linkRewriter(htmlDir: string, stems: Set<string>, combined: boolean) {
  const base = pathToFileURL(htmlDir).href + "/";
  return (uri: string): LinkTarget => {
    if (/^https?:/i.test(uri)) return { uri };
    if (!uri.startsWith(base)) return null; // another local file: no address leaves the machine
    const m = /^([^#/?]+)\.html(?:#(.*))?$/.exec(uri.slice(base.length));
    if (!m || !stems.has(m[1])) return null;
    // Chromium names a destination by the anchor as the URL writes it (percent-encoded), the same
    // text as the link's fragment; a viewer decodes a nameddest parameter once.
    const frag = m[2] ?? "";
    if (combined) return { dest: `${m[1]}:${frag}` };
    return { uri: `${m[1]}.pdf${frag ? `#nameddest=${encodeURIComponent(frag)}` : ""}` };
  };
}

/**
 * Prints every page of <out>/html to <out>/pdf and joins them into all.pdf; removes PDFs of
 * pages that no longer exist. Returns the files written.
 */
export async function printAll(out: string): Promise<string[]> {
  const htmlDir = path.join(out, "html");
  const pdfDir = path.join(out, "pdf");
  const stems = fs
    .readdirSync(htmlDir)
    .filter((f) => f.endsWith(".html"))
    .map((f) => f.slice(0, -5))
    .sort((a, b) => (a === "index" ? -1 : b === "index" ? 1 : a.localeCompare(b)));
  if (!stems.includes("index")) throw new Error(`no index.html in ${htmlDir}: export first`);
  const date = runTime(out);
  const known = new Set(stems);
  const printed = new Map<string, Pdf>();
  const titles = new Map<string, string>();
  const browser = await launchChromium();
  try {
    for (const stem of stems) {
      const file = path.join(htmlDir, `${stem}.html`);
      printed.set(stem, parsePdf(await printPage(browser, file)));
      const t = /<title>([^<]*)<\/title>/.exec(fs.readFileSync(file, "utf8"));
      titles.set(stem, stem === "index" ? "Index: reproduced and checked" : (t?.[1] ?? stem));
    }
  } finally {
    await browser.close();
  }
  fs.mkdirSync(pdfDir, { recursive: true });
  const written: string[] = [];
  for (const stem of stems) {
    const file = path.join(pdfDir, `${stem}.pdf`);
    writeAtomic(
      file,
      writePdf([{ pdf: printed.get(stem)!, prefix: "", title: titles.get(stem)! }], {
        title: titles.get(stem)!,
        date,
        link: linkRewriter(htmlDir, known, false),
      }),
    );
    written.push(file);
  }
  const all = path.join(pdfDir, `${COMBINED}.pdf`);
  writeAtomic(
    all,
    writePdf(
      stems.map((s) => ({ pdf: printed.get(s)!, prefix: `${s}:`, title: titles.get(s)! })),
      {
        title: "Adversarial fragility: reproduced and checked",
        date,
        link: linkRewriter(htmlDir, known, true),
        outline: true,
      },
    ),
  );
  written.push(all);
  const keep = new Set(written.map((f) => path.basename(f)));
  for (const f of fs.readdirSync(pdfDir))
    if (f.endsWith(".pdf") && !keep.has(f)) fs.rmSync(path.join(pdfDir, f));
  return written;
}
