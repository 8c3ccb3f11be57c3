/** Worker thread for tables12Runs (via runPool): trains the runs it is sent, one at a time. */
import { parentPort, workerData } from "worker_threads";
import { chooseBackend } from "../training/backend";
import { tables12Run, type Tables12Config } from "./tables12";

const { config, seed, backend } = workerData as {
  config: Tables12Config;
  seed: number;
  backend: string;
};
const port = parentPort;
if (!port) throw new Error("tables12-worker must run as a worker thread");
void chooseBackend(backend).then(() => {
  port.on("message", (m: { task: number }) => {
    tables12Run(config, seed, m.task, (epoch) =>
      port.postMessage({ type: "progress", value: epoch }),
    )
      .then((result) => port.postMessage({ type: "result", result }))
      .catch((e: unknown) =>
        port.postMessage({ type: "error", error: e instanceof Error ? e.stack : String(e) }),
      );
  });
  port.postMessage({ type: "ready" });
});
