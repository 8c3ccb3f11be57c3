/** npm run seeds: how claims failing at fresh seeds are tallied and flagged. */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as claims from "../../lib/claims";
import { parseSeedsArgs, reportMarkdown, tally } from "../../scripts/seeds";

function run(seed: number, failLaw: boolean, failTheorem: boolean, missErratum: boolean) {
  const l = new claims.Ledger("nb", { familyLevel: 0.01 });
  l.theorem("t", "a theorem").atMost(failTheorem ? 2 : 0, 1);
  l.law("law", "a law").test({ hypothesis: "H", method: "m", pValue: failLaw ? 1e-6 : 0.5 });
  l.erratum("err", "an erratum").test({
    hypothesis: "H",
    method: "m",
    pValue: missErratum ? 0.5 : 1e-6,
  });
  return { seed, file: l.toJSON({ scale: "quick", seed, backend: "none" }) };
}

test("seeds: a theorem that ever fails is flagged; a law failing within its level is not", () => {
  const runs = Array.from({ length: 20 }, (_, k) => run(k + 1, k === 3, false, false));
  const t = tally("nb", runs);
  const law = t.claims.find((c) => c.id === "law")!;
  assert.equal(law.failures, 1);
  assert.equal(law.flag, null, "1 failure in 20 at level 0.01 is within what the level allows");
  assert.deepEqual(t.familyFailures, [4]);
  assert.equal(t.familyFlag, null);
  const bad = tally(
    "nb",
    Array.from({ length: 20 }, (_, k) => run(k + 1, k < 3, k === 7, k === 9)),
  );
  assert.match(bad.claims.find((c) => c.id === "law")!.flag ?? "", /more often than level/);
  assert.match(bad.claims.find((c) => c.id === "t")!.flag ?? "", /theorem claim failed/);
  assert.match(bad.claims.find((c) => c.id === "err")!.flag ?? "", /not robust/);
  assert.ok(bad.familyFlag);
  const broken = tally("nb", [
    { seed: 1, file: null, reason: "cell 3 failed" },
    run(2, false, false, false),
  ]);
  assert.deepEqual(broken.brokenRuns, [{ seed: 1, reason: "cell 3 failed" }]);
  assert.match(reportMarkdown("quick", [bad]), /\| `t` a theorem \| theorem \| 1\/20 \| 8 \|/);
});

test("seeds: a verdict whose outcome differs between seeds is flagged; the table gives every seed's", () => {
  const verdictRun = (seed: number, outcome: "reproduced" | "contradicted" | "inconclusive") => {
    const l = new claims.Ledger("nb");
    l.verdict("v", "a verdict", {
      outcome,
      scale: "difference",
      ours: 0,
      paper: 0,
      estimate: 0,
      interval: [-1, 1],
      margin: [-0.1, 0.1],
      level: 0.05,
      detectable: { contradicted: 0.2, reproduced: null },
      floor: 0,
      reproducible: true,
      method: "m",
      statement: "s",
      marginSource: "test",
    });
    l.verdict("w", "a stable verdict", {
      outcome: "contradicted",
      scale: "difference",
      ours: 1,
      paper: 0,
      estimate: 1,
      interval: [0.5, 1.5],
      margin: [-0.1, 0.1],
      level: 0.05,
      detectable: { contradicted: 0.2, reproduced: null },
      floor: 0,
      reproducible: true,
      method: "m",
      statement: "s",
      marginSource: "test",
    });
    return { seed, file: l.toJSON({ scale: "paper", seed, backend: "none" }) };
  };
  const t = tally("nb", [verdictRun(1, "contradicted"), verdictRun(2, "inconclusive")]);
  assert.match(t.verdicts.find((v) => v.id === "v")!.flag ?? "", /differs between seeds/);
  assert.equal(t.verdicts.find((v) => v.id === "w")!.flag, null);
  assert.equal(t.claims.length, 0, "verdicts are tallied as verdicts, not as failures");
  const md = reportMarkdown("paper", [t]);
  assert.match(md, /\| `v` \| contradicted \| inconclusive \| the outcome differs/);
  assert.ok(md.includes("| `w` | contradicted | contradicted |  |"));
});

test("seeds: usage errors", () => {
  assert.throws(() => parseSeedsArgs(["--seeds", "0"]), /--seeds expects a whole number from 1/);
  assert.throws(() => parseSeedsArgs(["--scale", "huge"]), /--scale expects quick or paper/);
  assert.throws(() => parseSeedsArgs(["--frob"]), /unknown option/);
  assert.deepEqual(parseSeedsArgs(["--seeds", "3", "--first", "100", "lemma"]).names, ["lemma"]);
});
