/** The result cache (lib/experiments/cache.ts). */
import { test, type TestContext } from "node:test";
import * as assert from "node:assert/strict";
import { createHash } from "crypto";
import { spawnSync } from "child_process";
import * as fs from "fs";
import nodeFs from "fs"; // the module object itself, whose functions a test may replace
import * as os from "os";
import * as path from "path";
import { Worker } from "worker_threads";
import * as experiments from "../../lib/experiments";

const S = experiments.cacheSchema;

/** A fresh cache folder, removed when the test ends (passing or failing). */
function tmpDir(t: TestContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cache-"));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A run of a protocol, as the cache stores it. */
interface Run {
  run: number;
  valid: boolean;
  phi: number;
  rho: number[];
}
const runsKind = (versions: experiments.Versions = { trainer: 1, protocol: 1 }) =>
  experiments.cacheKind<Run[]>({
    name: "runs",
    versions,
    validate: S.array(
      S.object({
        run: S.number({ integer: true, min: 0 }),
        valid: S.boolean(),
        phi: S.number({ min: 0, max: 1 }),
        rho: S.array(S.number()),
      }),
      { minLength: 1 },
    ),
  });
const RUNS: Run[] = [
  { run: 0, valid: true, phi: 0.29, rho: [0.4, 0.5] },
  { run: 1, valid: false, phi: 0.31, rho: [0.3] },
];

/** Writes an entry by hand with a correct checksum (what an edit that recomputes it leaves). */
function forge(file: string, key: string, payload: unknown, extra: object = {}): void {
  const checksum = createHash("sha256").update(JSON.stringify(payload)).digest("hex");
  fs.writeFileSync(file, JSON.stringify({ key, ...extra, checksum, payload }));
}

test("the cache returns a valid entry and recomputes a corrupt or stale one", async (t) => {
  const dir = tmpDir(t);
  const key = experiments.cacheKey("t", { a: 1, b: [2, 3] });
  assert.equal(key, experiments.cacheKey("t", { b: [2, 3], a: 1 }), "key ignores property order");
  assert.notEqual(key, experiments.cacheKey("t", { a: 2, b: [2, 3] }));
  let computed = 0;
  const compute = async () => ({ value: ++computed });
  const warnings: string[] = [];
  const warn = (m: string) => warnings.push(m);
  assert.equal((await experiments.cached(key, compute, { dir, warn })).status, "miss");
  const hit = await experiments.cached(key, compute, { dir, warn });
  assert.equal(hit.status, "hit");
  assert.deepEqual(hit.value, { value: 1 });
  const file = path.join(dir, `${key}.json`);
  fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace('"value": 1', '"value": 7'));
  const corrupt = await experiments.cached(key, compute, { dir, warn });
  assert.equal(corrupt.status, "corrupt");
  assert.deepEqual(corrupt.value, { value: 2 }, "recomputed, not the tampered value");
  fs.writeFileSync(file, "{ not json");
  assert.equal((await experiments.cached(key, compute, { dir, warn })).status, "corrupt");
  const entry = JSON.parse(fs.readFileSync(file, "utf8"));
  fs.writeFileSync(file, JSON.stringify({ ...entry, key: "other" }));
  assert.equal((await experiments.cached(key, compute, { dir, warn })).status, "stale");
  assert.equal(
    (await experiments.cached(key, compute, { dir, warn, force: true })).status,
    "forced",
  );
  assert.equal(warnings.length, 3, "each unusable entry was reported");
  assert.ok(
    warnings.every((w) => w.includes(file)),
    "naming its file",
  );
});

test("the keys of plain kind names are the keys they always were (entries cached before stay valid)", () => {
  // sha256 of canonical({ v: 1, kind: "t", inputs: { a: 1 } }), the key before kinds had versions.
  const material = '{"inputs":{"a":1},"kind":"t","v":1}';
  const hash = createHash("sha256").update(material).digest("hex").slice(0, 20);
  assert.equal(experiments.cacheKey("t", { a: 1 }), `t-${hash}`);
});

test("a payload of the wrong shape with a valid checksum is reported with its file and recomputed", async (t) => {
  // Before: [], {} or a string with a recomputed checksum was a hit, and the caller crashed later
  // with a TypeError that never mentioned the cache.
  const dir = tmpDir(t);
  const kind = runsKind();
  const key = experiments.cacheKey(kind, { seed: 1 });
  const file = path.join(dir, `${key}.json`);
  const wrong: Array<[unknown, RegExp]> = [
    [[], /payload should hold at least 1 items, holds 0/],
    [{}, /payload should be an array, is an object/],
    ["runs", /payload should be an array, is "runs"/],
    [[{ ...RUNS[0], phi: "0.29" }], /payload\[0\]\.phi should be a finite number, is "0\.29"/],
    [[{ ...RUNS[0], rho: undefined }], /payload\[0\]\.rho should be an array, is undefined/],
    [[{ ...RUNS[0], phi: 0.58 * 2 }], /payload\[0\]\.phi should be <= 1, is 1\.16/],
  ];
  for (const [payload, message] of wrong) {
    forge(file, key, payload, { kind: "runs", versions: kind.versions });
    const read = experiments.readCache<Run[]>(key, { dir, kind });
    assert.equal(read.status, "invalid", JSON.stringify(payload));
    assert.equal(read.payload, null);
    assert.match(read.problem ?? "", message);
    assert.ok(read.problem?.includes(file), "the problem names the file");
    const warnings: string[] = [];
    const out = await experiments.cached(key, async () => RUNS, {
      dir,
      kind,
      warn: (m) => warnings.push(m),
    });
    assert.equal(out.status, "invalid");
    assert.deepEqual(out.value, RUNS, "recomputed");
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /does not fit the schema of runs.*; recomputing$/);
    assert.equal(experiments.readCache<Run[]>(key, { dir, kind }).status, "hit", "and replaced");
  }
});

test("the producer's versions are part of every key and entry; an entry of other versions is stale", async (t) => {
  const dir = tmpDir(t);
  const v1 = runsKind({ trainer: 1, protocol: 1 });
  const v2 = runsKind({ trainer: 2, protocol: 1 });
  const inputs = { seed: 1, config: { d: 12 } };
  assert.notEqual(experiments.cacheKey(v1, inputs), experiments.cacheKey(v2, inputs));
  assert.notEqual(experiments.cacheKey(v1, inputs), experiments.cacheKey("runs", inputs));
  assert.match(experiments.cacheKey(v1, inputs), /^runs-[0-9a-f]{20}$/);
  const key = experiments.cacheKey(v1, inputs);
  assert.equal(experiments.writeCache(key, RUNS, { dir, kind: v1 }), true);
  const entry = JSON.parse(fs.readFileSync(path.join(dir, `${key}.json`), "utf8"));
  assert.equal(entry.kind, "runs");
  assert.deepEqual(entry.versions, { trainer: 1, protocol: 1 });
  // The same file read as another version of the producer (a copied or renamed entry).
  fs.writeFileSync(
    path.join(dir, `${key}.json`),
    JSON.stringify({ ...entry, versions: { trainer: 0, protocol: 1 } }),
  );
  const read = experiments.readCache<Run[]>(key, { dir, kind: v1 });
  assert.equal(read.status, "stale");
  assert.match(read.problem ?? "", /written by versions \{"protocol":1,"trainer":0\}/);
  assert.throws(
    () => experiments.readCache(experiments.cacheKey("other", inputs), { dir, kind: v1 }),
    /readCache: parameter key = "other-.*is not a key of kind runs/,
  );
  assert.throws(
    () => experiments.cacheKind({ name: "a/b", versions: {}, validate: S.unknown() }),
    /cacheKind: parameter name = "a\/b"/,
  );
});

test("a result that does not fit its kind's schema (after JSON: NaN becomes null) is not stored", (t) => {
  const dir = tmpDir(t);
  const kind = runsKind();
  const key = experiments.cacheKey(kind, { seed: 2 });
  const warnings: string[] = [];
  const stored = experiments.writeCache(key, [{ ...RUNS[0], phi: NaN }], {
    dir,
    kind,
    warn: (m) => warnings.push(m),
  });
  assert.equal(stored, false);
  assert.match(
    warnings[0],
    /not storing runs-.*payload\[0\]\.phi should be a finite number, is null/,
  );
  assert.equal(fs.readdirSync(dir).length, 0);
});

test("an unwritable cache gives one warning and the computation goes on without caching", async (t) => {
  // Before: 07 computed its whole protocol and then failed with EROFS, and 09's pool callback threw.
  const base = tmpDir(t);
  const blocker = path.join(base, "a-file");
  fs.writeFileSync(blocker, "");
  const dir = path.join(blocker, "cache"); // its parent is a file: ENOTDIR, even for root
  const warnings: string[] = [];
  const warn = (m: string) => warnings.push(m);
  const key = experiments.cacheKey("t", { x: 1 });
  assert.equal(experiments.writeCache(key, { x: 1 }, dir), false, "old call form: no throw");
  const out = await experiments.cached(key, async () => ({ x: 2 }), { dir, warn });
  assert.deepEqual(out.value, { x: 2 });
  assert.equal(out.stored, false);
  assert.equal(
    experiments.writeCache(experiments.cacheKey("t", { x: 3 }), 3, { dir, warn }),
    false,
  );
  assert.equal(warnings.length, 0, "one warning per folder and process (the first call gave it)");
  // A read-only file system (EROFS) on an existing folder, as a read-only mount gives it.
  const roDir = tmpDir(t);
  const original = nodeFs.writeFileSync;
  (nodeFs as { writeFileSync: unknown }).writeFileSync = (file: fs.PathOrFileDescriptor) => {
    throw Object.assign(new Error(`EROFS: read-only file system, open '${String(file)}'`), {
      code: "EROFS",
    });
  };
  try {
    const w: string[] = [];
    const r = await experiments.cached(key, async () => ({ x: 4 }), {
      dir: roDir,
      warn: (m) => w.push(m),
    });
    assert.deepEqual(r.value, { x: 4 });
    assert.equal(r.stored, false);
    assert.equal(w.length, 1);
    assert.match(w[0], /cannot write .* \(EROFS: .*results are not cached and the run goes on/);
  } finally {
    nodeFs.writeFileSync = original;
  }
  assert.deepEqual(fs.readdirSync(roDir), [], "no temporary file left behind");
});

test("FRAGILITY_CACHE_DIR names the default cache folder, read at each call", async (t) => {
  const dir = tmpDir(t);
  const prior = process.env.FRAGILITY_CACHE_DIR;
  process.env.FRAGILITY_CACHE_DIR = dir;
  t.after(() => {
    if (prior === undefined) delete process.env.FRAGILITY_CACHE_DIR;
    else process.env.FRAGILITY_CACHE_DIR = prior;
  });
  const key = experiments.cacheKey("t", { env: 1 });
  await experiments.cached(key, async () => 1);
  assert.ok(fs.existsSync(path.join(dir, `${key}.json`)));
  assert.equal(experiments.cacheDir(), dir);
});

test("concurrent writes of one entry from threads of one process never collide", async (t) => {
  // writeJsonAtomic named its temporary file by the pid only: two threads writing the same entry
  // shared it, and one rename failed with ENOENT.
  const dir = tmpDir(t);
  const outputs = path.resolve(__dirname, "..", "..", "lib", "claims", "outputs.js");
  const script = `
const { workerData, parentPort } = require("worker_threads");
const { writeJsonAtomic } = require(${JSON.stringify(outputs)});
let errors = [];
for (let i = 0; i < workerData.n; i++) {
  try { writeJsonAtomic(workerData.file, { i, payload: "x".repeat(20000) }); }
  catch (e) { errors.push(e.code || e.message); }
}
parentPort.postMessage(errors);
`;
  const file = path.join(dir, "entry.json");
  const run = () =>
    new Promise<string[]>((resolve, reject) => {
      const w = new Worker(script, { eval: true, workerData: { file, n: 400 } });
      w.on("message", resolve);
      w.on("error", reject);
    });
  const errors = (await Promise.all([run(), run(), run()])).flat();
  assert.deepEqual(errors, [], `failed writes: ${errors.length}`);
  assert.deepEqual(fs.readdirSync(dir), ["entry.json"], "no temporary file left");
  assert.equal(typeof JSON.parse(fs.readFileSync(file, "utf8")).i, "number");
});

test("a cache folder under /proc (where a recursive mkdir loops for ever) gives the unwritable-cache warning, not a hang", (t) => {
  // Before: writeJsonAtomic's fs.mkdirSync(…, { recursive: true }) never returned (issue 22 §5).
  if (!fs.existsSync("/proc/self")) {
    t.skip("no /proc on this system");
    return;
  }
  const script = `const e = require(${JSON.stringify(path.resolve(__dirname, "..", "..", "lib", "experiments"))});
    const ok = e.writeCache(e.cacheKey("proc", { a: 1 }), { v: 1 });
    console.log("stored: " + ok);`;
  const r = spawnSync(process.execPath, ["-e", script], {
    env: { ...process.env, FRAGILITY_CACHE_DIR: "/proc/fragility-cache-test/cache" },
    encoding: "utf8",
    timeout: 60_000,
  });
  assert.equal(r.signal, null, "the write returned (it was not killed at the timeout)");
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /stored: false/);
  assert.match(r.stderr, /cache: cannot write \/proc\/fragility-cache-test\/cache \(ENOENT/);
});
