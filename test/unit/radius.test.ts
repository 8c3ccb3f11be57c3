/** lib/optimal/radius.ts: the optimal classifier's exact radius at a point of section 6's data. */
import { test } from "node:test";
import * as data from "../../lib/data";
import * as optimal from "../../lib/optimal";
import * as random from "../../lib/random";
import { assertArgError, assertClose } from "../helpers";

test("the radius at a point is half the distance to the nearest point of the other class (relative 1e-12)", () => {
  const r = random.rng(11);
  for (const d of [3, 6, 9]) {
    const A = data.scaleLeadingColumns(random.gaussianMatrix(r, d, d), d === 6 ? 5 : 1);
    const { X, Z } = data.hypercubeData(A);
    let worst = Infinity;
    for (let k = 0; k < Z.columns; k++) {
      let best = Infinity;
      for (let q = 0; q < Z.columns; q++) {
        if (Z.get(d - 1, q) === Z.get(d - 1, k)) continue;
        let s = 0;
        for (let i = 0; i < d; i++) s += (X.get(i, q) - X.get(i, k)) ** 2;
        best = Math.min(best, Math.sqrt(s) / 2);
      }
      const got = optimal.optimalRadiusAt(A, Z.getColumn(k));
      assertClose(got.radius, best, 1e-12 * best, `d = ${d}, point ${k}`);
      worst = Math.min(worst, got.radius);
    }
    // The worst point's radius is the lattice minimum min_u ‖Au‖ (Theorem 6's optimal robustness).
    assertClose(
      worst,
      optimal.latticeMinimumSphere(A).value,
      1e-12 * worst,
      `d = ${d}, worst point`,
    );
  }
  assertArgError(
    () => optimal.optimalRadiusAt(random.gaussianMatrix(r, 3, 3), [1, 0, 1]),
    "optimalRadiusAt",
    "z",
  );
});
