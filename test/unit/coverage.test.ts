/**
 * data/paper/statements.json, the coverage of the paper: every statement lists the claims that
 * check it or says why it is not checked, carries a status that the kinds of those claims bear
 * out, and every listed claim id is in its notebook's source. (The notebook test checks the same
 * ids against the claims files of a real run.)
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import * as data from "../../lib/data";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const NOTEBOOKS = path.join(ROOT, "notebooks");
/** The notebooks whose claim ids are all literal at their ledger calls. */
const THEOREM_NOTEBOOKS = ["01", "02", "03", "04", "05", "06", "08"];

/** The notebook file for a check's number ("02" in "02:far-apart"). */
function notebookFor(check: string): string | undefined {
  const num = check.split(":")[0];
  return fs.readdirSync(NOTEBOOKS).find((f) => f.startsWith(`${num}-`) && f.endsWith(".ipynb"));
}

/** A notebook's code cells, joined. */
function codeOf(file: string): string {
  const nb = JSON.parse(fs.readFileSync(path.join(NOTEBOOKS, file), "utf8")) as {
    cells: Array<{ cell_type: string; source: string | string[] }>;
  };
  return nb.cells
    .filter((c) => c.cell_type === "code")
    .map((c) => (Array.isArray(c.source) ? c.source.join("") : c.source))
    .join("\n");
}

/**
 * The kinds a notebook gives claim id `id` (`ledger.<kind>("id…` in its code; a verdict's kind
 * follows its outcome, so it is reported as "verdict").
 */
function kindsOf(file: string, id: string): string[] {
  const escaped = id.replace(/[.]/g, "\\.");
  const re = new RegExp(
    `ledger\\s*\\.\\s*(construction|theorem|law|reproduction|erratum|finding|verdict)\\(\\s*["\`]${escaped}(@|["\`])`,
    "g",
  );
  return [...codeOf(file).matchAll(re)].map((m) => m[1]);
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

test("every statement's status is borne out by the kinds of the claims it lists", () => {
  for (const s of data.statements().statements) {
    assert.ok(
      s.status && (data.STATEMENT_STATUSES as readonly string[]).includes(s.status),
      `${s.id}: status ${String(s.status)} is one of ${data.STATEMENT_STATUSES.join(", ")}`,
    );
    const kinds = s.checks.flatMap((c) => {
      const found = kindsOf(notebookFor(c)!, c.split(":")[1]);
      // The theorem notebooks write every claim id literally at its ledger call; section 6's build
      // some from tables (their kinds are checked on a run's claims files, test/integration).
      if (THEOREM_NOTEBOOKS.includes(c.slice(0, 2)))
        assert.ok(found.length > 0, `${s.id}: the kind of ${c} is found in its notebook`);
      return found.length ? found : ["unknown"];
    });
    const nonConstruction = kinds.filter((k) => k !== "construction");
    const known = kinds.filter((k) => k !== "unknown");
    switch (s.status) {
      case "as-stated":
        assert.ok(
          nonConstruction.length > 0,
          `${s.id} is "checked as stated" but every claim it lists is a construction`,
        );
        break;
      case "code-only":
        assert.equal(
          known.filter((k) => k !== "construction").length,
          0,
          `${s.id} is "code-only" but lists ${kinds}`,
        );
        assert.ok((s.how ?? "").length > 10, `${s.id} says how it is checked`);
        break;
      case "weaker":
        assert.ok((s.how ?? "").length > 10, `${s.id} says in which weaker form it is checked`);
        break;
      case "contradicted":
        assert.ok(
          kinds.includes("erratum") || kinds.includes("verdict") || (s.misstatement ?? "") !== "",
          `${s.id} is "contradicted" without an erratum claim or a stated misstatement`,
        );
        assert.ok((s.how ?? "").length > 10, `${s.id} says what is checked instead`);
        break;
      case "not-checked":
        assert.ok((s.unchecked ?? "").length > 10, `${s.id} says why it is not checked`);
        break;
    }
  }
});

test("the paper's misstatements the theorem notebooks found are in the coverage table", () => {
  const byId = new Map(data.statements().statements.map((s) => [s.id, s]));
  for (const id of [
    "theorem1.far-apart",
    "theorem1.whp",
    "theorem6.far-apart",
    "theorem5.bound",
    "lemma3.widths",
    "lemma3.induction",
    "lemma3.typo",
    "theorem4.route",
    "theorem4.proof-step",
    "theorem4.constant-d",
    "theorem7.theta-d",
  ])
    assert.ok((byId.get(id)?.misstatement ?? "").length > 20, `${id} states its misstatement`);
});
