/** The index's verdict board (scripts/verdict-board.ts): outcomes from the claims, failures first. */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as claims from "../../lib/claims";
import * as stats from "../../lib/stats";
import { board, boardHtml } from "../../scripts/verdict-board";
import type { CoverageRow } from "../../scripts/review-index";

function row(id: string, checks: Array<{ ref: string; claims: claims.Claim[] }>): CoverageRow {
  return {
    statement: {
      id,
      where: "Section 6",
      text: `statement ${id}`,
      checks: checks.map((c) => c.ref),
    },
    checks: checks.map((c) => ({ ...c, entry: null })),
    status: "checked",
  };
}

test("the board decides each statement from its claims and lists failures and undecided verdicts first", () => {
  const l = new claims.Ledger("nb");
  const v = (id: string, k: number, n: number) =>
    l.verdict(id, id, {
      ...stats.rateVerdict({ k, n, kPaper: 20, nPaper: 50, margin: [-0.15, 0.15] }),
      statement: "20 of 50",
      marginSource: "test",
    });
  const contradicted = v("a", 190, 200);
  const reproduced = v("b", 2000, 5000);
  const undecided = v("c", 5, 10);
  const theorem = l.theorem("t", "a theorem").atMost(0, 1);
  const failed = l.theorem("f", "a failing theorem").atMost(2, 1);
  const rows = board([
    row("checked", [{ ref: "01:t", claims: [theorem] }]),
    row("unchecked", []),
    row("contradicted", [
      { ref: "07:a", claims: [contradicted] },
      { ref: "01:t", claims: [theorem] },
    ]),
    row("reproduced", [{ ref: "07:b", claims: [reproduced] }]),
    row("inconclusive", [
      { ref: "07:c", claims: [undecided] },
      { ref: "07:b", claims: [reproduced] },
    ]),
    row("failing", [{ ref: "01:f", claims: [failed] }]),
    row("missing", [{ ref: "09:gone", claims: [] }]),
  ]);
  assert.deepEqual(
    rows.map((r) => [r.row.statement.id, r.outcome]),
    [
      ["failing", "failing"],
      ["missing", "not in this run"],
      ["inconclusive", "inconclusive"],
      ["contradicted", "contradicted"],
      ["reproduced", "reproduced"],
      ["checked", "checked"],
      ["unchecked", "not checked"],
    ],
  );
  assert.equal(rows[3].decisive?.ref, "07:a", "the contradicting verdict's numbers are shown");
  assert.match(rows[3].numbers, /^contradicted: ours 0\.95/);
  const html = boardHtml(rows, (ref, _c, label) => `<a href="#${ref}">${label}</a>`);
  assert.match(html, /1 failing<\/b>, <b[^>]*>1 not in this run<\/b>, <b[^>]*>1 inconclusive/);
  assert.ok(html.indexOf("board-failing") < html.indexOf("board-checked"));
});
