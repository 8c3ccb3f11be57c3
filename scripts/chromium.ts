/**
 * The Chromium that prints PDFs and runs the browser tests: Debian's package (or CHROMIUM_PATH),
 * driven by playwright-core, never a downloaded browser.
 */
import * as fs from "fs";
import type { Browser } from "playwright-core";

export const CHROMIUM_HELP =
  "apt-get install chromium (Debian's package), or set CHROMIUM_PATH to a Chromium or Chrome binary";

/** Where Chromium is, or an error that says how to get it. */
export function chromiumPath(): string {
  const candidates = [
    process.env.CHROMIUM_PATH,
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
  ].filter((p): p is string => !!p);
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found)
    throw new Error(`Chromium not found (tried ${candidates.join(", ")}): ${CHROMIUM_HELP}`);
  return found;
}

/** Headless Chromium that makes no background requests of its own. */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
}
