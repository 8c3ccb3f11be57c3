/**
 * Every notebook at quick scale through the real Jupyter kernel, with every claim passing and every
 * claim id of the coverage table (data/paper/statements.json) present in its notebook's claims.
 * (The exported pages are checked in Chromium by browser.test.ts.)
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as data from "../../lib/data";
import { baseId, isFailure, type ClaimsFile } from "../../lib/claims";

const ROOT = path.resolve(__dirname, "..", "..", "..");

test("every notebook executes at quick scale with all claims passing and every listed claim present", () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "notebooks-"));
  try {
    const r = spawnSync(
      process.execPath,
      [
        path.join(ROOT, "dist", "scripts", "reproduce.js"),
        "--scale",
        "quick",
        "--no-html",
        "--out",
        out,
      ],
      { encoding: "utf8" },
    );
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
      // An inconclusive verdict neither passes nor fails (lib/claims/ledger.ts).
      for (const c of claims.claims) assert.ok(!isFailure(c), `${stem}: ${c.name}`);
      assert.ok(fs.existsSync(path.join(out, "notebooks", `${stem}.ipynb`)));
      ids.set(stem.slice(0, 2), new Set(claims.claims.map((c) => baseId(c.id))));
      const byId = new Map<string, Set<string>>();
      for (const c of claims.claims)
        byId.set(baseId(c.id), (byId.get(baseId(c.id)) ?? new Set()).add(c.kind));
      kinds.set(stem.slice(0, 2), byId);
    }
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
    fs.rmSync(out, { recursive: true, force: true });
  }
});
