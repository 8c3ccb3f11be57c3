import * as os from "os";
import { fail } from "../check";

/** quick: small sizes for tests and a first look; paper: the sizes the paper uses (or states). */
export const SCALES = ["quick", "paper"] as const;
export type Scale = (typeof SCALES)[number];

export function requireScale(fn: string, scale: string): Scale {
  if (!(SCALES as readonly string[]).includes(scale))
    fail(fn, "scale", scale, `must be one of ${SCALES.join(", ")}`);
  return scale as Scale;
}

/**
 * The config for a scale with the notebook's overrides spread over it; null or undefined overrides
 * (a notebook parameter left at "the scale's default") are dropped, unknown keys are an error.
 * (Notebook parameter cells use null: tslab loses a top-level `let x = undefined` between cells.)
 */
export function resolveConfig<C extends object>(
  fn: string,
  defaults: Record<Scale, C>,
  scale: string,
  overrides: { [K in keyof C]?: C[K] | null } = {},
): C {
  const base = defaults[requireScale(fn, scale)];
  const out = { ...base } as C;
  for (const [key, value] of Object.entries(overrides)) {
    if (!(key in base))
      fail(
        fn,
        `overrides.${key}`,
        value,
        `is not a field of the config (fields: ${Object.keys(base).join(", ")})`,
      );
    if (value !== undefined && value !== null) (out as Record<string, unknown>)[key] = value;
  }
  return out;
}

/** An environment variable that sets the worker threads of section 6's series (a whole number). */
export const WORKERS_ENV = "FRAGILITY_WORKERS";
/** The most worker threads a series may start (each holds a network and its data). */
export const MAX_WORKERS = 64;

/**
 * The worker threads that train section 6's runs (lib/experiments/series.ts): `requested` when
 * given, else FRAGILITY_WORKERS, else every core (os.availableParallelism()). No result depends on
 * it: a series' runs are seeded by their index and cut at a prefix (series.ts), so 1 worker and 16
 * give the same numbers. Throws, naming the function, the parameter and the value, on anything but
 * a whole number from 1 to MAX_WORKERS.
 */
export function resolveWorkers(
  fn: string,
  requested?: number | null,
  env: NodeJS.ProcessEnv = process.env,
): number {
  if (requested !== undefined && requested !== null) {
    if (!Number.isInteger(requested) || requested < 1 || requested > MAX_WORKERS)
      fail(fn, "workers", requested, `must be a whole number from 1 to ${MAX_WORKERS}`);
    return requested;
  }
  const text = env[WORKERS_ENV];
  if (text !== undefined && text !== "") {
    const n = Number(text);
    if (!/^\s*\d+\s*$/.test(text) || !Number.isInteger(n) || n < 1 || n > MAX_WORKERS)
      fail(fn, WORKERS_ENV, text, `must be a whole number from 1 to ${MAX_WORKERS}`);
    return n;
  }
  return Math.max(1, Math.min(MAX_WORKERS, os.availableParallelism()));
}
