/**
 * The tfjs backends by name, without loading tfjs: the runner checks FRAGILITY_BACKEND with these
 * before a kernel starts (lib/training/backend.ts chooses the backend itself).
 */

/** tfjs backends in order of preference: native TensorFlow (tfjs-node), WebAssembly, plain JavaScript. */
export const BACKENDS = ["tensorflow", "wasm", "cpu"] as const;
/** A tfjs backend's name as tfjs spells it. */
export type BackendName = (typeof BACKENDS)[number];

/** Environment variable that forces a backend: tensorflow (alias node), wasm or cpu. */
export const BACKEND_ENV = "FRAGILITY_BACKEND";

/** The package each backend needs. */
const PACKAGES: Record<BackendName, string | null> = {
  tensorflow: "@tensorflow/tfjs-node",
  wasm: "@tensorflow/tfjs-backend-wasm",
  cpu: null,
};

/**
 * Why a FRAGILITY_BACKEND value cannot be used (a name that is no backend, or a backend whose
 * package is not installed), or null when it can (or is unset). `resolve` finds a package.
 */
export function backendRequestProblem(
  request: string | undefined,
  resolve: (pkg: string) => string = require.resolve,
): string | null {
  if (request === undefined || request === "") return null;
  const wanted = request === "node" ? "tensorflow" : request;
  if (!(BACKENDS as readonly string[]).includes(wanted))
    return `${BACKEND_ENV}=${request} names no tfjs backend: it must be one of ${["node", ...BACKENDS].join(", ")} (or unset: the first available)`;
  const pkg = PACKAGES[wanted as BackendName];
  if (pkg) {
    try {
      resolve(pkg);
    } catch {
      return `${BACKEND_ENV}=${request} needs ${pkg}, which is not installed${wanted === "tensorflow" ? " (it is opt-in: npm install --no-save @tensorflow/tfjs-node@<the version of @tensorflow/tfjs>)" : " (npm ci)"}`;
    }
  }
  return null;
}
