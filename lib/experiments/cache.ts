/**
 * Results cached under data/cache/, keyed by a hash of everything that determines them (config,
 * seed, backend, the producer's versions). An entry is used only when it parses, its key matches,
 * its checksum matches its payload and, for a declared kind, the payload passes the kind's schema
 * and was written by the kind's versions; anything else is reported with its file and recomputed,
 * never silently used. A cache that cannot be written (read-only, full) gives one warning and the
 * run goes on without caching.
 *
 * A checksum anyone can recompute catches accidents, not edits: a payload whose numbers were
 * changed and whose checksum was recomputed still reads as valid when its shape is right. A kind's
 * schema, built with `cacheSchema` (the one way payloads are checked: section 6's runs use it, see
 * linear-run.ts and relu-run.ts), carries range checks (`cacheSchema.number({ min, max })`) and
 * conditions across fields (`cacheSchema.refine`).
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { writeJsonAtomic } from "../claims/outputs";

/** Bump when the meaning of every cached result changes (the producer's own versions go in its kind). */
export const CACHE_VERSION = 1;
/** The default cache folder, data/cache of the checkout (overridden by FRAGILITY_CACHE_DIR). */
export const CACHE_DIR = path.resolve(__dirname, "..", "..", "..", "data", "cache");
/** An environment variable naming another cache folder (read at each call). */
export const CACHE_DIR_ENV = "FRAGILITY_CACHE_DIR";

/** The cache folder used when a call names none: FRAGILITY_CACHE_DIR, else data/cache. */
export function cacheDir(): string {
  const env = process.env[CACHE_DIR_ENV];
  return env ? path.resolve(env) : CACHE_DIR;
}

// ---------------------------------------------------------------------------------------------
// Schemas: small composable validators that say where a payload departs from its shape.

/** Checks a value; returns what is wrong (naming the place, e.g. `payload.runs[3].phi`) or null. */
export interface Schema<T> {
  readonly check: (value: unknown, where: string) => string | null;
  /** Only carries the type. */
  readonly __type?: T;
}
export type Infer<S> = S extends Schema<infer T> ? T : never;

function schema<T>(check: (value: unknown, where: string) => string | null): Schema<T> {
  return { check };
}

function show(value: unknown): string {
  if (typeof value === "string")
    return JSON.stringify(value.length > 40 ? value.slice(0, 40) + "…" : value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value === null) return "null";
  if (typeof value === "object") return "an object";
  return String(value);
}

/** Builders for payload schemas, e.g. `cacheSchema.array(cacheSchema.object({ phi: cacheSchema.number({ min: 0, max: 1 }) }))`. */
export const cacheSchema = {
  /** A finite number, optionally an integer and within [min, max]. */
  number(o: { integer?: boolean; min?: number; max?: number } = {}): Schema<number> {
    return schema((v, where) => {
      if (typeof v !== "number" || !Number.isFinite(v))
        return `${where} should be a finite number, is ${show(v)}`;
      if (o.integer && !Number.isInteger(v)) return `${where} should be an integer, is ${v}`;
      if (o.min !== undefined && v < o.min) return `${where} should be >= ${o.min}, is ${v}`;
      if (o.max !== undefined && v > o.max) return `${where} should be <= ${o.max}, is ${v}`;
      return null;
    });
  },
  boolean(): Schema<boolean> {
    return schema((v, where) =>
      typeof v === "boolean" ? null : `${where} should be true or false, is ${show(v)}`,
    );
  },
  string(): Schema<string> {
    return schema((v, where) =>
      typeof v === "string" ? null : `${where} should be a string, is ${show(v)}`,
    );
  },
  /** One of the given values. */
  literal<V extends string | number | boolean>(...values: V[]): Schema<V> {
    return schema((v, where) =>
      values.includes(v as V)
        ? null
        : `${where} should be one of ${values.map((x) => JSON.stringify(x)).join(", ")}, is ${show(v)}`,
    );
  },
  /** An array whose every item passes `item`, optionally of a given length or at least minLength. */
  array<T>(item: Schema<T>, o: { length?: number; minLength?: number } = {}): Schema<T[]> {
    return schema((v, where) => {
      if (!Array.isArray(v)) return `${where} should be an array, is ${show(v)}`;
      if (o.length !== undefined && v.length !== o.length)
        return `${where} should hold ${o.length} items, holds ${v.length}`;
      if (o.minLength !== undefined && v.length < o.minLength)
        return `${where} should hold at least ${o.minLength} items, holds ${v.length}`;
      for (let i = 0; i < v.length; i++) {
        const problem = item.check(v[i], `${where}[${i}]`);
        if (problem) return problem;
      }
      return null;
    });
  },
  /** A plain object with these fields (wrap a field in `optional` when it may be absent); other fields are allowed. */
  object<S extends Record<string, Schema<unknown>>>(
    fields: S,
  ): Schema<{ [K in keyof S]: Infer<S[K]> }> {
    return schema((v, where) => {
      if (typeof v !== "object" || v === null || Array.isArray(v))
        return `${where} should be an object, is ${show(v)}`;
      for (const [k, s] of Object.entries(fields)) {
        const problem = s.check((v as Record<string, unknown>)[k], `${where}.${k}`);
        if (problem) return problem;
      }
      return null;
    });
  },
  optional<T>(s: Schema<T>): Schema<T | undefined> {
    return schema((v, where) => (v === undefined ? null : s.check(v, where)));
  },
  nullable<T>(s: Schema<T>): Schema<T | null> {
    return schema((v, where) => (v === null ? null : s.check(v, where)));
  },
  /** A schema with a further condition on values that have its shape (the message says what is wrong, or null). */
  refine<T>(s: Schema<T>, condition: (value: T) => string | null): Schema<T> {
    return schema((v, where) => {
      const problem = s.check(v, where);
      if (problem) return problem;
      const extra = condition(v as T);
      return extra ? `${where}: ${extra}` : null;
    });
  },
  /** Anything (for parts the producer does not fix). */
  unknown(): Schema<unknown> {
    return schema(() => null);
  },
};

// ---------------------------------------------------------------------------------------------
// Kinds: what a cached payload is, who produced it, and its schema.

/** Versions of whatever produced a payload (trainer, protocol): part of every key and entry. */
export type Versions = Readonly<Record<string, string | number>>;

export interface CacheKind<T> {
  /** The key's prefix and the entry's `kind`, e.g. "table3". */
  readonly name: string;
  /** Bump one to invalidate every entry of this kind (e.g. { trainer: 3, protocol: 2 }). */
  readonly versions: Versions;
  /** The payload's schema: every entry is checked on read, and every payload before it is written. */
  readonly schema: Schema<T>;
}

/**
 * Declares a kind of cached payload.
 * @param spec.validate the payload's Schema, built with `cacheSchema` (the one way a cached payload
 *   is checked: shapes, ranges, and `cacheSchema.refine` for conditions across fields)
 */
export function cacheKind<T>(spec: {
  name: string;
  versions: Versions;
  validate: Schema<T>;
}): CacheKind<T> {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.]*$/.test(spec.name))
    throw new Error(
      `cacheKind: parameter name = ${JSON.stringify(spec.name)} must be letters, digits, "_" or "." (it prefixes file names)`,
    );
  for (const [k, v] of Object.entries(spec.versions))
    if (!(typeof v === "string" || (typeof v === "number" && Number.isFinite(v))))
      throw new Error(`cacheKind: versions.${k} = ${String(v)} must be a string or a number`);
  if (typeof spec.validate?.check !== "function")
    throw new Error("cacheKind: parameter validate must be a Schema made with cacheSchema");
  const s = spec.validate;
  return Object.freeze({
    name: spec.name,
    versions: Object.freeze({ ...spec.versions }),
    schema: s,
  });
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * The key of a cached result: `<kind>-<hash>` of the inputs and, for a declared kind, its versions.
 * A plain kind name gives the keys it always gave.
 */
export function cacheKey(kind: string | CacheKind<unknown>, inputs: unknown): string {
  const material =
    typeof kind === "string"
      ? { v: CACHE_VERSION, kind, inputs }
      : { v: CACHE_VERSION, kind: kind.name, versions: kind.versions, inputs };
  const name = typeof kind === "string" ? kind : kind.name;
  return `${name}-${createHash("sha256").update(canonical(material)).digest("hex").slice(0, 20)}`;
}

function checksum(payload: unknown): string {
  return createHash("sha256").update(JSON.stringify(payload)).digest("hex");
}

/**
 * hit: used; miss: no entry; corrupt: unreadable or checksum mismatch; stale: another key or other
 * versions inside; invalid: the payload fails its kind's schema; forced: not read (fresh=true).
 */
export type CacheStatus = "hit" | "miss" | "corrupt" | "stale" | "invalid" | "forced";

export interface CacheRead<T> {
  payload: T | null;
  status: CacheStatus;
  /** The entry's file. */
  file: string;
  /** Why an existing entry was not used (names the file), for corrupt, stale and invalid. */
  problem?: string;
}

export interface CacheOptions<T> {
  /** The cache folder (default: cacheDir()). */
  dir?: string;
  /** The payload's kind: its schema is checked, its versions must match. */
  kind?: CacheKind<T>;
  /** Where warnings go (default console.warn: in a notebook, the cell's stderr). */
  warn?: (message: string) => void;
}

function options<T>(o: string | CacheOptions<T> | undefined): CacheOptions<T> {
  return typeof o === "string" ? { dir: o } : (o ?? {});
}

function requireKindOfKey(fn: string, key: string, kind: CacheKind<unknown> | undefined): void {
  if (kind && !key.startsWith(`${kind.name}-`))
    throw new Error(
      `${fn}: parameter key = ${JSON.stringify(key)} is not a key of kind ${kind.name} (make it with cacheKey(kind, inputs))`,
    );
}

/** The cached payload for key, or null with the reason it could not be used. */
export function readCache<T>(key: string, dirOrOptions?: string | CacheOptions<T>): CacheRead<T> {
  const o = options(dirOrOptions);
  requireKindOfKey("readCache", key, o.kind as CacheKind<unknown> | undefined);
  const file = path.join(o.dir ?? cacheDir(), `${key}.json`);
  const not = (status: CacheStatus, why: string): CacheRead<T> => ({
    payload: null,
    status,
    file,
    problem: `cache entry ${file} ${why}`,
  });
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // ENOTDIR: a file where a folder of the path should be; there is no entry either way.
    if (code === "ENOENT" || code === "ENOTDIR") return { payload: null, status: "miss", file };
    return not("corrupt", `cannot be read (${(e as Error).message})`);
  }
  let entry: {
    key?: unknown;
    kind?: unknown;
    versions?: unknown;
    checksum?: unknown;
    payload?: unknown;
  };
  try {
    entry = JSON.parse(text) as typeof entry;
  } catch {
    return not("corrupt", "is not valid JSON");
  }
  if (typeof entry !== "object" || entry === null) return not("corrupt", "is not a cache entry");
  if (entry.key !== key) return not("stale", `holds another key (${String(entry.key)})`);
  if (entry.payload === undefined || entry.checksum !== checksum(entry.payload))
    return not("corrupt", "does not match its checksum");
  if (o.kind) {
    if (entry.kind !== undefined && entry.kind !== o.kind.name)
      return not("stale", `holds kind ${String(entry.kind)}, not ${o.kind.name}`);
    if (entry.versions !== undefined && canonical(entry.versions) !== canonical(o.kind.versions))
      return not(
        "stale",
        `was written by versions ${canonical(entry.versions)}, not ${canonical(o.kind.versions)}`,
      );
    const problem = o.kind.schema.check(entry.payload, "payload");
    if (problem) return not("invalid", `does not fit the schema of ${o.kind.name}: ${problem}`);
  }
  return { payload: entry.payload as T, status: "hit", file };
}

/** Folders already warned about in this process (one warning per folder, not one per entry). */
const unwritable = new Set<string>();

/**
 * Stores payload under key. Returns false, after one warning per folder, when the cache cannot be
 * written (read-only, missing permission, full disk): the run goes on without caching. With a kind,
 * a payload that fails its schema after a round trip through JSON (NaN and undefined do not
 * survive it) is not stored either, with a warning.
 */
export function writeCache<T>(
  key: string,
  payload: T,
  dirOrOptions?: string | CacheOptions<T>,
): boolean {
  const o = options(dirOrOptions);
  requireKindOfKey("writeCache", key, o.kind as CacheKind<unknown> | undefined);
  const dir = o.dir ?? cacheDir();
  const warn = o.warn ?? ((m: string) => console.warn(m));
  if (o.kind) {
    const problem = o.kind.schema.check(JSON.parse(JSON.stringify(payload ?? null)), "payload");
    if (problem) {
      warn(
        `cache: not storing ${key}: the result does not fit the schema of ${o.kind.name}: ${problem}`,
      );
      return false;
    }
  }
  const entry = o.kind
    ? { key, kind: o.kind.name, versions: o.kind.versions, checksum: checksum(payload), payload }
    : { key, checksum: checksum(payload), payload };
  try {
    writeJsonAtomic(path.join(dir, `${key}.json`), entry);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (!code) throw e; // not a file-system error: a bug, not a cache problem
    if (!unwritable.has(dir)) {
      unwritable.add(dir);
      const message = (e as Error).message;
      warn(
        `cache: cannot write ${dir} (${message.startsWith(code) ? message : `${code}: ${message}`}); results are not cached and the run goes on`,
      );
    }
    return false;
  }
}

/**
 * Cached computation: reuse a valid entry unless forced; otherwise compute and store. An entry that
 * exists but cannot be used is reported (with its file) through `warn` and recomputed.
 */
export async function cached<T>(
  key: string,
  compute: () => Promise<T>,
  o: CacheOptions<T> & { force?: boolean } = {},
): Promise<{ value: T; status: CacheStatus; stored: boolean; problem?: string }> {
  const found: CacheRead<T> = o.force
    ? { payload: null, status: "forced", file: "" }
    : readCache<T>(key, o);
  if (found.payload !== null) return { value: found.payload, status: "hit", stored: true };
  if (found.problem) (o.warn ?? ((m: string) => console.warn(m)))(`${found.problem}; recomputing`);
  const value = await compute();
  const stored = writeCache(key, value, o);
  return {
    value,
    status: found.status,
    stored,
    ...(found.problem ? { problem: found.problem } : {}),
  };
}
