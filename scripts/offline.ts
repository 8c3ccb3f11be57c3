/**
 * Self-containedness: what a page would fetch from outside its file (a CDN, a file:// path), in
 * its attributes, its styles and inside its inline scripts. Reviewers open the pages offline, and a
 * double-blind reviewer's browser must not call a third party.
 */
import { createHash } from "crypto";
import * as fs from "fs";

/** sha256 of the plotly.js bundle that lib/show/display.ts inlines (a library, not page code). */
let cachedLibraries: Set<string> | null = null;
function libraryScripts(): Set<string> {
  if (cachedLibraries) return cachedLibraries;
  const hashes = new Set<string>();
  cachedLibraries = hashes;
  try {
    const file = require.resolve("plotly.js-cartesian-dist-min/plotly-cartesian.min.js");
    hashes.add(createHash("sha256").update(fs.readFileSync(file, "utf8")).digest("hex"));
  } catch {
    // Not installed: every inline script is scanned in full.
  }
  return hashes;
}

/** Whether an inline script's body is the inlined plotly.js bundle (a library, not page code). */
export function isLibraryScript(body: string): boolean {
  return libraryScripts().has(createHash("sha256").update(body).digest("hex"));
}

/** An address a browser would fetch: a scheme (http:, file:, …) or protocol-relative, not data:/blob:. */
const REMOTE = /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i;
const isRemote = (u: string) => REMOTE.test(u) && !/^(?:data|blob|about|javascript):/i.test(u);
/** XML namespaces are identifiers that look like addresses; nothing loads them. */
const NAMESPACE = /^https?:\/\/www\.w3\.org\//;

/**
 * What an inline script would load from outside the file: static and dynamic imports,
 * importScripts, fetch and Worker with a literal address, and (outside the inlined plotly.js,
 * whose source names its project's sites in strings it never loads) any literal http(s) or
 * protocol-relative address.
 */
function scriptReferences(body: string, isLibrary: boolean): string[] {
  const found: string[] = [];
  const lit = `["'\`]([^"'\`\\s]+)["'\`]`;
  const loaders = [
    new RegExp(`\\bimport\\s*\\(\\s*${lit}`, "g"),
    new RegExp(`\\bimport\\s+(?:[\\w*{}\\s,]+\\s+from\\s+)?${lit}`, "g"),
    new RegExp(
      `\\b(?:importScripts|fetch|Worker|SharedWorker|EventSource|WebSocket)\\s*\\(\\s*${lit}`,
      "g",
    ),
    new RegExp(`\\.src\\s*=\\s*${lit}`, "g"),
  ];
  for (const re of loaders)
    for (const m of body.matchAll(re)) if (isRemote(m[1])) found.push(`<script> loads ${m[1]}`);
  if (!isLibrary) {
    for (const m of body.matchAll(/["'`]((?:https?:)?\/\/[^"'`\s]+)/gi))
      if (!NAMESPACE.test(m[1]) && !found.some((f) => f.endsWith(m[1])))
        found.push(`<script> names ${m[1]}`);
  }
  return found;
}

/** Addresses in the page that a browser would fetch from outside the file (empty when self-contained). */
export function externalReferences(html: string): string[] {
  const found: string[] = [];
  const library = libraryScripts();
  for (const m of html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi)) {
    const hash = createHash("sha256").update(m[1]).digest("hex");
    found.push(...scriptReferences(m[1], library.has(hash)));
  }
  const withoutScripts = html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, (m) =>
    m.replace(/>[\s\S]*<\/script>/i, "></script>"),
  );
  for (const m of withoutScripts.matchAll(
    /<(script|link|img|iframe|source|video|audio|embed|object|track|input)\b[^>]*?\s(?:src|href|data|poster|srcset)\s*=\s*["']?([^"'\s>]+)/gi,
  )) {
    if (!m[2].startsWith("data:") && !m[2].startsWith("#")) found.push(`<${m[1]}> ${m[2]}`);
  }
  for (const m of withoutScripts.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)) {
    for (const u of m[1].matchAll(/url\(\s*["']?([^"')]+)/gi))
      if (!u[1].startsWith("data:") && !u[1].startsWith("#")) found.push(`css url(${u[1]})`);
    for (const u of m[1].matchAll(/@import\s+(?:url\(\s*)?["']?([^"')\s;]+)/gi))
      found.push(`css @import ${u[1]}`);
  }
  for (const m of withoutScripts.matchAll(/\sstyle\s*=\s*"([^"]*)"/gi))
    for (const u of m[1].matchAll(/url\(\s*(?:&quot;|['"])?([^"')&]+)/gi))
      if (!u[1].startsWith("data:") && !u[1].startsWith("#")) found.push(`style url(${u[1]})`);
  return found;
}
