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
