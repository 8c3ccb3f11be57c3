/**
 * The kinds of run a series trains (lib/experiments/series.ts), each with its run function and the
 * shape a cached result must have.
 */
import type { RunSeed } from "../data/streams";
import { isLinearRun, linearRun, type LinearRun, type LinearRunConfig } from "./linear-run";
import { isReluRun, reluRun, type ReluRun, type ReluRunConfig } from "./relu-run";

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

export const PROTOCOLS: {
  [K in Protocol]: { run: RunFunction<K>; isResult: (x: unknown) => boolean };
} = {
  linear: { run: linearRun, isResult: isLinearRun },
  relu: { run: reluRun, isResult: isReluRun },
};
