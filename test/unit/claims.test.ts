import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as claims from "../../lib/claims";
import * as random from "../../lib/random";
import * as show from "../../lib/show/render";
import { assertArgError } from "../helpers";

const T = { hypothesis: "H", method: "m" };

test("ledger checks pass and fail as their relation says, each with its kind", () => {
  const l = new claims.Ledger("nb");
  assert.equal(l.construction("a", "a ≈ 1").close(1.05, 1, 0.1).passed, true);
  assert.equal(l.construction("b", "b ≈ 1").close(1.2, 1, 0.1).passed, false);
  assert.equal(l.theorem("nan", "NaN is never close").close(NaN, 1, 10).passed, false);
  assert.equal(l.theorem("c", "c ≤ 2").atMost(2, 2).passed, true);
  assert.equal(l.theorem("d", "d ≤ 2").atMost(2.01, 2, 0.001).passed, false);
  assert.equal(l.finding("e", "e ≥ 0").atLeast(-1e-9, 0, 1e-8).passed, true);
  assert.equal(l.finding("nan2", "NaN ≥").atLeast(NaN, 0).passed, false);
  assert.equal(l.theorem("f@x=1", "f ∈ [0, 1]").within(0.5, [0, 1]).passed, true);
  assert.equal(l.theorem("g", "g ∈ [0, 1]").within(1.5, [0, 1]).passed, false);
  assert.equal(l.theorem("h", "h holds").holds(false, "seen", "expected").passed, false);
  assert.deepEqual(l.counts(), { passed: 4, failed: 6, inconclusive: 0, total: 10 });
  assert.deepEqual(l.countsByKind().construction, {
    passed: 1,
    total: 2,
    tested: 0,
    inconclusive: 0,
  });
  assert.deepEqual(l.countsByKind().theorem, { passed: 2, total: 6, tested: 0, inconclusive: 0 });
  l.theorem("t", "a tested theorem").test({ pValue: 0.5, ...T });
  assert.deepEqual(l.countsByKind().theorem, { passed: 3, total: 7, tested: 1, inconclusive: 0 });
  assert.match(claims.describeCounts(l.countsByKind()), /3 of 7 theorem \(6 exact, 1 tested\)/);
  assert.match(claims.describeCounts(l.countsByKind()), /1 of 2 construction \(exact\)/);
  assert.equal(claims.baseId("f@x=1"), "f");
  assertArgError(
    () => l.theorem("a", "other").close(1, 1, 0),
    "Ledger.add",
    "already in the ledger",
  );
  assertArgError(() => l.theorem("zz", "a ≈ 1").close(1, 1, 0), "Ledger.add", "name");
  assertArgError(() => l.theorem("Bad Id", "x").close(1, 1, 0), "Ledger.add", "id");
  assertArgError(() => l.theorem("w", "bad").within(0, [1, 0]), "Ledger.within", "interval");
  assertArgError(() => l.theorem("t", "tol").close(0, 0, NaN), "Ledger.close", "tolerance", "NaN");
  assertArgError(() => l.law("l", "a law").atMost(1, 2), "Ledger.atMost", "kind", "law");
  assertArgError(() => l.law("p", "p").test({ ...T, pValue: 1.5 }), "Ledger.test", "pValue");
  assertArgError(() => new claims.Ledger("nb", { familyLevel: 0 }), "Ledger", "familyLevel");
});

test("Holm's adjusted p-values match a hand computation", () => {
  // p = (0.01, 0.04, 0.03, 0.005), m = 4: sorted 0.005, 0.01, 0.03, 0.04 → 0.02, 0.03, 0.06, 0.06.
  const adj = claims.holmAdjust([0.01, 0.04, 0.03, 0.005]);
  const expected = [0.03, 0.06, 0.06, 0.02];
  adj.forEach((a, i) => assert.ok(Math.abs(a - expected[i]) < 1e-12, `${a} vs ${expected[i]}`));
  assert.deepEqual(claims.holmAdjust([]), []);
  assert.deepEqual(claims.holmAdjust([0.9, 0.9]), [1, 1]);
  assert.deepEqual(claims.holmAdjust([0.9]), [0.9]);
});

test("statistical claims are decided together at the family-wise level, in both directions", () => {
  const l = new claims.Ledger("nb", { familyLevel: 0.05 });
  const law = l.law("law", "a law").test({ ...T, pValue: 0.02 });
  // Alone, 0.02 ≤ 0.05: the law is rejected (fails), provisionally.
  assert.equal(law.passed, false);
  assert.equal(law.test?.final, false);
  const err = l.erratum("err", "an erratum").test({ ...T, pValue: 0.001 });
  assert.equal(err.passed, true, "the erratum's null is rejected: it passes");
  l.law("rep", "a third law").test({ ...T, pValue: 0.6 });
  l.law("law2", "another law").test({ ...T, pValue: 0.04 });
  // m = 4: 0.001·4 = 0.004 (rejected), 0.02·3 = 0.06 > 0.05 (stop): the first law now passes.
  const byId = new Map(l.claims.map((c) => [c.id, c]));
  assert.equal(byId.get("law")!.passed, true);
  assert.equal(byId.get("err")!.passed, true);
  assert.equal(byId.get("rep")!.passed, true);
  assert.equal(byId.get("law2")!.passed, true);
  assert.ok(Math.abs(byId.get("law")!.test!.adjustedP - 0.06) < 1e-12);
  assert.equal(byId.get("err")!.test!.familySize, 4);
  // A finding of an effect passes when its null is rejected; passWhen overrides the kind's default.
  const f = l.finding("f", "an effect").test({ ...T, pValue: 0.9 });
  assert.equal(f.passed, false);
  const g = l.finding("g", "no effect").test({ ...T, pValue: 0.9, passWhen: "not rejected" });
  assert.equal(g.passed, true);
});

test("adding tests to a Holm family never turns a non-rejection into a rejection (so 'not rejected' is final)", () => {
  const rng = random.rng(5);
  for (let trial = 0; trial < 200; trial++) {
    const ps = Array.from({ length: 1 + rng.int(12) }, () => rng.uniform() ** 3);
    let before = claims.holmAdjust(ps).map((a) => a <= 0.05);
    for (let extra = 0; extra < 3; extra++) {
      ps.push(rng.uniform() ** 3);
      const after = claims.holmAdjust(ps).map((a) => a <= 0.05);
      before.forEach((rejected, i) => assert.ok(rejected || !after[i], `trial ${trial}: ${ps}`));
      before = after;
    }
  }
});

test("the claims file has the documented shape, and is written only in a headless run", () => {
  const l = new claims.Ledger("01-x");
  l.construction("x", "x ≈ 0 (eq. 1)").close(0, 0, 1e-9);
  l.law("y", "y ~ law").test({ ...T, pValue: 0.5 });
  const json = l.toJSON({ scale: "quick", seed: 3, backend: "wasm" });
  assert.deepEqual(Object.keys(json).sort(), [
    "backend",
    "claims",
    "counts",
    "familyLevel",
    "notebook",
    "scale",
    "seed",
  ]);
  assert.deepEqual(
    Object.keys(json.claims[0])
      .filter((k) => ["id", "kind", "name", "passed", "value", "expected", "tolerance"].includes(k))
      .sort(),
    ["expected", "id", "kind", "name", "passed", "tolerance", "value"],
  );
  assert.equal(json.claims[1].test?.rejected, false);
  assert.deepEqual(json.counts.law, { passed: 1, total: 1, tested: 1, inconclusive: 0 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "claims-"));
  const prior = process.env[claims.RUN_DIR_ENV];
  try {
    delete process.env[claims.RUN_DIR_ENV];
    claims.saveClaims(l, { scale: "quick", seed: 3, backend: "wasm" });
    assert.deepEqual(fs.readdirSync(dir), []);
    process.env[claims.RUN_DIR_ENV] = dir;
    claims.saveClaims(l, { scale: "quick", seed: 3, backend: "wasm" });
    claims.saveResults({
      notebook: "01-x",
      scale: "quick",
      seed: 3,
      backend: "wasm",
      headline: [],
    });
    assert.deepEqual(fs.readdirSync(dir).sort(), ["claims.json", "results.json"]);
    assert.equal(
      JSON.parse(fs.readFileSync(path.join(dir, "claims.json"), "utf8")).claims[0].passed,
      true,
    );
  } finally {
    if (prior === undefined) delete process.env[claims.RUN_DIR_ENV];
    else process.env[claims.RUN_DIR_ENV] = prior;
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("rendering escapes HTML, labels columns, shows kinds and keeps scripts closed", () => {
  const t = show.renderTable([{ a: "<b>", b: 0.00001234, c: 3 }], { caption: "x & y" });
  assert.ok(t.includes("&lt;b&gt;") && t.includes("x &amp; y") && t.includes("1.234e-5"));
  const labelled = show.renderTable([{ meanPhi: 0.5, n: 3 }], {
    columns: [{ key: "meanPhi", label: "mean φ" }, "n"],
  });
  assert.ok(
    labelled.includes(">mean φ<") && labelled.includes(">0.5<") && !labelled.includes("meanPhi"),
  );
  const f = show.renderFigure("fig-1", { data: [{ name: "</script><script>alert(1)</script>" }] });
  assert.equal(f.match(/<\/script>/g)?.length, 1, "only the figure's own closing tag");
  const l = new claims.Ledger("nb");
  l.theorem("ok", "<ok>").close(1, 1, 0);
  l.construction("bad", "bad").atMost(2, 1);
  l.law("k", "KS").test({ hypothesis: "R ~ χ₁", method: "KS", pValue: 0.5, statistic: 0.01 });
  const c = show.renderClaims(l.claims, l);
  assert.ok(c.includes("Claims: 2 of 3 passed, 1 failed"), c);
  assert.ok(
    c.includes("1 of 1 theorem") && c.includes("0 of 1 construction") && c.includes("1 of 1 law"),
  );
  assert.ok(c.includes("&lt;ok&gt;") && c.includes("✓") && c.includes("✗") && c.includes("R ~ χ₁"));
  assert.ok(c.includes('id="claim-ok"'));
  assert.equal(show.formatNumber(0.1 + 0.2), "0.3");
  const layout = show.normaliseTitles({
    title: "T",
    xaxis: { title: "d", type: "log" },
    yaxis2: { title: { text: "kept" } },
  });
  assert.deepEqual(layout, {
    title: { text: "T" },
    xaxis: { title: { text: "d" }, type: "log" },
    yaxis2: { title: { text: "kept" } },
  });
});

test("a rejection is provisional while claims are added, and final in the summary and the claims file", () => {
  const l = new claims.Ledger("nb", { familyLevel: 0.05 });
  const c = l.law("x", "x").test({ ...T, pValue: 0.001 });
  assert.equal(c.test?.final, false);
  assert.equal(l.finalClaims[0].test?.final, true);
  assert.equal(l.toJSON({ scale: "quick", seed: 1, backend: "none" }).claims[0].test?.final, true);
});
