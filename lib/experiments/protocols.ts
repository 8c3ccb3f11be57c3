/**
 * The kinds of run a series trains (lib/experiments/series.ts), each with its run function and the
 * shape a cached result must have.
 */
import type { RunSeed } from "../data/streams";
import { linearRun, linearRunProblem, type LinearRun, type LinearRunConfig } from "./linear-run";
import { reluRun, reluRunProblem, type ReluRun, type ReluRunConfig } from "./relu-run";

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
  [K in Protocol]: { run: RunFunction<K>; problem: (x: unknown) => string | null };
} = {
  linear: { run: linearRun, problem: linearRunProblem },
  relu: { run: reluRun, problem: reluRunProblem },
};
