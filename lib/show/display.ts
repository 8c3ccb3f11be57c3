/**
 * The only place that calls tslab.display: tables, claims, figures, progress and provenance in a
 * notebook. Figures use plotly.js (≥ 3 sets window.Plotly, which works under nbconvert's require.js),
 * inlined once per kernel session before the first figure, so that executed notebooks and their
 * HTML open offline.
 */
import * as fs from "fs";
import * as tslab from "tslab";
import type { Claim, Ledger } from "../claims/ledger";
import { escapeHtml, renderClaims, renderFigure, renderTable, type TableOptions } from "./render";

export function html(s: string): void {
  tslab.display.html(s);
}

export function markdown(s: string): void {
  tslab.display.markdown(s);
}

export function table(rows: ReadonlyArray<Record<string, unknown>>, options: TableOptions = {}): void {
  html(renderTable(rows, options));
}

/** Shows claims: a whole ledger (with its summary), or the given claims (the checks of one step). */
export function claims(...items: Array<Claim | Ledger>): void {
  const ledger = items.length === 1 && !("passed" in items[0]) ? (items[0] as Ledger) : undefined;
  const rows = ledger ? ledger.claims : (items as Claim[]);
  html(renderClaims(rows, ledger));
}

let plotlyInlined = false;
let figureCount = 0;

/** A Plotly figure. Div ids count figures in this kernel session, so executed notebooks are reproducible. */
export function plot(figure: { data: unknown[]; layout?: Record<string, unknown> }): void {
  let prefix = "";
  if (!plotlyInlined) {
    const source = fs.readFileSync(require.resolve("plotly.js-dist-min/plotly.min.js"), "utf8");
    prefix = `<script type="text/javascript">${source}</script>\n`;
    plotlyInlined = true;
  }
  figureCount += 1;
  html(prefix + renderFigure(`fragility-figure-${figureCount}`, figure));
}

/** A display that later calls overwrite: progress of long computations. */
export function progress(initial = ""): (text: string) => void {
  const d = tslab.newDisplay();
  const update = (text: string) => d.html(`<pre style="margin:0">${escapeHtml(text)}</pre>`);
  update(initial);
  return update;
}

export interface Provenance {
  notebook: string;
  scale: string;
  seed: number;
  backend: string;
  tfjs: string;
}

/** The versions and settings that determine this notebook's numbers. */
export function provenance(p: Provenance): void {
  table(
    [
      { item: "notebook", value: p.notebook },
      { item: "scale", value: p.scale },
      { item: "seed", value: p.seed },
      { item: "tfjs backend", value: p.backend },
      { item: "tfjs", value: p.tfjs },
      { item: "tslab", value: tslab.versions.tslab },
      { item: "TypeScript (tslab)", value: tslab.versions.typescript },
      { item: "Node", value: tslab.versions.node },
    ],
    { caption: "Provenance" },
  );
}
