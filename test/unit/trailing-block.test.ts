import { test } from "node:test";
import * as assert from "node:assert/strict";
import { Matrix } from "ml-matrix";
import * as linalg from "../../lib/linalg";
import * as random from "../../lib/random";
import * as tb from "../../lib/rmt/trailing-block";
import { assertArgError } from "../helpers";

test("the trailing block by projection equals that of the full QR of [A, x, y] (1e-10 relative)", () => {
  const r = random.rng(11);
  for (const d of [3, 4, 9, 33, 120]) {
    const A = random.gaussianMatrix(r, d, d - 2);
    const c = tb.complementOfLeading(A);
    for (let k = 0; k < 3; k++) {
      const x = Array.from({ length: d }, () => r.normal());
      const y = Array.from({ length: d }, () => r.normal());
      const X = Matrix.zeros(d, d);
      X.setSubMatrix(A, 0, 0);
      X.setColumn(d - 2, x);
      X.setColumn(d - 1, y);
      const R = linalg.qrR(X);
      const t = tb.trailingBlockOf(c, x, y);
      const full = [R.get(d - 2, d - 2), R.get(d - 2, d - 1), R.get(d - 1, d - 1)];
      const size = Math.max(...full.map(Math.abs));
      const got = [t.rd1d1, t.rd1d, t.rdd];
      for (let i = 0; i < 3; i++)
        assert.ok(Math.abs(got[i] - full[i]) < 1e-10 * size, `d = ${d}, entry ${i}`);
    }
  }
});

test("the complement is orthonormal and orthogonal to A's columns (1e-12)", () => {
  const r = random.rng(12);
  const d = 50;
  const A = random.gaussianMatrix(r, d, d - 2);
  const c = tb.complementOfLeading(A);
  const dot = (u: ArrayLike<number>, v: ArrayLike<number>) => {
    let s = 0;
    for (let i = 0; i < u.length; i++) s += u[i] * v[i];
    return s;
  };
  assert.ok(Math.abs(dot(c.n1, c.n1) - 1) < 1e-12 && Math.abs(dot(c.n2, c.n2) - 1) < 1e-12);
  assert.ok(Math.abs(dot(c.n1, c.n2)) < 1e-12);
  for (let j = 0; j < d - 2; j++) {
    const a = A.getColumn(j);
    const scale = Math.sqrt(dot(a, a));
    assert.ok(Math.abs(dot(c.n1, a)) < 1e-12 * scale && Math.abs(dot(c.n2, a)) < 1e-12 * scale);
  }
});

test("gaussianTrailingBlocks splits the draws over the blocks; arguments are checked", () => {
  const blocks = tb.gaussianTrailingBlocks(random.rng(13), { d: 6, draws: 10, blocks: 3 });
  assert.equal(blocks.length, 10);
  for (const b of blocks) assert.ok(b.rd1d1 > 0 && b.rdd >= 0);
  assertArgError(
    () => tb.complementOfLeading(random.gaussianMatrix(random.rng(1), 5, 4)),
    "complementOfLeading",
    "A",
  );
  assertArgError(
    () => tb.gaussianTrailingBlocks(random.rng(1), { d: 6, draws: 2, blocks: 3 }),
    "gaussianTrailingBlocks",
    "blocks",
  );
});
