/** Table 3's protocol (lib/experiments/table3.ts): the series, its cache and its configuration. */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as os from "os";
import * as path from "path";
import * as fs from "fs";
import * as experiments from "../../lib/experiments";
import { assertArgError } from "../helpers";

test("table3Series: stops at the run completing the wanted accurate networks, the same with cached runs, and caches each run", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "table3-"));
  const c: experiments.Table3Config = {
    ...experiments.table3Defaults.quick,
    setting: { d: 6, hidden: [32], scaleFactor: 1, batchSize: 16 },
    accurate: 3,
    maxRuns: 12,
    attackPoints: 2,
    restarts: 0,
    epochs: 20,
  };
  const req = { setting: c.setting, want: 3, runs: c.maxRuns, attack: true };
  const first = await experiments.table3Series(c, 3, req, "wasm", { cacheDir: dir });
  assert.equal(first.accurate.length, 3, "three accurate networks");
  assert.equal(
    first.runs[first.runs.length - 1].valid,
    true,
    "the series ends at the run completing them",
  );
  assert.ok(
    first.runs.every((r, i) => r.run === i),
    "runs in index order",
  );
  for (const r of first.accurate) {
    assert.ok(r.attack && r.attack.points.length === 2, "accurate networks are attacked");
    for (const pt of r.attack!.points)
      assert.ok(pt.actual > 0 && Number.isFinite(pt.optimalRadius), "attack results are finite");
    assert.equal(r.rho.length, c.alphas.length);
    assert.ok(
      r.rho.every((v) => v >= 0 && v <= 1 + 1e-12),
      "ρ is a cosine",
    );
  }
  const second = await experiments.table3Series(c, 3, req, "wasm", { cacheDir: dir });
  assert.ok(
    second.cache.every((s) => s === "hit"),
    "the second series comes from the cache",
  );
  assert.deepEqual(second.runs, first.runs, "and equals the first");
  fs.rmSync(dir, { recursive: true, force: true });
});

test("table3: bad configuration names the parameter and the value", () => {
  const c = experiments.table3Defaults.quick;
  assertArgError(
    () => experiments.validateTable3Config({ ...c, maxRuns: 1 }),
    "validateTable3Config",
    "maxRuns",
    "1",
  );
  assertArgError(
    () => experiments.validateTable3Config({ ...c, setting: { ...c.setting, hidden: [] } }),
    "validateTable3Config",
    "setting.hidden",
  );
  assertArgError(
    () => experiments.validateTable3Config({ ...c, alphas: [0, 1.5] }),
    "validateTable3Config",
    "alphas[1]",
    "1.5",
  );
});
