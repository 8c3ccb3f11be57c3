import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as claims from "../../lib/claims";
import * as show from "../../lib/show/render";
import { assertArgError } from "../helpers";

test("ledger checks pass and fail as their relation says", () => {
  const l = new claims.Ledger("nb");
  assert.equal(l.close("a ≈ 1", 1.05, 1, 0.1).passed, true);
  assert.equal(l.close("b ≈ 1", 1.2, 1, 0.1).passed, false);
  assert.equal(l.close("NaN is never close", NaN, 1, 10).passed, false);
  assert.equal(l.atMost("c ≤ 2", 2, 2).passed, true);
  assert.equal(l.atMost("d ≤ 2", 2.01, 2, 0.001).passed, false);
  assert.equal(l.atLeast("e ≥ 0", -1e-9, 0, 1e-8).passed, true);
  assert.equal(l.atLeast("NaN ≥", NaN, 0).passed, false);
  assert.equal(l.within("f ∈ [0, 1]", 0.5, [0, 1]).passed, true);
  assert.equal(l.within("g ∈ [0, 1]", 1.5, [0, 1]).passed, false);
  assert.equal(l.holds("h holds", false, "seen", "expected").passed, false);
  assert.deepEqual(l.counts(), { passed: 4, failed: 6, total: 10 });
  assertArgError(() => l.close("a ≈ 1", 1, 1, 0), "Ledger.add", "already in the ledger");
  assertArgError(() => l.within("bad", 0, [1, 0]), "Ledger.within", "interval");
  assertArgError(() => l.close("tol", 0, 0, NaN), "Ledger.close", "tolerance", "NaN");
});

test("the claims file has the documented shape, and is written only in a headless run", () => {
  const l = new claims.Ledger("01-x");
  l.close("x ≈ 0 (eq. 1)", 0, 0, 1e-9);
  const json = l.toJSON({ scale: "quick", seed: 3, backend: "wasm" });
  assert.deepEqual(Object.keys(json).sort(), ["backend", "claims", "notebook", "scale", "seed"]);
  assert.deepEqual(Object.keys(json.claims[0]).filter((k) => ["name", "passed", "value", "expected", "tolerance"].includes(k)).sort(), ["expected", "name", "passed", "tolerance", "value"]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "claims-"));
  const prior = process.env[claims.RUN_DIR_ENV];
  try {
    delete process.env[claims.RUN_DIR_ENV];
    claims.saveClaims(l, { scale: "quick", seed: 3, backend: "wasm" });
    assert.deepEqual(fs.readdirSync(dir), []);
    process.env[claims.RUN_DIR_ENV] = dir;
    claims.saveClaims(l, { scale: "quick", seed: 3, backend: "wasm" });
    claims.saveResults({ a: 1 });
    assert.deepEqual(fs.readdirSync(dir).sort(), ["claims.json", "results.json"]);
    assert.equal(JSON.parse(fs.readFileSync(path.join(dir, "claims.json"), "utf8")).claims[0].passed, true);
  } finally {
    if (prior === undefined) delete process.env[claims.RUN_DIR_ENV];
    else process.env[claims.RUN_DIR_ENV] = prior;
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("rendering escapes HTML and keeps scripts closed", () => {
  const t = show.renderTable([{ a: "<b>", b: 0.00001234, c: 3 }], { caption: "x & y" });
  assert.ok(t.includes("&lt;b&gt;") && t.includes("x &amp; y") && t.includes("1.234e-5"));
  const f = show.renderFigure("fig-1", { data: [{ name: "</script><script>alert(1)</script>" }] });
  assert.equal(f.match(/<\/script>/g)?.length, 1, "only the figure's own closing tag");
  const l = new claims.Ledger("nb");
  l.close("<ok>", 1, 1, 0);
  l.atMost("bad", 2, 1);
  const c = show.renderClaims(l.claims, l);
  assert.ok(c.includes("Claims: 1 of 2 passed, 1 failed") && c.includes("&lt;ok&gt;") && c.includes("✓") && c.includes("✗"));
  assert.equal(show.formatNumber(0.1 + 0.2), "0.3");
  const layout = show.normaliseTitles({ title: "T", xaxis: { title: "d", type: "log" }, yaxis2: { title: { text: "kept" } } });
  assert.deepEqual(layout, { title: { text: "T" }, xaxis: { title: { text: "d" }, type: "log" }, yaxis2: { title: { text: "kept" } } });
});
