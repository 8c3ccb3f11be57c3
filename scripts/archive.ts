/**
 * build/review.zip: the package to hand reviewers. Inside one folder, review/: the index and the
 * pages (side by side, as they link), the PDFs, the claims and results files of every notebook's
 * latest run (failed/ for a notebook whose latest run failed: its claims, results and what went
 * wrong), RESULTS.md, VERSION (the package's version and commit, which the archive's comment
 * repeats) and SHA256SUMS (every other file's SHA-256, `sha256sum -c SHA256SUMS` checks them).
 *
 * Reproducible: entries sorted by name, every time the run's (scripts/review-index.ts runTime),
 * and the pages and PDFs carry no export date, so two exports of the same run give the same bytes.
 * Anonymous: every entry (a PDF's inflated streams included) is scanned for the checkout's, the
 * home folder's and the output folder's paths, and the archive is refused if one names any.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { privatePaths, privateRoots } from "./anonymity";
import { parsePdf, streamBytes } from "./pdf-file";
import { describePackage, runRecord } from "./provenance";
import { notebookEntries, runTime, writeAtomic } from "./review-index";
import { writeZip } from "./zip";

export const ARCHIVE_NAME = "review.zip";
export const ARCHIVE_DIR = "review";
export const MANIFEST = "SHA256SUMS";
/** The package's version and the commit of the run, in the archive. */
export const VERSION = "VERSION";

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
  add("failed", ".json", "failed");
  // A notebook whose latest run failed is shown by that run (failed/): an earlier run's claims
  // and results would contradict its page.
  const failed = new Set(
    notebookEntries(out)
      .filter((e) => e.failure)
      .map((e) => e.stem),
  );
  for (let i = files.length - 1; i >= 0; i--) {
    const m = /^(claims|results)\/(.+)\.json$/.exec(files[i].name);
    if (m && failed.has(m[2])) files.splice(i, 1);
  }
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

/** The texts a file holds, for the anonymity scan: its bytes, and a PDF's inflated streams. */
function texts(name: string, data: Buffer): string[] {
  const out = [data.toString("utf8")];
  if (name.endsWith(".pdf")) {
    let pdf;
    try {
      pdf = parsePdf(data);
    } catch {
      return out; // not a PDF this reader can open: its bytes are scanned as they are
    }
    for (const obj of pdf.objects.values())
      if (obj.stream) out.push(streamBytes(obj).toString("latin1"));
  }
  return out;
}

/** The package's version and commit of the run (one line per distinct one among the notebooks). */
export function versionText(out: string): string {
  const seen = new Map<string, string[]>();
  for (const e of notebookEntries(out)) {
    const d = describePackage(runRecord(e.summary)?.package);
    seen.set(d, [...(seen.get(d) ?? []), e.stem]);
  }
  return seen.size <= 1
    ? `${[...seen.keys()][0] ?? "no run"}\n`
    : [...seen].map(([d, stems]) => `${d}: ${stems.join(", ")}\n`).join("");
}

/** Writes <out>/review.zip from the exported files; returns its path, entry count and size. */
export function writeArchive(out: string): { file: string; entries: number; bytes: number } {
  const mtime = runTime(out);
  const version = versionText(out);
  const files = [
    ...archiveFiles(out).map((f) => ({ name: f.name, data: fs.readFileSync(f.file) })),
    { name: VERSION, data: Buffer.from(version, "utf8") },
  ];
  const roots = privateRoots([{ what: "output folder", path: out, label: "<out>" }]);
  for (const f of files) {
    const leaks = texts(f.name, f.data).flatMap((t) => privatePaths(t, roots));
    if (leaks.length)
      throw new Error(
        `writeArchive: ${path.join(out, f.name)} is not anonymous: it names ${leaks.slice(0, 3).join(", ")}; export again (npm run export) or remove it`,
      );
  }
  const all = [...files, { name: MANIFEST, data: Buffer.from(manifest(files), "utf8") }].sort(
    (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  const comment = `review package: ${version.split("\n")[0]}`.replace(/[^\x20-\x7e]/g, "?");
  const zip = writeZip(
    all.map((e) => ({ name: `${ARCHIVE_DIR}/${e.name}`, data: e.data, mtime })),
    comment.slice(0, 1000),
  );
  const file = path.join(out, ARCHIVE_NAME);
  writeAtomic(file, zip);
  return { file, entries: all.length, bytes: zip.length };
}
