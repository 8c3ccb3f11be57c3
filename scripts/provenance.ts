/**
 * What a run records about the code that ran: the package's version, the git commit of the
 * checkout (and whether its sources had uncommitted changes), and each notebook source's SHA-256.
 * Anonymous by construction: a version, a commit hash and file hashes name no person and no path.
 */
import { spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { ClaimsFile, RunInfo } from "../lib/claims/ledger";

/** The repository root (this file runs from dist/scripts/). */
const ROOT = path.resolve(__dirname, "..", "..");

export interface PackageInfo {
  name: string;
  version: string;
  /** The checkout's commit (40 hex digits), or null outside a git checkout. */
  commit: string | null;
  /** The sources (lib, scripts, notebooks, data/paper, the package files) differ from the commit. */
  modified: boolean;
}

/** Paths whose uncommitted changes can change a result. */
const SOURCES = [
  "lib",
  "scripts",
  "notebooks",
  "data/paper",
  "package.json",
  "package-lock.json",
  "tsconfig.json",
];

/** The package's name and version, and the commit of the checkout at `root`. */
export function packageInfo(root = ROOT): PackageInfo {
  let name = "?";
  let version = "?";
  try {
    const p = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as {
      name?: string;
      version?: string;
    };
    name = p.name ?? name;
    version = p.version ?? version;
  } catch {
    // no package.json: unknown
  }
  const git = (...args: string[]) =>
    spawnSync("git", ["-C", root, ...args], { encoding: "utf8", timeout: 30_000 });
  const head = git("rev-parse", "--verify", "-q", "HEAD");
  const commit =
    head.status === 0 && /^[0-9a-f]{40}$/.test(head.stdout.trim()) ? head.stdout.trim() : null;
  const status = commit
    ? git("status", "--porcelain", "--untracked-files=no", "--", ...SOURCES)
    : null;
  return { name, version, commit, modified: !!status && status.stdout.trim() !== "" };
}

/** "adversarial-fragility-notebooks 0.1.0, commit 1a2b3c4d5e6f (with uncommitted changes)". */
export function describePackage(p: PackageInfo | undefined): string {
  if (!p) return "version not recorded";
  const commit = p.commit
    ? `commit ${p.commit.slice(0, 12)}${p.modified ? " with uncommitted changes" : ""}`
    : "no git commit";
  return `${p.name} ${p.version}, ${commit}`;
}

/** SHA-256 of a file, in hex. */
export function fileSha256(file: string): string {
  return createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

/**
 * What the runner records in every claims and results file (`run`): the scale, seed and
 * overrides (RunInfo), the notebook source that ran (its file name and SHA-256) and the package.
 */
export interface RunRecord extends RunInfo {
  source?: { notebook: string; sha256: string };
  package?: PackageInfo;
}

/** The runner's record of a claims (or results) file, when it has one. */
export function runRecord(file: Pick<ClaimsFile, "run"> | null | undefined): RunRecord | null {
  return (file?.run as RunRecord | undefined) ?? null;
}
