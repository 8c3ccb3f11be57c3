/**
 * What every script's command line shares: Node's util.parseArgs with the script's usage text,
 * `--help` (the usage on stdout, exit 0), usage errors (a message naming the script, the option
 * and the value, the usage, exit 2, before any work), and the check that dist/ was built from the
 * sources as they are now (after a `git pull` the scripts would otherwise run stale code).
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs, type ParseArgsConfig } from "util";

/** The repository root (this file runs from dist/scripts/). */
const ROOT = path.resolve(__dirname, "..", "..");

/** A usage error: exit status 2, the message and the usage, before any work. */
export class UsageError extends Error {}

/** `--help` was given: print the usage on stdout and exit 0. */
export class HelpRequested extends Error {}

type Options = NonNullable<ParseArgsConfig["options"]>;

export interface CommandLine<O extends Options> {
  values: ReturnType<
    typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>
  >["values"];
  positionals: string[];
}

/**
 * Parses argv with util.parseArgs (strict: unknown options, a missing or ambiguous value and an
 * unexpected argument are usage errors). `--help`/`-h` throws HelpRequested. An option of type
 * string given as "" is a usage error too (`--out ""` would mean the current folder).
 */
export function parseCommandLine<O extends Options>(
  script: string,
  usage: string,
  argv: string[],
  options: O,
  allowPositionals = false,
): CommandLine<O> {
  if (argv.includes("--help") || argv.includes("-h")) throw new HelpRequested(usage);
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    const err = e as Error & { code?: string };
    const quoted = /'([^']+)'/.exec(err.message)?.[1] ?? "";
    const message =
      err.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION"
        ? `unknown option ${quoted}`
        : err.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE"
          ? /argument missing|ambiguous/.test(err.message)
            ? `option ${quoted.replace(/ <value>$/, "")} needs a value`
            : `option ${quoted} takes no value`
          : err.message.split("\n")[0];
    throw new UsageError(`${script}: ${message}\n${usage}`);
  }
  if (!allowPositionals && parsed.positionals.length)
    throw new UsageError(
      `${script}: unexpected argument ${JSON.stringify(parsed.positionals[0])}\n${usage}`,
    );
  for (const [name, spec] of Object.entries(options)) {
    if (spec.type !== "string") continue;
    const v = (parsed.values as Record<string, unknown>)[name];
    const all = Array.isArray(v) ? v : [v];
    if (all.some((x) => x === ""))
      throw new UsageError(`${script}: option --${name} needs a value, got ""\n${usage}`);
  }
  return parsed as unknown as CommandLine<O>;
}

/** A whole number from an option's text, within [min, max]; a usage error naming both otherwise. */
export function integerOption(
  script: string,
  option: string,
  text: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const x = Number(text);
  if (!/^\s*-?\d+\s*$/.test(text) || !Number.isSafeInteger(x) || x < min || x > max)
    throw new UsageError(
      `${script}: ${option} expects a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : " up"}, got ${JSON.stringify(text)}`,
    );
  return x;
}

/**
 * Runs a script's main: HelpRequested prints the usage (exit 0), UsageError its message (exit 2),
 * any other error its message (exit 1).
 */
export function runCli(main: () => number | Promise<number>): void {
  const report = (e: unknown) => {
    if (e instanceof HelpRequested) {
      console.log(e.message);
      return 0;
    }
    if (e instanceof UsageError) {
      console.error(e.message);
      return 2;
    }
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    return 1;
  };
  try {
    Promise.resolve(main()).then(
      (code) => (process.exitCode = code),
      (e: unknown) => (process.exitCode = report(e)),
    );
  } catch (e) {
    process.exitCode = report(e);
  }
}

/** Source files of what the scripts run, with the compiled file each one becomes. */
function builtFrom(root: string): Array<{ source: string; built: string }> {
  const out: Array<{ source: string; built: string }> = [];
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(root, dir), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const rel = path.join(dir, e.name);
      if (e.isDirectory()) walk(rel);
      else if (e.name.endsWith(".ts") && !e.name.endsWith(".d.ts"))
        out.push({ source: rel, built: path.join("dist", rel.replace(/\.ts$/, ".js")) });
      else if (e.name.endsWith(".wat"))
        out.push({ source: rel, built: path.join("dist", rel.replace(/\.wat$/, ".wasm")) });
    }
  };
  walk("lib");
  walk("scripts");
  return out;
}

/**
 * Why dist/ does not hold a build of the sources as they are (a source newer than its compiled
 * file, or one never compiled), or null when it does. `root`: the checkout (for tests).
 */
export function staleBuild(root = ROOT): string | null {
  const mtime = (f: string) => {
    try {
      return fs.statSync(path.join(root, f)).mtimeMs;
    } catch {
      return null;
    }
  };
  const stale: string[] = [];
  for (const { source, built } of builtFrom(root)) {
    const b = mtime(built);
    const s = mtime(source);
    if (s === null) continue;
    if (b === null) stale.push(`${source} was never built (no ${built})`);
    else if (s > b) stale.push(`${source} changed after ${built} was built`);
  }
  if (!stale.length) return null;
  return (
    `dist/ is older than the sources: ${stale.slice(0, 3).join("; ")}` +
    (stale.length > 3 ? ` (and ${stale.length - 3} more)` : "") +
    `. Run \`npm run build\` (or \`bash scripts/setup.sh --no-run\`) first.`
  );
}

/** Refuses (UsageError, exit 2) to run scripts from a dist/ older than the sources. */
export function requireFreshBuild(script: string, root = ROOT): void {
  const why = staleBuild(root);
  if (why) throw new UsageError(`${script}: ${why}`);
}

/** The path with the existing part resolved through symbolic links (the rest as written). */
function resolvedPath(p: string): string {
  const abs = path.resolve(p);
  let head = abs;
  const rest: string[] = [];
  while (!fs.existsSync(head) && path.dirname(head) !== head) {
    rest.unshift(path.basename(head));
    head = path.dirname(head);
  }
  try {
    head = fs.realpathSync(head);
  } catch {
    // unreadable: as written
  }
  return path.join(head, ...rest);
}

const within = (inner: string, outer: string) =>
  inner === outer || inner.startsWith(outer.endsWith(path.sep) ? outer : outer + path.sep);

/** Folders of the checkout that hold sources: an output folder may not be (inside) one of them. */
const SOURCE_FOLDERS = [
  "lib",
  "scripts",
  "test",
  "notebooks",
  "data/paper",
  "dist",
  "node_modules",
];

/**
 * Refuses an output folder that overlaps what a run reads (UsageError): the checkout itself or a
 * folder that holds it (its notebooks/ would be overwritten by executed copies), one of its source
 * folders, the notebooks' folder or a folder that holds it. `script` names the caller.
 */
export function refuseOverlap(script: string, out: string, notebooks: string | null): void {
  const o = resolvedPath(out);
  const root = resolvedPath(ROOT);
  const why = (text: string) =>
    new UsageError(`${script}: --out ${out} ${text}; choose a folder of its own, e.g. build/`);
  if (within(root, o))
    throw why(
      `holds the checkout ${ROOT}: the run would write its executed copies over notebooks/ and beside the sources`,
    );
  for (const f of SOURCE_FOLDERS)
    if (within(o, path.join(root, f))) throw why(`is inside the checkout's ${f}/`);
  if (notebooks) {
    const nb = resolvedPath(notebooks);
    if (within(nb, o))
      throw why(
        `holds the notebooks' folder ${notebooks}: <out>/notebooks/ would overwrite the sources`,
      );
    if (within(o, nb)) throw why(`is inside the notebooks' folder ${notebooks}`);
  }
}
