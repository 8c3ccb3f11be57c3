/**
 * Argument checks shared by the library. Every failure names the function, the parameter and the
 * bad value, e.g. `orthonormalColumns: parameter m = 3 must be >= d = 5`.
 */

/** Formats a value for an error message: short, and exact for numbers. */
export function describe(value: unknown): string {
  if (typeof value === "number") return Number.isNaN(value) ? "NaN" : String(value);
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) {
    const head = value.slice(0, 6).map(describe).join(", ");
    return `[${head}${value.length > 6 ? `, … (${value.length} entries)` : ""}]`;
  }
  if (value === null || value === undefined) return String(value);
  if (typeof value === "object" && "rows" in value && "columns" in value) {
    const m = value as { rows: number; columns: number };
    return `a ${m.rows}×${m.columns} matrix`;
  }
  return String(value);
}

/** The error every precondition throws. */
export class ArgumentError extends Error {
  constructor(
    readonly fn: string,
    readonly param: string,
    readonly value: unknown,
    requirement: string,
  ) {
    super(`${fn}: parameter ${param} = ${describe(value)} ${requirement}`);
    this.name = "ArgumentError";
  }
}

export function fail(fn: string, param: string, value: unknown, requirement: string): never {
  throw new ArgumentError(fn, param, value, requirement);
}

export function requireInteger(
  fn: string,
  param: string,
  value: number,
  min = -Infinity,
  max = Infinity,
): void {
  if (typeof value !== "number" || !Number.isInteger(value))
    fail(fn, param, value, "must be an integer");
  if (value < min) fail(fn, param, value, `must be >= ${min}`);
  if (value > max) fail(fn, param, value, `must be <= ${max}`);
}

export function requireFinite(fn: string, param: string, value: number): void {
  if (typeof value !== "number" || !Number.isFinite(value))
    fail(fn, param, value, "must be a finite number");
}

/** value in (lo, hi) with open or closed ends. */
export function requireInRange(
  fn: string,
  param: string,
  value: number,
  lo: number,
  hi: number,
  closed: [boolean, boolean] = [true, true],
): void {
  requireFinite(fn, param, value);
  const okLo = closed[0] ? value >= lo : value > lo;
  const okHi = closed[1] ? value <= hi : value < hi;
  if (!okLo || !okHi)
    fail(
      fn,
      param,
      value,
      `must lie in ${closed[0] ? "[" : "("}${lo}, ${hi}${closed[1] ? "]" : ")"}`,
    );
}

export function requirePositive(fn: string, param: string, value: number): void {
  requireFinite(fn, param, value);
  if (!(value > 0)) fail(fn, param, value, "must be > 0");
}

/** Every entry finite; names the first bad index. */
export function requireFiniteArray(fn: string, param: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) fail(fn, `${param}[${i}]`, values[i], "must be finite");
  }
}

export function requireNonEmpty(fn: string, param: string, values: ArrayLike<unknown>): void {
  if (values.length === 0) fail(fn, param, [], "must not be empty");
}
