/** Progress of section 6's series of runs, and a configuration as a two-column table. */
import type { SeriesProgress } from "../experiments/series";
import { progress, table } from "./display";

/** A progress line for series of runs: `update` is the series' onProgress, `done` the final text (await it). */
export function runProgress(): {
  update: (label: string, p: SeriesProgress) => void;
  done: (text: string) => Promise<void>;
} {
  const bar = progress("");
  return {
    update: (label, p) =>
      bar.update(
        `${label}: ${p.done} runs trained` +
          [...p.running].map(([r, e]) => `; run ${r} at epoch ${e}`).join(""),
      ),
    // The final text does not say whether the cache was used: executed notebooks must not depend on it.
    done: (text) => bar.done(text),
  };
}

/** A config as rows of (setting, value): nested objects flattened to dotted keys, arrays joined. */
export function configTable(config: object, caption: string): void {
  const rows: Array<{ setting: string; value: string }> = [];
  const walk = (prefix: string, v: unknown) => {
    if (Array.isArray(v))
      rows.push({
        setting: prefix,
        value: v.map((x) => (Array.isArray(x) ? `[${x.join(", ")}]` : String(x))).join(", "),
      });
    else if (v && typeof v === "object")
      for (const [k, x] of Object.entries(v)) walk(prefix ? `${prefix}.${k}` : k, x);
    else rows.push({ setting: prefix, value: String(v) });
  };
  walk("", config);
  table(rows, {
    caption,
    columns: [
      { key: "setting", label: "setting" },
      { key: "value", label: "value" },
    ],
  });
}
