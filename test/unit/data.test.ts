/** lib/data: section 6's data set and the paper's numbers. */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as data from "../../lib/data";
import { assertArgError } from "../helpers";

test("the hypercube holds every sign vector once; the last entry alternates; one point encoding", () => {
  const Z = data.hypercube(4);
  assert.equal(Z.columns, 16);
  const keys = new Set<string>();
  for (let k = 0; k < 16; k++) keys.add(Z.getColumn(k).join(","));
  assert.equal(keys.size, 16);
  for (let k = 0; k < 16; k++) assert.equal(Z.get(3, k), k % 2 === 0 ? 1 : -1);
  for (let k = 0; k < 16; k++) {
    assert.deepEqual(data.pointSigns(k, 4), Z.getColumn(k), `signs of point ${k}`);
    assert.equal(data.pointIndex(Z.getColumn(k)), k);
    assert.equal(data.pointLabel(k), Z.get(3, k) > 0 ? 1 : 0);
  }
  assertArgError(() => data.pointIndex([1, 0]), "pointIndex", "z[1]");
  assertArgError(() => data.hypercube(21), "hypercube", "parameter d", "21", "<= 20");
});

test("the paper's numbers load with their shapes", () => {
  const s = data.section6();
  assert.equal(s.table1.rows.length, 10);
  assert.equal(s.table2.valid, 20);
  assert.equal(s.table3.alpha.length, 10);
  assert.deepEqual(s.table3.alpha.slice(0, 2), [0, 0.111]);
});
