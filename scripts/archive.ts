/**
 * build/review.zip: the package to hand reviewers. Inside one folder, review/: the index and the
 * pages (side by side, as they link), the PDFs, the claims and results files, RESULTS.md, and
 * SHA256SUMS (every other file's SHA-256, `sha256sum -c SHA256SUMS` checks them).
 *
 * Reproducible: entries sorted by name, every time the run's (scripts/review-index.ts runTime),
 * and the pages and PDFs carry no export date, so two exports of the same run give the same bytes.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { runTime, writeAtomic } from "./review-index";
import { writeZip } from "./zip";

export const ARCHIVE_NAME = "review.zip";
export const ARCHIVE_DIR = "review";
export const MANIFEST = "SHA256SUMS";

/** The files that go into the archive: { name inside review/, file on disk }, sorted by name. */
export function archiveFiles(out: string): Array<{ name: string; file: string }> {
  const files: Array<{ name: string; file: string }> = [];
  const add = (dir: string, ext: string, into: string) => {
    const full = path.join(out, dir);
    if (!fs.existsSync(full)) return;
    for (const f of fs.readdirSync(full).filter((x) => x.endsWith(ext)))
      files.push({ name: into ? `${into}/${f}` : f, file: path.join(full, f) });
  };
  add("html", ".html", "");
  add("pdf", ".pdf", "pdf");
  add("claims", ".json", "claims");
  add("results", ".json", "results");
  if (fs.existsSync(path.join(out, "RESULTS.md")))
    files.push({ name: "RESULTS.md", file: path.join(out, "RESULTS.md") });
  const names = files.map((f) => f.name);
  for (const needed of ["index.html", "pdf/all.pdf"])
    if (!names.includes(needed))
      throw new Error(`${path.join(out, needed)} is missing: run npm run export -- --pdf first`);
  return files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** `sha256  name` per file (sha256sum's format), sorted by name. */
export function manifest(entries: Array<{ name: string; data: Buffer }>): string {
  return entries
    .map((e) => `${createHash("sha256").update(e.data).digest("hex")}  ${e.name}\n`)
    .join("");
}

/** Writes <out>/review.zip from the exported files; returns its path, entry count and size. */
export function writeArchive(out: string): { file: string; entries: number; bytes: number } {
  const mtime = runTime(out);
  const files = archiveFiles(out).map((f) => ({ name: f.name, data: fs.readFileSync(f.file) }));
  const all = [...files, { name: MANIFEST, data: Buffer.from(manifest(files), "utf8") }].sort(
    (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  const zip = writeZip(all.map((e) => ({ name: `${ARCHIVE_DIR}/${e.name}`, data: e.data, mtime })));
  const file = path.join(out, ARCHIVE_NAME);
  writeAtomic(file, zip);
  return { file, entries: all.length, bytes: zip.length };
}
