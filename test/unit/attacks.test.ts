import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Matrix } from "ml-matrix";
import * as attacks from "../../lib/attacks";
import * as linalg from "../../lib/linalg";
import * as random from "../../lib/random";
import * as training from "../../lib/training";
import { assertArgError, assertClose } from "../helpers";

function linear(W: Matrix, b: number[]): attacks.Differentiable {
  return { outputs: (x) => attacks.linearOutputs(W, b, x), gradients: () => W.to2DArray() };
}

test("DeepFool with bisection finds the closed-form minimum on linear classifiers (relative 1e-6)", () => {
  const r = random.rng(1);
  for (let t = 0; t < 30; t++) {
    const k = 2 + (t % 3);
    const W = random.gaussianMatrix(r, k, 7);
    const b = random.gaussianVector(r, k);
    const x = random.gaussianVector(r, 7);
    const exact = attacks.minimalPerturbationLinear(W, b, x);
    const df = attacks.deepfool(linear(W, b), x, { restarts: 3, rng: r });
    assert.notEqual(df.newLabel, df.label);
    assertClose(df.norm, exact.norm, 1e-6 * exact.norm, `instance ${t}`);
  }
});

test("DeepFool on a ReLU network: the flip is verified, shorter steps along it do not flip, and no tensor leaks", async () => {
  await training.chooseBackend("wasm");
  const p = training.mlpInit(random.rng(2), [5, 30, 2]);
  const clf: attacks.Differentiable = {
    outputs: (x) => training.mlpForward64(p, x),
    gradients: (x) => training.mlpInputGradients(p, x),
  };
  const r = random.rng(3);
  const before = tf.memory().numTensors;
  for (let t = 0; t < 5; t++) {
    const x = random.gaussianVector(r, 5);
    const df = attacks.deepfool(clf, x, { restarts: 2, rng: r });
    assert.notEqual(
      attacks.argmax(clf.outputs(x.map((v, i) => v + df.perturbation[i]))),
      df.label,
      "verified flip",
    );
    assert.equal(
      attacks.argmax(clf.outputs(x.map((v, i) => v + 0.999 * df.perturbation[i]))),
      df.label,
      "minimal along its direction",
    );
  }
  assert.equal(tf.memory().numTensors, before, "no tensor leaked");
});

test("DeepFool refuses bad options", () => {
  const clf = linear(
    new Matrix([
      [1, 0],
      [0, 1],
    ]),
    [0, 0],
  );
  assertArgError(() => attacks.deepfool(clf, [1, 0], { restarts: 2 }), "deepfool", "rng");
  assertArgError(() => attacks.deepfool(clf, [1, NaN]), "deepfool", "x[1]", "NaN");
  assertArgError(
    () => attacks.deepfool(clf, [1, 0], { maxIterations: 0 }),
    "deepfool",
    "maxIterations",
    "0",
  );
});

test("the linear attack is the exact minimum: the tie at its norm, a flip just beyond, no random direction does better", () => {
  const r = random.rng(2);
  for (let t = 0; t < 20; t++) {
    const W = random.gaussianMatrix(r, 4, 6);
    const b = random.gaussianVector(r, 4);
    const x = random.gaussianVector(r, 6);
    const m = attacks.minimalPerturbationLinear(W, b, x);
    assertClose(linalg.norm(m.e), m.norm, 1e-12, "‖e‖");
    const at = attacks.linearOutputs(
      W,
      b,
      x.map((v, i) => v + m.e[i]),
    );
    assertClose(at[m.label], at[m.target], 1e-9, "tie");
    assert.notEqual(
      attacks.argmax(
        attacks.linearOutputs(
          W,
          b,
          x.map((v, i) => v + 1.000001 * m.e[i]),
        ),
      ),
      m.label,
      "flip beyond",
    );
    assert.equal(
      attacks.argmax(
        attacks.linearOutputs(
          W,
          b,
          x.map((v, i) => v + 0.999 * m.e[i]),
        ),
      ),
      m.label,
      "no flip before",
    );
    for (let k = 0; k < 200; k++) {
      const u = random.gaussianVector(r, 6);
      const s = (0.999 * m.norm) / linalg.norm(u);
      assert.equal(
        attacks.argmax(
          attacks.linearOutputs(
            W,
            b,
            x.map((v, i) => v + s * u[i]),
          ),
        ),
        m.label,
        "a shorter random step never flips",
      );
    }
  }
  assertArgError(
    () => attacks.minimalPerturbationLinear(new Matrix([[1, 2]]), null, [1, 1]),
    "minimalPerturbationLinear",
    "parameter W",
    "2 rows",
  );
});
