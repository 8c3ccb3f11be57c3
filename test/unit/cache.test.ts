/** The result cache (lib/experiments/cache.ts). */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as experiments from "../../lib/experiments";

test("the cache returns a valid entry and recomputes a corrupt or stale one", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cache-"));
  const key = experiments.cacheKey("t", { a: 1, b: [2, 3] });
  assert.equal(key, experiments.cacheKey("t", { b: [2, 3], a: 1 }), "key ignores property order");
  assert.notEqual(key, experiments.cacheKey("t", { a: 2, b: [2, 3] }));
  let computed = 0;
  const compute = async () => ({ value: ++computed });
  assert.equal((await experiments.cached(key, compute, { dir })).status, "miss");
  const hit = await experiments.cached(key, compute, { dir });
  assert.equal(hit.status, "hit");
  assert.deepEqual(hit.value, { value: 1 });
  const file = path.join(dir, `${key}.json`);
  fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace('"value": 1', '"value": 7'));
  const corrupt = await experiments.cached(key, compute, { dir });
  assert.equal(corrupt.status, "corrupt");
  assert.deepEqual(corrupt.value, { value: 2 }, "recomputed, not the tampered value");
  fs.writeFileSync(file, "{ not json");
  assert.equal((await experiments.cached(key, compute, { dir })).status, "corrupt");
  const entry = JSON.parse(fs.readFileSync(file, "utf8"));
  fs.writeFileSync(file, JSON.stringify({ ...entry, key: "other" }));
  assert.equal((await experiments.cached(key, compute, { dir })).status, "stale");
  assert.equal((await experiments.cached(key, compute, { dir, force: true })).status, "forced");
  fs.rmSync(dir, { recursive: true, force: true });
});
