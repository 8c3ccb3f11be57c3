/**
 * The kinds of run a series trains (lib/experiments/series.ts), each with its run function and the
 * schema (lib/experiments/cache.ts cacheSchema) a cached result must fit.
 */
import type { RunSeed } from "../data/streams";
import type { Schema } from "./cache";
import { linearRun, linearRunSchema, type LinearRun, type LinearRunConfig } from "./linear-run";
import { reluRun, reluRunSchema, type ReluRun, type ReluRunConfig } from "./relu-run";

export type Protocol = "linear" | "relu";
export type ProtocolConfig<K extends Protocol> = K extends "linear"
  ? LinearRunConfig
  : ReluRunConfig;
export type ProtocolResult<K extends Protocol> = K extends "linear" ? LinearRun : ReluRun;

type RunFunction<K extends Protocol> = (
  c: ProtocolConfig<K>,
  s: RunSeed,
  onEpoch?: (epoch: number) => void,
) => Promise<ProtocolResult<K>>;

/** Per protocol, bumped when what a run measures changes (its cached results are then recomputed). */
export const PROTOCOL_VERSION: Record<Protocol, number> = { linear: 3, relu: 2 };

export const PROTOCOLS: {
  [K in Protocol]: { run: RunFunction<K>; schema: Schema<ProtocolResult<K>> };
} = {
  linear: { run: linearRun, schema: linearRunSchema },
  relu: { run: reluRun, schema: reluRunSchema },
};
