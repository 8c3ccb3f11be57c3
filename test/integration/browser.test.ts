/**
 * Every notebook exported at quick scale and every page (and the index) opened in headless Chromium
 * (Debian's package, offline): no request leaves the file, no console error, every Plotly figure
 * drew, no raw TeX is visible, the claims are there. Screenshots go to build/screenshots/.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { pathToFileURL } from "url";
import { chromium } from "playwright-core";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const out = fs.mkdtempSync(path.join(os.tmpdir(), "browser-"));

export function chromiumPath(): string {
  const candidates = [
    process.env.CHROMIUM_PATH,
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
  ].filter((p): p is string => !!p);
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found)
    throw new Error(
      `Chromium not found (tried ${candidates.join(", ")}): apt-get install chromium, or set CHROMIUM_PATH`,
    );
  return found;
}

test("every notebook exports at quick scale", () => {
  const r = spawnSync(
    process.execPath,
    [path.join(ROOT, "dist", "scripts", "reproduce.js"), "--scale", "quick", "--out", out],
    { encoding: "utf8" },
  );
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test("every exported page opens offline in Chromium: no request out, no console error, figures drawn, math rendered, claims shown", async () => {
  const pages = fs
    .readdirSync(path.join(out, "html"))
    .filter((f) => f.endsWith(".html"))
    .sort();
  assert.ok(pages.includes("index.html") && pages.length > 1, "pages were exported");
  const shots = path.join(ROOT, "build", "screenshots");
  fs.mkdirSync(shots, { recursive: true });
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
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
        if (
          u !== url &&
          !u.startsWith("data:") &&
          !u.startsWith("blob:") &&
          !u.startsWith("about:")
        )
          outside.push(u);
      });
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(m.text());
      });
      page.on("pageerror", (e) => errors.push(String(e)));
      await page.goto(url, { waitUntil: "load" });
      await page.waitForTimeout(300);
      // Runs in the page (a string, so that the project's strict, DOM-free TypeScript lib stays as it is).
      const state = (await page.evaluate(`(() => {
        const figures = Array.from(document.querySelectorAll(".fragility-figure"));
        const text = document.body.innerText;
        return {
          figures: figures.length,
          drawn: figures.filter((f) => f.querySelector("svg.main-svg")).length,
          ledger: !!document.querySelector("table.fragility-ledger"),
          math: document.querySelectorAll("mjx-container svg").length,
          rawTex: (text.match(/\\$[^$\\n]{1,200}\\$|\\\\(frac|sqrt|mathbb|mathcal|alpha|epsilon|le|ge|cdots)\\b/g) || []).slice(0, 3),
          links: document.querySelectorAll("a[href$='.html']").length,
        };
      })()`)) as {
        figures: number;
        drawn: number;
        ledger: boolean;
        math: number;
        rawTex: string[];
        links: number;
      };
      await page.screenshot({ path: path.join(shots, file.replace(/\.html$/, ".png")) });
      await context.close();
      assert.deepEqual(outside, [], `${file}: requests left the file`);
      assert.deepEqual(errors, [], `${file}: console errors`);
      assert.equal(
        state.drawn,
        state.figures,
        `${file}: ${state.figures - state.drawn} Plotly figure(s) not drawn`,
      );
      assert.deepEqual(state.rawTex, [], `${file}: raw TeX visible`);
      if (file === "index.html")
        assert.ok(state.links >= pages.length - 1, "the index links every notebook");
      else {
        assert.ok(state.ledger, `${file}: the claims table is present`);
        assert.ok(state.figures > 0, `${file}: has figures`);
        assert.ok(state.math > 0, `${file}: math rendered to SVG`);
      }
    }
  } finally {
    await browser.close();
  }
  fs.rmSync(out, { recursive: true, force: true });
});
