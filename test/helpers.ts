import * as assert from "node:assert/strict";
import { Matrix } from "ml-matrix";

/** max |A_ij − B_ij| */
export function maxAbsDiff(A: Matrix, B: Matrix): number {
  assert.equal(A.rows, B.rows);
  assert.equal(A.columns, B.columns);
  let m = 0;
  for (let i = 0; i < A.rows; i++)
    for (let j = 0; j < A.columns; j++) m = Math.max(m, Math.abs(A.get(i, j) - B.get(i, j)));
  return m;
}

/** Asserts |actual − expected| ≤ tol with a message that shows all three. */
export function assertClose(actual: number, expected: number, tol: number, what = "value"): void {
  assert.ok(
    Math.abs(actual - expected) <= tol,
    `${what}: |${actual} − ${expected}| = ${Math.abs(actual - expected)} > ${tol}`,
  );
}

/** Asserts that fn throws an error whose message names the function, the parameter and the value. */
export function assertArgError(fn: () => unknown, ...fragments: string[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof Error, "throws an Error");
    for (const f of fragments)
      assert.ok(
        e.message.includes(f),
        `message ${JSON.stringify(e.message)} should contain ${JSON.stringify(f)}`,
      );
    return true;
  });
}
