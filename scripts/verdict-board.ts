/**
 * The verdict board that opens the reviewer's index: every statement of the paper
 * (data/paper/statements.json) with its outcome in this run — failing, inconclusive, contradicted,
 * reproduced, checked, not checked — the numbers behind it and links to the claims that decide it,
 * failures and undecided verdicts first (REFEREE.md item 17). Pure: built from the coverage rows.
 */
import { claimStatus, isFailure, type Claim } from "../lib/claims/ledger";
import { escapeHtml, measuredText } from "../lib/show/render";
import type { CoverageRow } from "./review-index";

export const BOARD_OUTCOMES = [
  "failing",
  "not in this run",
  "inconclusive",
  "contradicted",
  "reproduced",
  "checked",
  "not checked",
] as const;
export type BoardOutcome = (typeof BOARD_OUTCOMES)[number];

export interface BoardRow {
  row: CoverageRow;
  outcome: BoardOutcome;
  /** The claim whose numbers the board shows (the deciding one), if any. */
  decisive: { claim: Claim; ref: string } | null;
  /** The numbers behind the outcome, in words. */
  numbers: string;
}

/** A claim that says the data contradict the paper: a contradicted verdict or a standing erratum. */
function contradicts(c: Claim): boolean {
  return c.kind === "erratum" && c.passed;
}

/** Decides one statement's outcome from the claims that check it. */
export function boardRow(row: CoverageRow): BoardRow {
  const all = row.checks.flatMap((k) => k.claims.map((claim) => ({ claim, ref: k.ref })));
  const pick = (f: (c: Claim) => boolean) => all.find((x) => f(x.claim)) ?? null;
  const count = (f: (c: Claim) => boolean) => all.filter((x) => f(x.claim)).length;
  if (!row.checks.length)
    return { row, outcome: "not checked", decisive: null, numbers: row.statement.unchecked ?? "" };
  const missing = row.checks.filter((k) => !k.claims.length).map((k) => k.ref);
  if (missing.length)
    return {
      row,
      outcome: "not in this run",
      decisive: null,
      numbers: `no claim ${missing.join(", ")} in this run`,
    };
  const failing = pick(isFailure);
  if (failing)
    return {
      row,
      outcome: "failing",
      decisive: failing,
      numbers: `${count(isFailure)} failed: ${measuredText(failing.claim)}`,
    };
  const undecided = pick((c) => claimStatus(c) === "inconclusive");
  if (undecided)
    return {
      row,
      outcome: "inconclusive",
      decisive: undecided,
      numbers: measuredText(undecided.claim),
    };
  const erratum = pick(contradicts);
  if (erratum)
    return {
      row,
      outcome: "contradicted",
      decisive: erratum,
      numbers: measuredText(erratum.claim),
    };
  const reproduced = pick((c) => c.kind === "reproduction" && c.passed);
  if (reproduced)
    return {
      row,
      outcome: "reproduced",
      decisive: reproduced,
      numbers: measuredText(reproduced.claim),
    };
  const kinds = [...new Set(all.map((x) => x.claim.kind))].join(", ");
  return {
    row,
    outcome: "checked",
    decisive: all[0] ?? null,
    numbers: `${all.length} claim${all.length === 1 ? "" : "s"} passed (${kinds})`,
  };
}

/** The board's rows, failures and undecided verdicts first, then in the statements' order. */
export function board(rows: readonly CoverageRow[]): BoardRow[] {
  return rows
    .map((r, i) => ({ b: boardRow(r), i }))
    .sort(
      (x, y) =>
        BOARD_OUTCOMES.indexOf(x.b.outcome) - BOARD_OUTCOMES.indexOf(y.b.outcome) || x.i - y.i,
    )
    .map((x) => x.b);
}

const COLOR: Record<BoardOutcome, string> = {
  failing: "#cf222e",
  "not in this run": "#cf222e",
  inconclusive: "#9a6700",
  contradicted: "#8250df",
  reproduced: "#1a7f37",
  checked: "#1a7f37",
  "not checked": "#666",
};

/**
 * The board as an HTML section. `link(ref, claim, label)` makes a link to the claim's row on its
 * notebook's page (the index's claimLink).
 */
export function boardHtml(
  rows: readonly BoardRow[],
  link: (ref: string, claim: Claim, label: string) => string,
): string {
  const n = (o: BoardOutcome) => rows.filter((r) => r.outcome === o).length;
  const summary = BOARD_OUTCOMES.filter((o) => n(o) > 0)
    .map((o) => `<b style="color:${COLOR[o]}">${n(o)} ${o}</b>`)
    .join(", ");
  const cell = (s: string, style = "") =>
    `<td style="border:1px solid #ccc;padding:2px 6px;text-align:left${style}">${s}</td>`;
  const body = rows
    .map((r) => {
      const st = r.row.statement;
      const status = (st as { status?: string }).status;
      const refs = r.decisive
        ? link(r.decisive.ref, r.decisive.claim, escapeHtml(r.decisive.ref))
        : escapeHtml(r.row.checks.map((k) => k.ref).join(", "));
      return (
        `<tr id="board-${escapeHtml(st.id)}">` +
        cell(`<b style="color:${COLOR[r.outcome]}">${r.outcome}</b>`) +
        cell(escapeHtml(st.where)) +
        cell(
          escapeHtml(st.text) +
            (status ? `<div style="color:#666;font-size:85%">${escapeHtml(status)}</div>` : ""),
        ) +
        cell(escapeHtml(r.numbers)) +
        cell(refs) +
        `</tr>`
      );
    })
    .join("\n");
  const th = (t: string) => `<th style="border:1px solid #ccc;padding:2px 6px">${t}</th>`;
  return (
    `<section id="board"><h2>Verdicts on the paper's statements</h2>` +
    `<p>${rows.length} statements: ${summary}. <i>Reproduced</i>: a number of the paper shown within a margin fixed before the runs; <i>contradicted</i>: shown outside it, or an erratum that stands; <i>inconclusive</i>: neither (the data cannot tell; the run still passes); <i>checked</i>: every claim that checks it passed; <i>failing</i>: a claim failed. Failures and undecided verdicts come first.</p>` +
    `<table style="border-collapse:collapse;margin:4px 0 12px"><thead><tr>${th("outcome")}${th("where")}${th("the paper states")}${th("the numbers")}${th("decided by")}</tr></thead><tbody>\n${body}\n</tbody></table></section>`
  );
}
