/**
 * Every notebook at quick scale through the real Jupyter kernel, with no claim failing and every
 * claim id of the coverage table (data/paper/statements.json) present in its notebook's claims;
 * then (issue 22) a section 6 notebook again at 1 worker thread against the run at 2, from a fresh
 * cache each, with identical claims and results; and the pages of the notebooks with the most
 * figures and formulas within the pages' size limit. (The exported pages are checked in Chromium
 * by browser.test.ts.)
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as data from "../../lib/data";
import { baseId, isFailure, type ClaimsFile } from "../../lib/claims";
import { exportNotebook, PAGE_LIMIT } from "../../scripts/export";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const RUNNER = path.join(ROOT, "dist", "scripts", "reproduce.js");
/** The section 6 notebook run at 1 and 2 workers (its training runs on the series runner). */
const SECTION6 = "07";
/** The pages that were over the limit before (issue 22 §1: 3.4 MB and 3.2 MB at paper scale). */
const LARGEST_PAGES = ["02", "06"];

function reproduce(args: string[], cacheDir: string) {
  return spawnSync(process.execPath, [RUNNER, "--scale", "quick", "--no-html", ...args], {
    encoding: "utf8",
    env: { ...process.env, FRAGILITY_CACHE_DIR: cacheDir },
    maxBuffer: 1 << 26,
  });
}

test("every notebook executes at quick scale with all claims passing and every listed claim present; a section 6 notebook gives the same claims at 1 and 2 workers; the largest pages stay within the limit", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "notebooks-"));
  try {
    const out = path.join(tmp, "out");
    // From scratch: the training of 07, 09 and 10 runs here, on 2 worker threads.
    const r = reproduce(["--set", "workers=2", "--out", out], path.join(tmp, "cache-2"));
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const notebooks = fs
      .readdirSync(path.join(ROOT, "notebooks"))
      .filter((f) => f.endsWith(".ipynb"));
    assert.ok(notebooks.length > 0);
    const ids = new Map<string, Set<string>>();
    const kinds = new Map<string, Map<string, Set<string>>>();
    for (const nb of notebooks) {
      const stem = nb.replace(/\.ipynb$/, "");
      const file = path.join(out, "claims", `${stem}.json`);
      const claims = JSON.parse(fs.readFileSync(file, "utf8")) as ClaimsFile;
      assert.equal(claims.scale, "quick");
      assert.ok(claims.claims.length > 0, `${stem} checks something`);
      // An inconclusive verdict neither passes nor fails (the runner does not fail on it).
      for (const c of claims.claims) assert.ok(!isFailure(c), `${stem}: ${c.name}`);
      assert.ok(fs.existsSync(path.join(out, "notebooks", `${stem}.ipynb`)));
      ids.set(stem.slice(0, 2), new Set(claims.claims.map((c) => baseId(c.id))));
      const byId = new Map<string, Set<string>>();
      for (const c of claims.claims)
        byId.set(baseId(c.id), (byId.get(baseId(c.id)) ?? new Set()).add(c.kind));
      kinds.set(stem.slice(0, 2), byId);
    }

    // Issue 22 §3: no number depends on the worker threads.
    const one = path.join(tmp, "out-1");
    const r1 = reproduce(["--set", "workers=1", "--out", one, SECTION6], path.join(tmp, "cache-1"));
    assert.equal(r1.status, 0, r1.stdout + r1.stderr);
    const stem = fs.readdirSync(path.join(one, "claims"))[0].replace(/\.json$/, "");
    assert.ok(stem.startsWith(SECTION6), stem);
    for (const kind of ["claims", "results"]) {
      const a = path.join(out, kind, `${stem}.json`);
      if (!fs.existsSync(a)) continue;
      assert.equal(
        fs.readFileSync(path.join(one, kind, `${stem}.json`), "utf8"),
        fs.readFileSync(a, "utf8"),
        `${stem}'s ${kind} at 1 worker and at 2`,
      );
    }
    assert.match(
      fs.readFileSync(path.join(one, "logs", `${stem}.log`), "utf8"),
      /^workers +1 \(--set workers\)/m,
    );

    // Issue 22 §1: pages at most PAGE_LIMIT bytes (figures' numbers at six significant digits,
    // MathJax's glyphs once per page).
    for (const n of LARGEST_PAGES) {
      const page = fs.readdirSync(path.join(out, "notebooks")).find((f) => f.startsWith(`${n}-`))!;
      const s = page.replace(/\.ipynb$/, "");
      const bytes = exportNotebook(
        path.join(out, "notebooks", page),
        path.join(out, "html", `${s}.html`),
        {
          summary: JSON.parse(
            fs.readFileSync(path.join(out, "claims", `${s}.json`), "utf8"),
          ) as ClaimsFile,
        },
      );
      assert.ok(bytes <= PAGE_LIMIT, `${s}.html is ${bytes} bytes, over ${PAGE_LIMIT}`);
    }

    // Last: the coverage table's claim ids (data/paper/statements.json) against the claims.
    for (const s of data.statements().statements) {
      const listed: string[] = [];
      for (const c of s.checks) {
        const [num, id] = c.split(":");
        assert.ok(ids.get(num)?.has(id), `${s.id}: claim ${id} is not in notebook ${num}'s claims`);
        listed.push(...(kinds.get(num)?.get(id) ?? []));
      }
      // "Checked as stated" needs a claim that is not an identity of our code.
      if (s.status === "as-stated")
        assert.ok(
          listed.some((k) => k !== "construction"),
          `${s.id} is "checked as stated" but every claim it lists is a construction`,
        );
      if (s.status === "code-only")
        assert.ok(
          listed.every((k) => k === "construction"),
          `${s.id} is "code-only" but lists ${listed}`,
        );
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
