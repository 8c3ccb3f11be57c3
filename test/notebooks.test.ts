/**
 * Every notebook at quick scale through the real Jupyter kernel, with every claim passing and the
 * HTML export written.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..");

test("every notebook executes at quick scale with all claims passing", () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "notebooks-"));
  const r = spawnSync(process.execPath, [path.join(ROOT, "dist", "scripts", "reproduce.js"), "--scale", "quick", "--out", out], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const notebooks = fs.readdirSync(path.join(ROOT, "notebooks")).filter((f) => f.endsWith(".ipynb"));
  assert.ok(notebooks.length > 0);
  for (const nb of notebooks) {
    const stem = nb.replace(/\.ipynb$/, "");
    const claims = JSON.parse(fs.readFileSync(path.join(out, "claims", `${stem}.json`), "utf8"));
    assert.equal(claims.scale, "quick");
    assert.ok(claims.claims.length > 0, `${stem} checks something`);
    for (const c of claims.claims) assert.ok(c.passed, `${stem}: ${c.name}`);
    assert.ok(fs.statSync(path.join(out, "html", `${stem}.html`)).size > 0, `${stem} has HTML`);
    assert.ok(fs.existsSync(path.join(out, "notebooks", `${stem}.ipynb`)));
  }
  fs.rmSync(out, { recursive: true, force: true });
});
