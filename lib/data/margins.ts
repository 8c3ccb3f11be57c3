/**
 * The margins of the theorem notebooks' verdicts (data/paper/margins.json, key "theorems"), fixed
 * from the paper before any run that judges them, each with its justification.
 */
import * as fs from "fs";
import * as path from "path";
import { fail } from "../check";
import { PAPER_DIR } from "./paper";

export interface TheoremMargin {
  margin: [number, number];
  scale: "difference" | "ratio";
  /** What the margin is on. */
  quantity: string;
  /** Why the margin is what it is, from the paper. */
  source: string;
}

/** The margin of one verdict of the theorem notebooks, by its key ("theorem7.label-failure"). */
export function theoremMargin(key: string): TheoremMargin {
  const file = path.join(PAPER_DIR, "margins.json");
  if (!fs.existsSync(file)) fail("theoremMargin", "file", file, "does not exist");
  const all = JSON.parse(fs.readFileSync(file, "utf8")) as {
    theorems?: Record<string, TheoremMargin>;
  };
  const m = all.theorems?.[key];
  if (!m)
    fail(
      "theoremMargin",
      "key",
      key,
      `is not under "theorems" in ${file} (known: ${Object.keys(all.theorems ?? {}).join(", ")})`,
    );
  const [lo, hi] = m.margin;
  const ok = m.scale === "ratio" ? lo > 0 && lo < 1 && hi > 1 : lo < 0 && hi > 0;
  if (!ok) fail("theoremMargin", `${key}.margin`, m.margin, `is not a ${m.scale} margin`);
  if (!m.source) fail("theoremMargin", `${key}.source`, m.source, "must justify the margin");
  return m;
}

/** "data/paper/margins.json theorems.<key>: <source>" for a verdict's marginSource. */
export function marginSource(key: string): string {
  return `data/paper/margins.json theorems.${key}: ${theoremMargin(key).source}`;
}
