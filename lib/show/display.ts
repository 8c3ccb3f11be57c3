/**
 * The only place that calls tslab.display: tables, claims, figures, progress and provenance in a
 * notebook. Figures use plotly.js (≥ 3 sets window.Plotly, which works under nbconvert's require.js),
 * inlined once per kernel session before the first figure, so that executed notebooks and their
 * HTML open offline.
 */
import * as fs from "fs";
import * as tslab from "tslab";
import type { Claim, Ledger } from "../claims/ledger";
import { notebookName } from "../claims/outputs";
import {
  escapeHtml,
  fileSlug,
  renderClaims,
  renderFigure,
  renderTable,
  type TableOptions,
} from "./render";
import { serialiseZmqSends } from "./zmq-sends";

// Before anything is displayed: tslab's concurrent sends must not kill the kernel (see zmq-sends.ts).
serialiseZmqSends();

export function html(s: string): void {
  tslab.display.html(s);
}

export function markdown(s: string): void {
  tslab.display.markdown(s);
}

export function table(rows: ReadonlyArray<object>, options: TableOptions = {}): void {
  html(renderTable(rows, options));
}

/** Shows claims: a whole ledger (with its summary), or the given claims (the checks of one step). */
export function claims(...items: Array<Claim | Ledger>): void {
  const ledger = items.length === 1 && !("passed" in items[0]) ? (items[0] as Ledger) : undefined;
  const rows = ledger ? ledger.finalClaims : (items as Claim[]);
  html(renderClaims(rows, ledger));
}

let plotlyInlined = false;
let figureCount = 0;

/**
 * The notebook's name for file names: the headless runner's stem, else the notebook Jupyter
 * reports to the kernel (JPY_SESSION_NAME, Jupyter Server 2 and later), else "notebook".
 */
function notebookStem(): string {
  const session = process.env.JPY_SESSION_NAME;
  const fallback = session ? (session.split(/[\\/]/).pop() ?? "").replace(/\.ipynb$/, "") : "";
  return notebookName(fallback || "notebook");
}

/** The title's text of a figure, whether written as a string or as `{ text }`. */
function figureTitle(layout: Record<string, unknown> | undefined): string {
  const t = layout?.title;
  if (typeof t === "string") return t;
  const text = (t as { text?: unknown } | undefined)?.text;
  return typeof text === "string" ? text : "";
}

/**
 * A Plotly figure. Div ids count figures in this kernel session, so executed notebooks are
 * reproducible; the mode bar's camera saves `<notebook>-figure-<n>-<title>.svg`.
 */
export function plot(figure: { data: unknown[]; layout?: Record<string, unknown> }): void {
  const n = figureCount + 1;
  const title = fileSlug(figureTitle(figure.layout));
  const filename = `${fileSlug(notebookStem()) || "notebook"}-figure-${n}${title ? `-${title}` : ""}`;
  // Rendered first: a refused figure displays nothing and leaves the counts as they were.
  const rendered = renderFigure(`fragility-figure-${n}`, figure, { filename });
  let prefix = "";
  if (!plotlyInlined) {
    const source = fs.readFileSync(
      require.resolve("plotly.js-cartesian-dist-min/plotly-cartesian.min.js"),
      "utf8",
    );
    prefix = `<script type="text/javascript">${source}</script>\n`;
  }
  html(prefix + rendered);
  plotlyInlined = true;
  figureCount = n;
}

/** A display that later calls overwrite: progress of long computations. */
export interface Progress {
  /** Shows text soon: at most every PROGRESS_INTERVAL_MS; an update that finds the kernel's socket busy is skipped. */
  update(text: string): void;
  /** Shows the final text, waiting for the kernel's socket if it is busy; await it before the cell ends. */
  done(text: string): Promise<void>;
}

export const PROGRESS_INTERVAL_MS = 200;

/** tslab's ZeroMQ socket refuses a send while the previous one is still being written. */
function isSocketBusy(e: unknown): boolean {
  return typeof e === "object" && e !== null && (e as { code?: string }).code === "EBUSY";
}

/**
 * Progress of long computations, safe to update from timers and worker-thread events. A plain display
 * update from such a callback can find tslab's socket busy; the error would be thrown outside any cell,
 * and the WASM backend's uncaughtException hook would then kill the kernel.
 */
export function progress(initial = ""): Progress {
  const d = tslab.newDisplay();
  const write = (text: string) => d.html(`<pre style="margin:0">${escapeHtml(text)}</pre>`);
  write(initial);
  let last = Date.now();
  return {
    update(text: string): void {
      if (Date.now() - last < PROGRESS_INTERVAL_MS) return;
      try {
        write(text);
        last = Date.now();
      } catch (e) {
        if (!isSocketBusy(e)) throw e;
      }
    },
    async done(text: string): Promise<void> {
      for (let attempt = 0; ; attempt++) {
        try {
          write(text);
          return;
        } catch (e) {
          if (!isSocketBusy(e) || attempt >= 500) throw e;
          await new Promise((r) => setTimeout(r, 10));
        }
      }
    },
  };
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
      { item: "backend", value: p.backend },
      { item: "tfjs", value: p.tfjs },
      { item: "tslab", value: tslab.versions.tslab },
      { item: "TypeScript (tslab)", value: tslab.versions.typescript },
      { item: "Node", value: tslab.versions.node },
    ],
    { caption: "Provenance" },
  );
}
