/** Worker thread of runSeries (via runPool): trains and measures the runs it is sent, one at a time. */
import { parentPort, workerData } from "worker_threads";
import type { RunSeed } from "../data/streams";
import { chooseBackend } from "../training/backend";
import { PROTOCOLS, type Protocol } from "./protocols";

const { protocol, config, backend } = workerData as {
  protocol: Protocol;
  config: never;
  backend: string;
};
const port = parentPort;
if (!port) throw new Error("series-worker must run as a worker thread");
const run = PROTOCOLS[protocol].run as (
  c: never,
  s: RunSeed,
  onEpoch: (e: number) => void,
) => Promise<unknown>;
// tfjs is initialised only where a run needs it (the linear network; ReLU networks deeper than one layer).
const needsTfjs =
  protocol === "linear" || (config as { setting: { hidden: number[] } }).setting.hidden.length > 1;
void (needsTfjs ? chooseBackend(backend) : Promise.resolve()).then(() => {
  port.on("message", (m: { task: RunSeed }) => {
    run(config, m.task, (epoch) => port.postMessage({ type: "progress", value: epoch }))
      .then((result) => port.postMessage({ type: "result", result }))
      .catch((e: unknown) =>
        port.postMessage({ type: "error", error: e instanceof Error ? e.stack : String(e) }),
      );
  });
  port.postMessage({ type: "ready" });
});
