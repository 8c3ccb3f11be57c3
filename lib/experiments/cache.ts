/**
 * Results cached under data/cache/, keyed by a hash of everything that determines them (config,
 * seed, backend, code version). An entry is used only when it parses, its key matches and its
 * checksum matches its payload; a corrupt or stale entry is recomputed, never silently used.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { writeJsonAtomic } from "../claims/outputs";

/** Bump when the meaning of cached results changes. */
export const CACHE_VERSION = 1;
export const CACHE_DIR = path.resolve(__dirname, "..", "..", "..", "data", "cache");

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

export function cacheKey(kind: string, inputs: unknown): string {
  return `${kind}-${createHash("sha256")
    .update(canonical({ v: CACHE_VERSION, kind, inputs }))
    .digest("hex")
    .slice(0, 20)}`;
}

function checksum(payload: unknown): string {
  return createHash("sha256").update(JSON.stringify(payload)).digest("hex");
}

export type CacheStatus = "hit" | "miss" | "corrupt" | "stale" | "forced";

/** The cached payload for key, or null with the reason it could not be used. */
export function readCache<T>(
  key: string,
  dir = CACHE_DIR,
): { payload: T | null; status: CacheStatus } {
  const file = path.join(dir, `${key}.json`);
  if (!fs.existsSync(file)) return { payload: null, status: "miss" };
  try {
    const entry = JSON.parse(fs.readFileSync(file, "utf8")) as {
      key?: string;
      checksum?: string;
      payload?: T;
    };
    if (entry.key !== key) return { payload: null, status: "stale" };
    if (entry.payload === undefined || entry.checksum !== checksum(entry.payload))
      return { payload: null, status: "corrupt" };
    return { payload: entry.payload, status: "hit" };
  } catch {
    return { payload: null, status: "corrupt" };
  }
}

export function writeCache(key: string, payload: unknown, dir = CACHE_DIR): void {
  writeJsonAtomic(path.join(dir, `${key}.json`), { key, checksum: checksum(payload), payload });
}

/** Cached computation: reuse a valid entry unless forced; otherwise compute and store. */
export async function cached<T>(
  key: string,
  compute: () => Promise<T>,
  options: { force?: boolean; dir?: string } = {},
): Promise<{ value: T; status: CacheStatus }> {
  const dir = options.dir ?? CACHE_DIR;
  const found = options.force
    ? { payload: null, status: "forced" as CacheStatus }
    : readCache<T>(key, dir);
  if (found.payload !== null) return { value: found.payload, status: "hit" };
  const value = await compute();
  writeCache(key, value, dir);
  return { value, status: found.status };
}
