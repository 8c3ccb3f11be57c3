/**
 * The headless runner through the real Jupyter kernel, on small fixture notebooks
 * (test/fixtures) that pass, fail a cell, fail a claim, or fault without failing a cell.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  isClean,
  parseParameters,
  parseValue,
  readNotebook,
  injectParameters,
} from "../../scripts/notebook";
import { parseArgs } from "../../scripts/reproduce";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const FIXTURES = path.join(ROOT, "test", "fixtures");
const RUNNER = path.join(ROOT, "dist", "scripts", "reproduce.js");

function run(args: string[]): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [RUNNER, ...args], { encoding: "utf8" });
  return { status: r.status, out: r.stdout + r.stderr };
}

function fixture(
  name: string,
  out: string,
  ...extra: string[]
): { status: number | null; out: string } {
  return run([
    "--notebooks",
    FIXTURES,
    "--out",
    out,
    "--scale",
    "quick",
    "--no-html",
    ...extra,
    name,
  ]);
}

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "runner-"));
}

test("parameters cell: types, literal choices and nullable numbers are read", () => {
  const p = parseParameters(readNotebook(path.join(FIXTURES, "ok.ipynb")));
  assert.deepEqual([...p.keys()], ["scale", "seed", "fail", "label", "size"]);
  assert.deepEqual(p.get("scale")?.choices, ["quick", "paper"]);
  assert.equal(p.get("seed")?.type, "number");
  assert.equal(p.get("fail")?.type, "boolean");
  assert.equal(p.get("size")?.type, "number");
  assert.equal(parseValue(p.get("seed")!, "12"), 12);
  assert.throws(
    () => parseValue(p.get("seed")!, "twelve"),
    /parameter seed expects a number, got "twelve"/,
  );
  assert.throws(() => parseValue(p.get("fail")!, "yes"), /parameter fail expects true or false/);
  assert.throws(
    () => parseValue(p.get("scale")!, "huge"),
    /parameter scale expects one of quick, paper, got "huge"/,
  );
  const injected = injectParameters(
    readNotebook(path.join(FIXTURES, "ok.ipynb")),
    new Map<string, string | number | boolean>([
      ["seed", 5],
      ["label", 'a"b'],
    ]),
  );
  const i = injected.cells.findIndex((c) =>
    (c.metadata.tags ?? []).includes("injected-parameters"),
  );
  assert.ok(
    i > 0 && (injected.cells[i - 1].metadata.tags ?? []).includes("parameters"),
    "injected right after the parameters cell",
  );
  assert.equal(injected.cells[i].source, '{\n  seed = 5;\n  label = "a\\"b";\n}');
});

test("command line: bad options and values are usage errors", () => {
  assert.throws(() => parseArgs(["--scale", "huge"]), /--scale expects one of quick, paper/);
  assert.throws(() => parseArgs(["--set", "novalue"]), /--set expects key=value/);
  assert.throws(() => parseArgs(["--timeout", "0"]), /--timeout expects/);
  assert.throws(() => parseArgs(["--frobnicate"]), /unknown option --frobnicate/);
  assert.deepEqual(parseArgs(["--set", "d=16", "--set=seed=3", "lemma"]).sets, [
    ["d", "16"],
    ["seed", "3"],
  ]);
});

test("the runner exits with 2 on an unknown notebook, parameter or badly typed value, before running anything", () => {
  const out = tmp();
  const cases: Array<[string[], RegExp]> = [
    [
      ["--notebooks", FIXTURES, "--out", out, "nosuchnotebook"],
      /no notebook matches "nosuchnotebook"/,
    ],
    [
      ["--notebooks", FIXTURES, "--out", out, "--set", "nosuch=1", "ok"],
      /unknown parameter "nosuch"/,
    ],
    [["--notebooks", FIXTURES, "--out", out, "--set", "scale=paper", "ok"], /set by --scale/],
    [
      ["--notebooks", FIXTURES, "--out", out, "--set", "seed=abc", "ok"],
      /ok: parameter seed expects a number, got "abc"/,
    ],
    [
      ["--notebooks", FIXTURES, "--out", out, "--scale", "big", "ok"],
      /--scale expects one of quick, paper/,
    ],
  ];
  for (const [args, message] of cases) {
    const r = run(args);
    assert.equal(r.status, 2, r.out);
    assert.match(r.out, message);
  }
  assert.deepEqual(fs.readdirSync(out), [], "nothing written");
});

test("a passing notebook writes the executed notebook, claims and results; two runs give identical files", () => {
  const out = tmp();
  const r = fixture("ok", out, "--set", "seed=7", "--set", "label=hello", "--set", "size=3");
  assert.equal(r.status, 0, r.out);
  const claims = JSON.parse(fs.readFileSync(path.join(out, "claims", "ok.json"), "utf8"));
  assert.equal(claims.notebook, "ok");
  assert.equal(claims.seed, 7);
  assert.equal(claims.scale, "quick");
  assert.ok(claims.claims.every((c: { passed: boolean }) => c.passed));
  assert.match(claims.claims[0].name, /seed echoes 7, size 3, label hello/);
  const overrides = { seed: 7, label: "hello", size: 3 };
  assert.deepEqual(claims.run, { scale: "quick", seed: 7, overrides });
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(out, "results", "ok.json"), "utf8")), {
    notebook: "ok",
    scale: "quick",
    seed: 7,
    backend: "none",
    headline: [],
    label: "hello",
    run: { scale: "quick", seed: 7, overrides },
  });
  const first = fs.readFileSync(path.join(out, "notebooks", "ok.ipynb"), "utf8");
  const executed = JSON.parse(first);
  assert.ok(
    executed.cells.every(
      (c: { metadata: Record<string, unknown> }) => !("execution" in c.metadata),
    ),
    "no timing metadata",
  );
  assert.ok(
    !first.includes("__FRAGILITY_FAULTS__") && !first.includes(".tmp"),
    "no runner internals in the notebook",
  );
  assert.equal(
    fixture("ok", out, "--set", "seed=7", "--set", "label=hello", "--set", "size=3").status,
    0,
  );
  assert.equal(
    fs.readFileSync(path.join(out, "notebooks", "ok.ipynb"), "utf8"),
    first,
    "identical executed notebook",
  );
  assert.deepEqual(fs.readdirSync(path.join(out, ".tmp")), [], "temporary run folders removed");
});

test("a failed claim fails the run and leaves the earlier results in place", () => {
  const out = tmp();
  assert.equal(fixture("ok", out).status, 0);
  const before = fs.readFileSync(path.join(out, "claims", "ok.json"), "utf8");
  const notebookBefore = fs.readFileSync(path.join(out, "notebooks", "ok.ipynb"), "utf8");
  const r = fixture("ok", out, "--set", "fail=true");
  assert.equal(r.status, 1, r.out);
  assert.match(r.out, /theorem claim failed \[fail\]: fail is false/);
  assert.equal(fs.readFileSync(path.join(out, "claims", "ok.json"), "utf8"), before);
  assert.equal(fs.readFileSync(path.join(out, "notebooks", "ok.ipynb"), "utf8"), notebookBefore);
  assert.ok(
    fs.existsSync(path.join(out, "failed", "ok.ipynb")),
    "the failed execution is kept for inspection",
  );
  const failedClaims = JSON.parse(fs.readFileSync(path.join(out, "failed", "ok.json"), "utf8"));
  assert.equal(failedClaims.claims.find((c: { id: string }) => c.id === "fail").passed, false);
  assert.equal(fixture("ok", out).status, 0);
  assert.ok(
    !fs.existsSync(path.join(out, "failed", "ok.ipynb")),
    "a later success removes the stale failed copy",
  );
});

test("a failing cell is reported with its number, source and stderr", () => {
  const r = fixture("failing-cell", tmp());
  assert.equal(r.status, 1);
  assert.match(r.out, /cell 3 of 5 failed/);
  assert.match(r.out, /throw new Error\("deliberate failure " \+ \(before \+ 1\)\)/);
  assert.match(r.out, /Error: deliberate failure 42/);
});

test("a type error is reported with the compiler's message", () => {
  const r = fixture("type-error", tmp());
  assert.equal(r.status, 1);
  assert.match(r.out, /Type 'string' is not assignable to type 'number'/);
});

test("an unawaited promise rejection and an exception in a callback fail the run", () => {
  const a = fixture("unawaited", tmp());
  assert.equal(a.status, 1, a.out);
  assert.match(a.out, /unhandled promise rejection.*rejected and nobody awaited/);
  const b = fixture("callback", tmp());
  assert.equal(b.status, 1, b.out);
  assert.match(b.out, /uncaught exception in a callback: Error: thrown in a timer callback/);
});

test("a cell that exceeds the per-cell timeout fails the run and is named", () => {
  const r = fixture("slow-cell", tmp(), "--timeout", "3");
  assert.equal(r.status, 1, r.out);
  assert.match(r.out, /cell 3 of 4 exceeded the per-cell timeout/);
  assert.match(r.out, /setTimeout\(r, 20000\)/);
});

test("progress updates from timer callbacks never kill the kernel, and the final text is what stays", () => {
  const out = tmp();
  const r = fixture("progress-storm", out);
  assert.equal(r.status, 0, r.out);
  const nb = fs.readFileSync(path.join(out, "notebooks", "progress-storm.ipynb"), "utf8");
  assert.ok(nb.includes("storm finished"), "the final progress text is in the executed notebook");
});

test("a burst of displays past zeromq's queue, with the WASM backend's hook installed, does not kill the kernel", () => {
  // Before lib/show/zmq-sends.ts this fixture died every time with EBUSY ("Socket is busy writing").
  const r = fixture("big-displays", tmp());
  assert.equal(r.status, 0, r.out);
});

test("a notebook that writes no claims summary fails the run", () => {
  const r = fixture("no-claims", tmp());
  assert.equal(r.status, 1);
  assert.match(r.out, /wrote no claims summary/);
});

test("notebooks and fixtures are committed without outputs", () => {
  for (const dir of [path.join(ROOT, "notebooks"), FIXTURES]) {
    for (const f of fs.readdirSync(dir).filter((x) => x.endsWith(".ipynb"))) {
      assert.ok(isClean(readNotebook(path.join(dir, f))), `${f} has outputs or execution counts`);
    }
  }
});
