/** Worker thread for table3Series (via runPool): trains and measures the runs it is sent, one at a time. */
import { parentPort, workerData } from "worker_threads";
import { chooseBackend } from "../training/backend";
import { table3Run, type Table3Config, type Table3Setting } from "./table3";

const { config, seed, setting, attack, backend } = workerData as {
  config: Table3Config;
  seed: number;
  setting: Table3Setting;
  attack: boolean;
  backend: string;
};
const port = parentPort;
if (!port) throw new Error("table3-worker must run as a worker thread");
// tfjs is only needed (and only initialised) for networks with several hidden layers.
void (setting.hidden.length > 1 ? chooseBackend(backend) : Promise.resolve()).then(() => {
  port.on("message", (m: { task: number }) => {
    table3Run(setting, config, seed, m.task, attack, (epoch) =>
      port.postMessage({ type: "progress", value: epoch }),
    )
      .then((result) => port.postMessage({ type: "result", result }))
      .catch((e: unknown) =>
        port.postMessage({ type: "error", error: e instanceof Error ? e.stack : String(e) }),
      );
  });
  port.postMessage({ type: "ready" });
});
