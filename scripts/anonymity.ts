/**
 * Double-blind review: no exported page or archived file may carry a local path that names the
 * machine's user or the checkout (a warning printed by a cell, "cache: cannot write /home/…/data/
 * cache", reaches the page through the cell's stderr). Pages are rewritten before they are written
 * (the checkout's path becomes ".", the output folder "<out>", the home folder "~"), and the page
 * and every archive entry are then scanned; anything left is refused with the file and the place.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** The repository root (this file runs from dist/scripts/). */
const ROOT = path.resolve(__dirname, "..", "..");

/** A local folder whose absolute path must not reach a reviewer, and what replaces it. */
export interface PrivateRoot {
  what: string;
  path: string;
  label: string;
}

function realpath(p: string): string | null {
  try {
    return fs.realpathSync(p);
  } catch {
    return null;
  }
}

/**
 * The folders whose paths are private: the checkout, the home folder, and the given ones (the
 * output folder, a notebooks folder outside the checkout), each also by its real path. Longest
 * first, so the checkout inside the home folder is rewritten as the checkout.
 */
export function privateRoots(
  extra: Array<{ what: string; path: string; label: string }> = [],
): PrivateRoot[] {
  const list: PrivateRoot[] = [];
  const add = (what: string, p: string | undefined | null, label: string) => {
    if (!p || !path.isAbsolute(p)) return;
    const clean = p.replace(/\/+$/, "");
    // "/" or a one-level folder such as /tmp or /work is no one's identity, and is everywhere.
    if (clean.split("/").filter(Boolean).length < 2 && !what.startsWith("home")) return;
    if (clean === "" || list.some((r) => r.path === clean)) return;
    list.push({ what, path: clean, label });
  };
  for (const e of extra) {
    add(e.what, e.path, e.label);
    add(`${e.what} (real path)`, realpath(e.path), e.label);
  }
  add("checkout", ROOT, ".");
  add("checkout (real path)", realpath(ROOT), ".");
  add("home folder", os.homedir(), "~");
  add("home folder ($HOME)", process.env.HOME, "~");
  return list.sort((a, b) => b.path.length - a.path.length);
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A root's path where it stands as a path (not as the start of a longer name). */
function pathPattern(root: PrivateRoot): RegExp {
  return new RegExp(`(?<![\\w.-])${escapeRe(root.path)}(?![\\w.-])`, "g");
}

/** The text with every private root's path replaced by its label (file:// addresses included). */
export function anonymize(text: string, roots: PrivateRoot[]): string {
  let out = text;
  for (const r of roots) {
    out = out.replace(new RegExp(`file://${escapeRe(r.path)}(?![\\w.-])`, "g"), r.label);
    out = out.replace(pathPattern(r), r.label);
  }
  return out;
}

/** Where a private root's path (or its URL-encoded form) appears in the text, for refusals. */
export function privatePaths(text: string, roots: PrivateRoot[]): string[] {
  const found: string[] = [];
  for (const r of roots) {
    for (const form of [r.path, encodeURI(r.path), encodeURIComponent(r.path)]) {
      const m = new RegExp(`(?<![\\w.-])${escapeRe(form)}(?![\\w.-])`).exec(text);
      if (m) {
        const context = text.slice(Math.max(0, m.index - 40), m.index + form.length + 40);
        found.push(`the ${r.what} (${JSON.stringify(context.replace(/\s+/g, " "))})`);
        break;
      }
    }
  }
  return found;
}
