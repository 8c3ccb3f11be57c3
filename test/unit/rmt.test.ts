import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as linalg from "../../lib/linalg";
import * as random from "../../lib/random";
import * as rmt from "../../lib/rmt";
import * as stats from "../../lib/stats";
import { assertArgError } from "../helpers";

test("Bartlett factors have the stated laws and match the QR route (KS, p > 0.001)", () => {
  const r = random.rng(3);
  const n = 5,
    rows = 9;
  const direct = Array.from({ length: 1500 }, () => rmt.bartlettFactor(r, n, rows));
  const viaQr = Array.from({ length: 1500 }, () => linalg.qrR(random.gaussianMatrix(r, rows, n)));
  assert.ok(
    stats.ksTest(
      direct.map((R) => R.get(n - 1, n - 1)),
      (t) => stats.chiCdf(t, rows - n + 1),
    ).pValue > 1e-3,
  );
  assert.ok(
    stats.ksTest2(
      direct.map((R) => R.get(0, 0)),
      viaQr.map((R) => R.get(0, 0)),
    ).pValue > 1e-3,
  );
  assert.ok(
    stats.ksTest2(
      direct.map((R) => R.get(1, 3)),
      viaQr.map((R) => R.get(1, 3)),
    ).pValue > 1e-3,
  );
  assertArgError(
    () => rmt.bartlettFactor(r, 5, 4),
    "bartlettFactor",
    "parameter rows",
    "4",
    "n = 5",
  );
  assertArgError(() => rmt.bartlettProduct(r, [4, 3]), "bartlettProduct", "widths[1]", "3");
  assertArgError(() => rmt.bartlettProduct(r, [4, 8, 3]), "bartlettProduct", "widths[2]", "n_1");
  rmt.bartlettProduct(r, [4, 8, 5]); // not monotone, but every n_{i+1} ≥ n_1: what the proof needs
});
