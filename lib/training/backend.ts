import * as tf from "@tensorflow/tfjs";
import { fail } from "../check";

import { BACKEND_ENV, BACKENDS, type BackendName } from "./backend-names";

export { BACKEND_ENV, BACKENDS, backendRequestProblem, type BackendName } from "./backend-names";

/** The backend chosen, for provenance. */
export interface BackendInfo {
  name: BackendName;
  tfjsVersion: string;
  /** Why this backend: requested through the environment, or the first that loaded. */
  reason: string;
}

function tryLoad(name: BackendName): string | null {
  try {
    if (name === "tensorflow") require("@tensorflow/tfjs-node");
    if (name === "wasm") require("@tensorflow/tfjs-backend-wasm");
    return null;
  } catch (e) {
    return e instanceof Error ? e.message.split("\n")[0] : String(e);
  }
}

/**
 * Chooses the tfjs backend: tfjs-node when it is installed, else WASM, else CPU; the environment
 * variable FRAGILITY_BACKEND (or the argument) forces one, and an unavailable forced backend is an
 * error rather than a silent fallback, since the backend is part of what determines every number.
 */
export async function chooseBackend(
  request: string | undefined = process.env[BACKEND_ENV],
): Promise<BackendInfo> {
  const wanted = request === "node" ? "tensorflow" : request;
  if (wanted !== undefined && wanted !== "" && !(BACKENDS as readonly string[]).includes(wanted)) {
    fail(
      "chooseBackend",
      `request (${BACKEND_ENV})`,
      request,
      `must be one of ${["node", ...BACKENDS].join(", ")}`,
    );
  }
  const candidates: BackendName[] = wanted ? [wanted as BackendName] : [...BACKENDS];
  const problems: string[] = [];
  for (const name of candidates) {
    const loadError = tryLoad(name);
    if (loadError === null && (await tf.setBackend(name))) {
      await tf.ready();
      const reason = wanted
        ? `requested by ${BACKEND_ENV}=${request}`
        : problems.length
          ? `first available (${problems.join("; ")})`
          : "first available";
      return { name, tfjsVersion: tf.version.tfjs, reason };
    }
    problems.push(`${name}: ${loadError ?? "setBackend failed"}`);
  }
  return fail(
    "chooseBackend",
    `request (${BACKEND_ENV})`,
    request,
    `names a backend that could not be loaded: ${problems.join("; ")}`,
  );
}
