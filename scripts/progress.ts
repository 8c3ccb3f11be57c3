/**
 * What the headless runner shows while notebooks run (issue 22 §2): the cell in flight of each
 * notebook ("cell k of N") and the time since it started. On a terminal, one live line redrawn in
 * place; elsewhere (CI, a pipe, a file), a plain line when a cell starts and, for a cell that runs
 * long, a line every HEARTBEAT_MS. The executor (scripts/execute.py) appends one JSON event per
 * cell start and end to progress.jsonl in the run's folder; the runner follows that file.
 */
import * as fs from "fs";

/** One event of scripts/execute.py's progress.jsonl (cell: index in the executed notebook). */
export interface CellEvent {
  cell: number;
  event: "start" | "end";
  ok?: boolean;
  seconds?: number;
}

/** Reads the events appended to a progress.jsonl since the last read (whole lines only). */
export class EventFollower {
  private offset = 0;
  private partial = "";
  constructor(private readonly file: string) {}

  read(): CellEvent[] {
    let fd: number;
    try {
      fd = fs.openSync(this.file, "r");
    } catch {
      return []; // not written yet
    }
    try {
      const size = fs.fstatSync(fd).size;
      if (size <= this.offset) return [];
      const buf = Buffer.alloc(size - this.offset);
      const n = fs.readSync(fd, buf, 0, buf.length, this.offset);
      this.offset += n;
      const text = this.partial + buf.subarray(0, n).toString("utf8");
      const lines = text.split("\n");
      this.partial = lines.pop() ?? "";
      const events: CellEvent[] = [];
      for (const l of lines) {
        try {
          if (l.trim()) events.push(JSON.parse(l) as CellEvent);
        } catch {
          // a torn line: skipped
        }
      }
      return events;
    } finally {
      fs.closeSync(fd);
    }
  }
}

/** Seconds as "12.3 s" or "4 min 05 s". */
export function formatElapsed(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${String(Math.floor(s - 60 * m)).padStart(2, "0")} s`;
}

/** Where the display writes (process.stdout, or a test's recorder). */
export interface Sink {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

interface InFlight {
  started: number;
  label: string;
  cellStarted: number;
  lastLine: number;
}

/**
 * The runner's progress display. `begin` a notebook, report each `cell` that starts, `line` any
 * permanent message, `end` it; `tick` (every second) redraws the live line on a terminal and
 * writes the heartbeat lines elsewhere.
 */
export class ProgressDisplay {
  /** On a non-terminal, a cell still running after this long gets a line (and again after as long). */
  static readonly HEARTBEAT_MS = 60_000;
  private readonly flights = new Map<string, InFlight>();
  private shown = false;
  readonly live: boolean;

  constructor(
    private readonly out: Sink,
    private readonly now: () => number = Date.now,
  ) {
    this.live = !!out.isTTY;
  }

  begin(stem: string, file: string): void {
    const t = this.now();
    this.flights.set(stem, {
      started: t,
      label: "starting the kernel",
      cellStarted: t,
      lastLine: t,
    });
    this.line(`▶ ${file}`);
  }

  /** A cell started: `label` is "cell k of N". */
  cell(stem: string, label: string): void {
    const f = this.flights.get(stem);
    if (!f) return;
    const t = this.now();
    f.label = label;
    f.cellStarted = t;
    if (this.live) this.redraw();
    else {
      f.lastLine = t;
      this.out.write(`  ${stem}: ${label} (${formatElapsed(t - f.started)})\n`);
    }
  }

  /** A permanent line (the live line, if any, is redrawn below it). */
  line(text: string): void {
    this.clear();
    this.out.write(`${text}\n`);
    if (this.live) this.redraw();
  }

  end(stem: string): void {
    this.flights.delete(stem);
    if (this.live) this.redraw();
  }

  tick(): void {
    const t = this.now();
    if (this.live) {
      this.redraw();
      return;
    }
    for (const [stem, f] of this.flights) {
      if (t - f.lastLine < ProgressDisplay.HEARTBEAT_MS) continue;
      f.lastLine = t;
      this.out.write(
        `  ${stem}: ${f.label} still running (${formatElapsed(t - f.cellStarted)} in this cell, ${formatElapsed(t - f.started)} in all)\n`,
      );
    }
  }

  /** Removes the live line (before the run's last words). */
  stop(): void {
    this.flights.clear();
    this.clear();
  }

  private clear(): void {
    if (this.live && this.shown) {
      this.out.write("\r\x1b[2K");
      this.shown = false;
    }
  }

  private redraw(): void {
    this.clear();
    if (!this.flights.size) return;
    const t = this.now();
    const parts = [...this.flights].map(
      ([stem, f]) => `${stem}: ${f.label} · ${formatElapsed(t - f.started)}`,
    );
    const width = Math.max(20, (this.out.columns ?? 100) - 1);
    let text = `… ${parts.join("  |  ")}`;
    if ([...text].length > width) text = [...text].slice(0, width - 1).join("") + "…";
    this.out.write(text);
    this.shown = true;
  }
}
