/**
 * Section 6's series runner (lib/experiments/series.ts) on a small network: the worker threads it
 * uses (every core by default, FRAGILITY_WORKERS, an explicit number) change no number, and a
 * cached run that cannot be used is reported with its file before it is trained again.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as experiments from "../../lib/experiments";
import * as training from "../../lib/training";
import { assertArgError } from "../helpers";

const config = experiments.tables12RunConfig(
  {
    ...experiments.tables12Defaults.quick,
    run: { ...experiments.tables12Defaults.quick.run, d: 5, hidden: 16, epochs: 3 },
  },
  8,
);

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "series-"));
}

function series(dir: string, o: { workers?: number; warn?: (m: string) => void } = {}) {
  return experiments.runSeries({
    protocol: "linear",
    config,
    seed: 11,
    stream: "selection",
    cell: [8, 5000],
    runs: 5,
    backend: "wasm",
    cacheDir: dir,
    ...o,
  });
}

test("workers: an explicit number, else FRAGILITY_WORKERS, else every core; anything else is refused naming the function, the parameter and the value", () => {
  const cores = os.availableParallelism();
  assert.equal(experiments.resolveWorkers("f", undefined, {}), Math.min(cores, 64));
  assert.equal(experiments.resolveWorkers("f", null, { FRAGILITY_WORKERS: "3" }), 3);
  assert.equal(experiments.resolveWorkers("f", 5, { FRAGILITY_WORKERS: "3" }), 5);
  assertArgError(() => experiments.resolveWorkers("runSeries", 0, {}), "runSeries", "workers", "0");
  assertArgError(
    () => experiments.resolveWorkers("runSeries", undefined, { FRAGILITY_WORKERS: "two" }),
    "runSeries",
    "FRAGILITY_WORKERS",
    "two",
  );
  assertArgError(
    () => experiments.resolveWorkers("f", undefined, { FRAGILITY_WORKERS: "65" }),
    "FRAGILITY_WORKERS",
    "65",
  );
  for (const c of [
    experiments.tables12Defaults,
    experiments.table3Defaults,
    experiments.scalingDefaults,
  ])
    for (const scale of ["quick", "paper"] as const)
      assert.equal(c[scale].workers, undefined, "no config fixes the worker count");
});

test("a series trained on 1 worker and on 3 gives the same runs", async () => {
  await training.chooseBackend("wasm");
  const a = tmp();
  const b = tmp();
  try {
    const one = await series(a, { workers: 1 });
    const three = await series(b, { workers: 3 });
    assert.deepEqual(one.runs, three.runs);
    assert.deepEqual(
      fs.readdirSync(a).map((f) => fs.readFileSync(path.join(a, f), "utf8")),
      fs.readdirSync(b).map((f) => fs.readFileSync(path.join(b, f), "utf8")),
      "the same cache entries, byte for byte",
    );
  } finally {
    fs.rmSync(a, { recursive: true, force: true });
    fs.rmSync(b, { recursive: true, force: true });
  }
});

test("a truncated, byte-flipped, out-of-range or wrong-key cache entry is reported with its file, then trained again to the same run", async () => {
  // Before: runSeries dropped readCache's reason and retrained without a word (issue 22 §5).
  await training.chooseBackend("wasm");
  const dir = tmp();
  try {
    const first = await series(dir, { workers: 2 });
    const file = (run: number) =>
      path.join(
        dir,
        `${experiments.runKey("linear", config, { seed: 11, stream: "selection", cell: [8, 5000], run })}.json`,
      );
    const text = (run: number) => fs.readFileSync(file(run), "utf8");
    fs.writeFileSync(file(0), text(0).slice(0, 100)); // truncated
    const flipped = text(1).replace(
      /"phi": 0\.(\d)/,
      (_, d: string) => `"phi": 0.${(+d + 1) % 10}`,
    );
    assert.notEqual(flipped, text(1));
    fs.writeFileSync(file(1), flipped); // a byte changed: the checksum no longer matches
    fs.writeFileSync(file(2), text(3)); // another run's entry under run 2's name
    // Out of range with a recomputed checksum: only the schema can tell.
    const entry = JSON.parse(text(4)) as { payload: { phi: number }; checksum: string };
    entry.payload.phi = 1.5;
    const { createHash } = await import("crypto");
    entry.checksum = createHash("sha256").update(JSON.stringify(entry.payload)).digest("hex");
    fs.writeFileSync(file(4), JSON.stringify(entry));
    const warnings: string[] = [];
    const again = await series(dir, { workers: 2, warn: (m) => warnings.push(m) });
    assert.deepEqual(again.runs, first.runs, "trained again to the same runs");
    assert.deepEqual(again.cache, ["corrupt", "corrupt", "stale", "hit", "invalid"]);
    assert.equal(warnings.length, 4, warnings.join("\n"));
    for (const [k, run, why] of [
      [0, 0, /is not valid JSON/],
      [1, 1, /does not match its checksum/],
      [2, 2, /holds another key/],
      [3, 4, /payload\.phi should be <= 1/],
    ] as const) {
      assert.ok(warnings[k].includes(file(run)), `names the file: ${warnings[k]}`);
      assert.match(warnings[k], why);
      assert.match(warnings[k], new RegExp(`training run ${run} again$`));
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
