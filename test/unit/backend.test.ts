import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import * as training from "../../lib/training";

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
