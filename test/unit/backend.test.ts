import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import * as training from "../../lib/training";
import { spawnSync } from "node:child_process";
import * as path from "node:path";

test("the default backend is the first that loads (tfjs-node, else WASM, else CPU)", async () => {
  let nodeInstalled = true;
  try {
    require.resolve("@tensorflow/tfjs-node");
  } catch {
    nodeInstalled = false;
  }
  const info = await training.chooseBackend("");
  assert.equal(info.name, nodeInstalled ? "tensorflow" : "wasm");
  assert.equal(tf.getBackend(), info.name);
  assert.equal(info.tfjsVersion, tf.version.tfjs);
});

test("a backend can be forced; an unknown or unavailable one is an error, not a fallback", async () => {
  const cpu = await training.chooseBackend("cpu");
  assert.equal(cpu.name, "cpu");
  assert.equal(tf.getBackend(), "cpu");
  assert.match(cpu.reason, /requested/);
  await assert.rejects(
    training.chooseBackend("gpu"),
    /chooseBackend: parameter request \(FRAGILITY_BACKEND\) = "gpu" must be one of/,
  );
  let nodeInstalled = true;
  try {
    require.resolve("@tensorflow/tfjs-node");
  } catch {
    nodeInstalled = false;
  }
  if (!nodeInstalled) await assert.rejects(training.chooseBackend("node"), /could not be loaded/);
});

test("the float64 modules and the WebAssembly trainers load without tfjs", () => {
  // In a fresh process: what lib/theorems/ and the experiments' workers may import without tfjs.
  const dir = path.join(__dirname, "..", "..", "lib", "training");
  const modules = [
    "config",
    "adam",
    "batches",
    "linear64",
    "linear-fast",
    "relu64",
    "hypercube-relu",
  ];
  const script = `${modules.map((m) => `require(${JSON.stringify(path.join(dir, m))});`).join("")}
    process.stdout.write(JSON.stringify(Object.keys(require.cache).filter((f) => f.includes("@tensorflow"))));`;
  const out = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
  assert.equal(out.status, 0, out.stderr);
  assert.deepEqual(JSON.parse(out.stdout), [], "no @tensorflow module loaded");
});
