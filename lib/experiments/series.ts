/**
 * Section 6's runs, trained on worker threads, each run cached on its own: the one series runner of
 * Tables 1–2 and Table 3.
 *
 * A series is the runs 0, 1, 2, … of one cell (a protocol config on one named stream); runs start
 * in index order, and with a stop rule no run starts once the finished prefix satisfies it, and the
 * series is cut at the shortest prefix that does, so the result never depends on thread timing or
 * on which runs came from the cache.
 */
import * as path from "path";
import { fail, requireInteger } from "../check";
import { resolveWorkers } from "./config";
import type { RunSeed, StreamName } from "../data/streams";
import {
  cacheKey,
  cacheKind,
  readCache,
  writeCache,
  type CacheKind,
  type CacheStatus,
  type Schema,
} from "./cache";
import { runPool } from "./pool";
import {
  PROTOCOL_VERSION,
  PROTOCOLS,
  type Protocol,
  type ProtocolConfig,
  type ProtocolResult,
} from "./protocols";

export interface SeriesRequest<K extends Protocol> {
  /** Which run function (lib/experiments/protocols.ts). */
  protocol: K;
  /** Everything that determines a run's numbers besides its seed. */
  config: ProtocolConfig<K>;
  seed: number;
  stream: StreamName;
  /** The grid cell's identifier in the seed path (its own runs); [] for none. */
  cell: readonly number[];
  /** The arm within the cell (lib/data/streams.ts): its runs share every part but the batch order and attack with the cell's other arms. */
  arm?: readonly number[];
  /** The most runs the series may train. */
  runs: number;
  /** Stop at the shortest prefix of finished runs that satisfies this (all `runs` runs without it). */
  stopWhen?: (prefix: ReadonlyArray<ProtocolResult<K>>) => boolean;
  /** tfjs backend for the workers (networks that need tfjs). */
  backend: string;
  /** Worker threads; default resolveWorkers (FRAGILITY_WORKERS, else every core). No number depends on it. */
  workers?: number;
  force?: boolean;
  cacheDir?: string;
  /**
   * Where a cached run that cannot be used (unreadable, another key, out of its ranges) is
   * reported, with its file, before it is trained again (default console.warn: in a notebook,
   * the cell's stderr).
   */
  warn?: (message: string) => void;
  /** Finished runs and accurate ones so far, and the epoch of each run in progress. */
  onProgress?: (p: SeriesProgress) => void;
}

export interface SeriesProgress {
  done: number;
  running: Map<number, number>;
}

export interface Series<R> {
  /** Runs in index order: the whole prefix up to the stop (or every run when there is no rule). */
  runs: R[];
  /** Where each run came from. */
  cache: CacheStatus[];
  /** True when the stop rule was met within the cap. */
  stopped: boolean;
}

/**
 * The cache kind of a protocol's runs: its trainer and the protocol's version in every key and
 * entry, and every entry checked against the run's shape and ranges when it is read.
 */
export function runKind<K extends Protocol>(
  protocol: K,
  config: ProtocolConfig<K>,
): CacheKind<ProtocolResult<K>> {
  return cacheKind<ProtocolResult<K>>({
    name: protocol,
    versions: { trainer: config.trainer, protocol: PROTOCOL_VERSION[protocol] },
    validate: PROTOCOLS[protocol].schema as Schema<ProtocolResult<K>>,
  });
}

/** The cache key of one run: its protocol, config and seed path, under its kind's versions. */
export function runKey<K extends Protocol>(
  protocol: K,
  config: ProtocolConfig<K>,
  s: RunSeed,
): string {
  return cacheKey(runKind(protocol, config), {
    config,
    seed: s.seed,
    stream: s.stream,
    cell: s.cell,
    run: s.run,
    ...(s.arm ? { arm: s.arm } : {}),
  });
}

/** Trains (or reads from the cache) the runs of one series. */
export async function runSeries<K extends Protocol>(
  req: SeriesRequest<K>,
): Promise<Series<ProtocolResult<K>>> {
  const fn = "runSeries";
  requireInteger(fn, "runs", req.runs, 1);
  const workers = resolveWorkers(fn, req.workers);
  const warn = req.warn ?? ((m: string) => console.warn(m));
  type R = ProtocolResult<K>;
  const kind = runKind(req.protocol, req.config);
  const seedOf = (run: number): RunSeed => ({
    seed: req.seed,
    stream: req.stream,
    cell: req.cell,
    run,
    ...(req.arm ? { arm: req.arm } : {}),
  });
  const results = new Map<number, R>();
  const status = new Map<number, CacheStatus>();
  /** How the cache answered for runs that are trained (miss, or an entry that could not be used). */
  const found = new Map<number, CacheStatus>();
  let contiguous = 0; // runs 0 … contiguous − 1 are finished
  let stopAt: number | null = null; // the shortest prefix meeting the rule, once found
  const record = (run: number, res: R, how: CacheStatus) => {
    results.set(run, res);
    status.set(run, how);
    while (results.has(contiguous)) {
      contiguous++;
      if (stopAt === null && req.stopWhen) {
        const p = Array.from({ length: contiguous }, (_, r) => results.get(r)!);
        if (req.stopWhen(p)) stopAt = contiguous;
      }
    }
  };
  let next = 0;
  /** The next run to train: cached runs are taken on the way; undefined when none should start. */
  const advance = (): number | undefined => {
    while (stopAt === null && next < req.runs) {
      const run = next++;
      if (req.force) return run;
      const read = readCache<R>(runKey(req.protocol, req.config, seedOf(run)), {
        dir: req.cacheDir,
        kind,
      });
      if (read.payload === null) {
        if (read.problem) warn(`${read.problem}; training run ${run} again`);
        found.set(run, read.status);
        return run;
      }
      record(run, read.payload, "hit");
    }
    return undefined;
  };
  const progress: SeriesProgress = { done: 0, running: new Map() };
  let first = advance();
  if (first !== undefined) {
    await runPool<RunSeed, R>({
      script: path.join(__dirname, "series-worker.js"),
      workerData: { protocol: req.protocol, config: req.config, backend: req.backend },
      workers,
      next: () => {
        const run = first !== undefined ? first : advance();
        first = undefined;
        return run === undefined ? undefined : seedOf(run);
      },
      onResult: (s, res) => {
        record(s.run, res, req.force ? "forced" : (found.get(s.run) ?? "miss"));
        writeCache(runKey(req.protocol, req.config, s), res, { dir: req.cacheDir, kind, warn });
        progress.done += 1;
        progress.running.delete(s.run);
        req.onProgress?.(progress);
      },
      onProgress: (s, epoch) => {
        progress.running.set(s.run, epoch);
        req.onProgress?.(progress);
      },
    });
  }
  const n = stopAt ?? contiguous;
  const runs = Array.from({ length: n }, (_, r) => results.get(r)!);
  if (!req.stopWhen && runs.length !== req.runs)
    fail(fn, "runs", req.runs, `only ${runs.length} runs finished`);
  return { runs, cache: runs.map((_, r) => status.get(r) ?? "miss"), stopped: stopAt !== null };
}
