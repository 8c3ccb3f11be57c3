import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as random from "../../lib/random";
import * as stats from "../../lib/stats";
import { Ledger, isFailure } from "../../lib/claims";
import { assertArgError } from "../helpers";

test("decide: inside the margin is reproduced, outside contradicted, straddling inconclusive", () => {
  assert.equal(stats.decide([-0.02, 0.03], [-0.05, 0.05]), "reproduced");
  assert.equal(stats.decide([0.06, 0.2], [-0.05, 0.05]), "contradicted");
  assert.equal(stats.decide([-0.3, -0.051], [-0.05, 0.05]), "contradicted");
  assert.equal(stats.decide([0.01, 0.08], [-0.05, 0.05]), "inconclusive");
  assert.equal(stats.decide([-0.1, 0.1], [-0.05, 0.05]), "inconclusive");
  assert.equal(stats.decide([NaN, NaN], [-0.05, 0.05]), "inconclusive");
  assertArgError(() => stats.decide([0, 1], [0.05, -0.05]), "decide", "margin");
});

/** Share of outcomes over repeated verdicts on fresh normal samples with a true deviation. */
function shares(trueDeviation: number, n: number, paperN: number, trials: number) {
  const r = random.rng(7);
  const out = { reproduced: 0, contradicted: 0, inconclusive: 0 };
  for (let t = 0; t < trials; t++) {
    const values = Array.from({ length: n }, () => 0.3 + trueDeviation + 0.1 * r.normal());
    // The paper's mean of paperN records of the same spread around 0.3.
    let paperMean = 0;
    for (let i = 0; i < paperN; i++) paperMean += 0.3 + 0.1 * r.normal();
    paperMean /= paperN;
    const v = stats.meanVerdict({ values, paper: paperMean, paperN, margin: [-0.05, 0.05] });
    out[v.outcome] += 1 / trials;
  }
  return out;
}

test("meanVerdict: both wrong outcomes are rare at the margin, right ones have power", () => {
  // 2000 trials: a share of 0.05 has binomial sd 0.005; the bounds are the level + 4 sd.
  // At the margin both wrong outcomes are at most the level (each side is a one-sided test).
  const atMargin = shares(0.05, 200, 50, 2000);
  assert.ok(atMargin.reproduced <= 0.07, `reproduced at the margin: ${atMargin.reproduced}`);
  assert.ok(atMargin.contradicted <= 0.07, `contradicted at the margin: ${atMargin.contradicted}`);
  // Far inside with the paper's error small: reproduced nearly always; far outside: contradicted.
  const near = shares(0, 400, 400, 500);
  assert.ok(near.reproduced > 0.95, `reproduced at 0: ${near.reproduced}`);
  const far = shares(0.15, 200, 50, 500);
  assert.ok(far.contradicted > 0.95, `contradicted at 0.15: ${far.contradicted}`);
});

test("meanVerdict: the paper's own sample bounds what can be reproduced (detectable)", () => {
  const r = random.rng(3);
  const values = Array.from({ length: 1000 }, () => 0.3 + 0.15 * r.normal());
  // The paper's 18 records of spread 0.15: its mean alone is uncertain by 0.035; a ±0.05 margin
  // cannot be shown at the 90% level, whatever our sample.
  const v = stats.meanVerdict({ values, paper: 0.3, paperN: 18, margin: [-0.05, 0.05] });
  assert.equal(v.detectable.reproduced, null);
  assert.notEqual(v.outcome, "reproduced");
  // As a fixed target (a statement), our large sample decides.
  const t = stats.meanVerdict({ values, paper: 0.3, paperN: Infinity, margin: [-0.05, 0.05] });
  assert.equal(t.outcome, "reproduced");
  // SE 0.15/√1000 = 0.0047: the 90%-power bounds are 0.05 ∓ (1.645 + 1.282)·0.0047 = 0.05 ∓ 0.014.
  assert.ok(t.detectable.reproduced !== null && Math.abs(t.detectable.reproduced) > 0.033);
  assert.ok(
    Math.abs(t.detectable.contradicted) > 0.06 && Math.abs(t.detectable.contradicted) < 0.067,
  );
});

test("rateVerdict: Newcombe's interval decides a rate difference; untestable said, not dropped", () => {
  const far = stats.rateVerdict({ k: 160, n: 200, kPaper: 20, nPaper: 50, margin: [-0.15, 0.15] });
  assert.equal(far.outcome, "contradicted");
  assert.ok(far.interval[0] > 0.15 && far.interval[0] < far.estimate);
  const close = stats.rateVerdict({ k: 82, n: 200, kPaper: 20, nPaper: 50, margin: [-0.2, 0.2] });
  assert.equal(close.outcome, "reproduced");
  const none = stats.rateVerdict({ k: 0, n: 0, kPaper: 20, nPaper: 50, margin: [-0.15, 0.15] });
  assert.equal(none.outcome, "inconclusive");
  assert.match(none.untestable ?? "", /no runs/);
  assertArgError(
    () => stats.rateVerdict({ k: 3, n: 2, kPaper: 1, nPaper: 2, margin: [-0.1, 0.1] }),
    "rateVerdict",
    "parameter k",
  );
});

test("ratioVerdict and shiftVerdict decide on their scales", () => {
  const r = random.rng(5);
  const ratios = Array.from({ length: 80 }, () => Math.exp(Math.log(1.6) + 0.2 * r.normal()));
  const v = stats.ratioVerdict({ ratios, margin: [0.8, 1.25], what: "ratio" });
  assert.equal(v.outcome, "contradicted");
  assert.ok(v.interval[0] > 1.25 && v.estimate > 1.4 && v.estimate < 1.8);
  const same = Array.from({ length: 80 }, () => Math.exp(0.1 * r.normal()));
  assert.equal(
    stats.ratioVerdict({ ratios: same, margin: [0.8, 1.25], what: "r" }).outcome,
    "reproduced",
  );
  // Ten paper values against 200 of ours shifted by 0.5: contradicted against ±0.1.
  const paper = Array.from({ length: 10 }, () => r.normal());
  const ours = Array.from({ length: 200 }, () => 0.5 + 0.1 * r.normal());
  const s = stats.shiftVerdict({ ours, paper, margin: [-0.1, 0.1], what: "x" });
  assert.ok(s.estimate > 0.1);
  assertArgError(
    () => stats.ratioVerdict({ ratios: [1, -1, 2], margin: [0.8, 1.25], what: "r" }),
    "ratioVerdict",
    "ratios[1]",
  );
});

test("ledger.verdict: kind follows the outcome; inconclusive neither passes nor fails the run", () => {
  const ledger = new Ledger("t");
  const base = { statement: "paper: 0.3", marginSource: "test" };
  const rep = stats.meanVerdict({
    values: [0.3, 0.31, 0.29, 0.3],
    paper: 0.3,
    paperN: Infinity,
    margin: [-0.05, 0.05],
  });
  const inc = stats.rateVerdict({ k: 5, n: 10, kPaper: 20, nPaper: 50, margin: [-0.15, 0.15] });
  const con = stats.rateVerdict({ k: 190, n: 200, kPaper: 20, nPaper: 50, margin: [-0.15, 0.15] });
  const a = ledger.verdict("a", "A", { ...base, ...rep });
  const b = ledger.verdict("b", "B", { ...base, ...inc });
  const c = ledger.verdict("c", "C", { ...base, ...con });
  assert.deepEqual([a.kind, a.passed, isFailure(a)], ["reproduction", true, false]);
  assert.deepEqual(
    [b.kind, b.passed, b.inconclusive, isFailure(b)],
    ["reproduction", false, true, false],
  );
  assert.deepEqual([c.kind, c.passed, isFailure(c)], ["erratum", true, false]);
  assert.deepEqual(ledger.counts(), { passed: 2, failed: 0, inconclusive: 1, total: 3 });
  assert.equal(ledger.failed.length, 0);
  // A reproduction cannot pass on a test's non-rejection any more.
  assertArgError(
    () => ledger.reproduction("d", "D").test({ pValue: 0.5, hypothesis: "h", method: "m" }),
    "Ledger.test",
    "kind",
  );
});

test("composites: every part holds is contradicted only at level/k; at some setting reproduced only at level/k", () => {
  // Eight parts each just contradicted at 0.05 but not at 0.05/8: the composite stays open.
  const part = (level: number) => ({
    label: "p",
    statement: "s",
    numbers: stats.standardErrorVerdict({
      estimate: 0.19,
      se: 0.06,
      df: Infinity,
      target: 0,
      margin: [-0.05, 0.05],
      level,
      method: "m",
    }),
  });
  assert.equal(part(0.05).numbers.outcome, "contradicted"); // 0.19 − 1.645·0.06 = 0.091 > 0.05
  assert.equal(part(0.05 / 8).numbers.outcome, "inconclusive"); // 0.19 − 2.50·0.06 = 0.040
  const all = stats.allOfAt((l) => Array.from({ length: 8 }, () => part(l)));
  assert.equal(all.outcome, "inconclusive");
  assert.equal(stats.allOfAt((l) => [part(l)]).outcome, "contradicted");
  // Reproduced at 0.05 but not at 0.05/2: "at some setting" of two stays open.
  const near = (level: number) => ({
    label: "q",
    statement: "s",
    numbers: stats.standardErrorVerdict({
      estimate: 0,
      se: 0.027,
      df: Infinity,
      target: 0,
      margin: [-0.05, 0.05],
      level,
      method: "m",
    }),
  });
  assert.equal(near(0.05).numbers.outcome, "reproduced"); // 1.645·0.027 = 0.044
  assert.equal(stats.anyOfAt((l) => [near(l), near(l)]).outcome, "inconclusive"); // 1.96·0.027
  assert.equal(stats.anyOfAt((l) => [near(l)]).outcome, "reproduced");
});

test("one-sided margins, the paper's floor and relative margins", () => {
  const r = random.rng(9);
  // "At most ×1.25": a ratio well below 1 is reproduced (a smaller ratio is at least as small).
  const small = Array.from({ length: 60 }, () => Math.exp(-0.3 + 0.1 * r.normal()));
  const v = stats.ratioVerdict({ ratios: small, margin: [0, 1.25], what: "r" });
  assert.equal(v.outcome, "reproduced");
  assert.ok(v.detectable.reproduced !== null && v.detectable.reproduced < 1.25);
  const big = small.map((x) => x * 2);
  assert.equal(
    stats.ratioVerdict({ ratios: big, margin: [0, 1.25], what: "r" }).outcome,
    "contradicted",
  );
  // The paper's 18 records of spread 0.15 leave ±0.06 (90%): reproduction within ±0.05 is never
  // decidable; against a fixed target it is.
  const values = Array.from({ length: 500 }, () => 0.3 + 0.15 * r.normal());
  const m = stats.meanVerdict({ values, paper: 0.3, paperN: 18, margin: [-0.05, 0.05] });
  assert.equal(m.reproducible, false);
  assert.ok(m.floor > 0.05 && m.floor < 0.07, `floor ${m.floor}`);
  assert.equal(
    stats.meanVerdict({ values, paper: 0.3, paperN: Infinity, margin: [-0.05, 0.05] }).reproducible,
    true,
  );
  assert.deepEqual(stats.relativeMargin(0.4, 1.25), [0.4 * (0.8 - 1), 0.4 * 0.25]);
  assertArgError(() => stats.relativeMargin(0.4, 0.9), "relativeMargin", "r");
});
