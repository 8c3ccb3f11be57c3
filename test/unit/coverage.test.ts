/**
 * data/paper/statements.json, the coverage of the paper: every statement lists the claims that
 * check it or says why it is not checked, and every listed claim id is in its notebook's source.
 * (The notebook test checks the same ids against the claims files of a real run.)
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import * as data from "../../lib/data";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const NOTEBOOKS = path.join(ROOT, "notebooks");

/** The notebook file for a check's number ("02" in "02:far-apart"). */
function notebookFor(check: string): string | undefined {
  const num = check.split(":")[0];
  return fs.readdirSync(NOTEBOOKS).find((f) => f.startsWith(`${num}-`) && f.endsWith(".ipynb"));
}

test("every statement of the paper is checked by named claims or says why not", () => {
  const { statements } = data.statements();
  const ids = new Set<string>();
  for (const s of statements) {
    assert.ok(!ids.has(s.id), `statement ${s.id} is listed once`);
    ids.add(s.id);
    assert.ok(s.where && s.text, `${s.id} says where and what`);
    assert.ok(
      s.checks.length > 0 || (s.unchecked ?? "").length > 10,
      `${s.id} (${s.where}) lists the claims that check it, or why it is not checked`,
    );
    for (const c of s.checks) assert.match(c, /^\d\d:[a-z0-9][a-z0-9.-]*$/, `${s.id}: check ${c}`);
  }
});

test("every claim id the coverage table lists is in its notebook's source", () => {
  for (const s of data.statements().statements) {
    for (const c of s.checks) {
      const file = notebookFor(c);
      assert.ok(file, `${s.id}: no notebook numbered ${c.split(":")[0]}`);
      const source = fs.readFileSync(path.join(NOTEBOOKS, file!), "utf8");
      const id = c.split(":")[1];
      const literal = new RegExp(`[\\\\]?["\`]${id.replace(/[.]/g, "\\.")}(@|\\\\?["\`])`);
      assert.match(source, literal, `${s.id}: claim ${id} is not in ${file}`);
    }
  }
});
