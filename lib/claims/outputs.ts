import * as fs from "fs";
import * as path from "path";
import type { Ledger } from "./ledger";

/**
 * A headless run (scripts/reproduce) tells the kernel where to leave its outputs through these
 * environment variables; the runner moves them into build/ only when the whole notebook succeeded.
 */
export const RUN_DIR_ENV = "FRAGILITY_RUN_DIR";
export const NOTEBOOK_ENV = "FRAGILITY_NOTEBOOK";

/** The notebook's stem in a headless run, else the given fallback. */
export function notebookName(fallback: string): string {
  return process.env[NOTEBOOK_ENV] || fallback;
}

/** Writes JSON to dir/name atomically (temporary file, then rename). */
export function writeJsonAtomic(file: string, data: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(data, null, 2) + "\n");
  fs.renameSync(tmp, file);
}

/** The file in the headless run's directory, or null in an interactive session. */
function runFile(name: string): string | null {
  const dir = process.env[RUN_DIR_ENV];
  return dir ? path.join(dir, name) : null;
}

/**
 * Writes the claims summary for the runner (claims.json in the run directory). In an interactive
 * session there is no run directory and nothing is written. Returns nothing: tslab prints a cell's
 * last value, and a path to a temporary folder would make executed notebooks differ between runs.
 */
export function saveClaims(ledger: Ledger, meta: { scale: string; seed: number; backend: string }): void {
  const file = runFile("claims.json");
  if (file) writeJsonAtomic(file, ledger.toJSON(meta));
}

/** Writes the reproduced numbers (results.json in the run directory), e.g. tables beside the paper's values. */
export function saveResults(results: Record<string, unknown>): void {
  const file = runFile("results.json");
  if (file) writeJsonAtomic(file, results);
}
