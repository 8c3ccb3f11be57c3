/**
 * The runner's progress display (scripts/progress.ts): a live line on a terminal, plain lines
 * elsewhere, and the executor's event file read as it grows. A fake clock: no test waits.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EventFollower, formatElapsed, ProgressDisplay } from "../../scripts/progress";

function sink(isTTY: boolean) {
  const written: string[] = [];
  return { isTTY, columns: 80, write: (t: string) => written.push(t), written };
}

test("elsewhere than a terminal: a plain line per cell start, a heartbeat for a long cell, no control codes", () => {
  let now = 0;
  const out = sink(false);
  const d = new ProgressDisplay(out, () => now);
  d.begin("07-x", "07-x.ipynb");
  now = 1500;
  d.cell("07-x", "cell 3 of 9");
  d.tick();
  now += ProgressDisplay.HEARTBEAT_MS - 1;
  d.tick();
  now += 1;
  d.tick();
  d.line("✓ 07-x.ipynb ok");
  d.end("07-x");
  assert.deepEqual(out.written, [
    "▶ 07-x.ipynb\n",
    "  07-x: cell 3 of 9 (1.5 s)\n",
    "  07-x: cell 3 of 9 still running (1 min 00 s in this cell, 1 min 01 s in all)\n",
    "✓ 07-x.ipynb ok\n",
  ]);
});

test("on a terminal: one live line for every notebook in flight, redrawn in place, cleared before permanent lines and at the end", () => {
  let now = 0;
  const out = sink(true);
  const d = new ProgressDisplay(out, () => now);
  d.begin("07-x", "07-x.ipynb");
  d.begin("09-y", "09-y.ipynb");
  now = 2000;
  d.cell("07-x", "cell 3 of 9");
  const live = out.written[out.written.length - 1];
  assert.match(live, /^… 07-x: cell 3 of 9 · 2\.0 s {2}\| {2}09-y: starting the kernel · 2\.0 s$/);
  d.line("note");
  const i = out.written.lastIndexOf("note\n");
  assert.equal(out.written[i - 1], "\r\x1b[2K", "the live line is cleared first");
  assert.match(out.written[i + 1], /^… 07-x/, "and drawn again below");
  d.stop();
  assert.equal(out.written[out.written.length - 1], "\r\x1b[2K");
  assert.ok(
    out.written.every((w) => [...w].length <= 80 || w.endsWith("\n")),
    "within the width",
  );
});

test("the executor's events are read as the file grows, a torn last line when it is whole", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "progress-"));
  try {
    const file = path.join(dir, "progress.jsonl");
    const f = new EventFollower(file);
    assert.deepEqual(f.read(), [], "no file yet");
    fs.writeFileSync(file, '{"cell": 1, "event": "start"}\n{"cell": 1, "ev');
    assert.deepEqual(f.read(), [{ cell: 1, event: "start" }]);
    fs.appendFileSync(file, 'ent": "end", "ok": true, "seconds": 0.5}\n');
    assert.deepEqual(f.read(), [{ cell: 1, event: "end", ok: true, seconds: 0.5 }]);
    assert.deepEqual(f.read(), []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(formatElapsed(59_940), "59.9 s");
  assert.equal(formatElapsed(125_000), "2 min 05 s");
});
