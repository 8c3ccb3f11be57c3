/**
 * npm run check: the checks that keep the code and the notebooks in shape, without running them.
 *
 *   1. tsc --noEmit, strict, over lib/, scripts/ and test/ (tsconfig.json);
 *   2. every notebook's code cells type-checked strictly as one TypeScript module (tslab itself runs
 *      without `strict`, so a notebook's type errors would otherwise surface only when it runs);
 *   3. ESLint (typescript-eslint) on lib/, scripts/, test/ and the notebook modules;
 *   4. prettier (printWidth 100) on lib/, scripts/, test/ and every notebook cell, and the notebook
 *      budget: code lines of at most 100 characters.
 *
 *   npm run check            report, exit 1 on any problem
 *   npm run typecheck        only 1 and 2 (tsc --strict, the notebooks)
 *   npm run lint             only 3 and 4 (ESLint, prettier, the notebooks' line budget)
 *   npm run format           rewrite files and notebook cells in prettier's format
 *
 * Needs the library built (the notebooks import ../dist/lib/...): `npm run check` builds first.
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { parseCommandLine, runCli, UsageError } from "./cli";
import { ROOT } from "./jupyter";
import {
  parametersCellIndex,
  parseParameters,
  readNotebook,
  sourceText,
  type Notebook,
} from "./notebook";

const NOTEBOOKS = path.join(ROOT, "notebooks");
const CODE_DIRS = ["lib", "scripts", "test"];
const MAX_LINE = 100;

/**
 * The code cells of a notebook as one module, with the cell each line came from. After the
 * parameters cell comes what the runner's injected cell does: every parameter may be reassigned
 * (so TypeScript does not narrow `scale` to its default, and ESLint does not ask for const).
 */
export function notebookModule(nb: Notebook): { text: string; cellOfLine: number[] } {
  const parts: string[] = [
    "declare function overridden(name: string): boolean;\ndeclare function injected<T>(name: string): T;",
  ];
  const cellOfLine: number[] = [0, 0, 0];
  const paramsAt = parametersCellIndex(nb);
  nb.cells.forEach((c, i) => {
    if (c.cell_type !== "code") return;
    const src = sourceText(c).replace(/\s+$/, "");
    for (const _ of src.split("\n")) cellOfLine.push(i + 1);
    parts.push(src);
    cellOfLine.push(i + 1); // the blank line between cells
    if (i === paramsAt) {
      // The declared type, not `typeof`: a type query would see the default's narrowed type.
      const declared = new Map<string, string>();
      for (const m of src.matchAll(/^\s*let\s+([A-Za-z_$][\w$]*)\s*:\s*([^=]+?)\s*=/gm))
        declared.set(m[1], m[2]);
      const names = [...parseParameters(nb).keys()];
      const line = (n: string) =>
        `if (overridden(${JSON.stringify(n)})) ${n} = injected<${declared.get(n) ?? `typeof ${n}`}>(${JSON.stringify(n)});`;
      parts.push(names.map(line).join("\n"));
      for (let k = 0; k <= names.length; k++) cellOfLine.push(i + 1);
    }
  });
  return { text: parts.join("\n\n") + "\n", cellOfLine };
}

function typeCheckNotebooks(files: string[]): string[] {
  const problems: string[] = [];
  const virtual = new Map<string, { text: string; cellOfLine: number[] }>();
  for (const f of files) {
    virtual.set(
      path.join(NOTEBOOKS, `${path.basename(f, ".ipynb")}.notebook.ts`),
      notebookModule(readNotebook(f)),
    );
  }
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ES2022, // top-level await, as tslab allows
    moduleResolution: ts.ModuleResolutionKind.Node10,
    lib: ["lib.es2022.d.ts"],
    types: ["node"],
    strict: true,
    noEmit: true,
    esModuleInterop: true,
    skipLibCheck: true,
    noUnusedLocals: false, // a step may compute what only a later display uses
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, onError, create) => {
    const v = virtual.get(path.resolve(name));
    return v ? ts.createSourceFile(name, v.text, lang) : getSourceFile(name, lang, onError, create);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => virtual.has(path.resolve(name)) || fileExists(name);
  const program = ts.createProgram([...virtual.keys()], options, host);
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const file = d.file && virtual.get(path.resolve(d.file.fileName));
    if (!d.file || !file) {
      problems.push(`notebooks: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
      continue;
    }
    const { line } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
    const stem = path.basename(d.file.fileName, ".notebook.ts");
    problems.push(
      `${stem}.ipynb cell ${file.cellOfLine[line]}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`,
    );
  }
  return problems;
}

function typeCheckProject(): string[] {
  const configFile = ts.readConfigFile(path.join(ROOT, "tsconfig.json"), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, ROOT);
  const program = ts.createProgram(parsed.fileNames, { ...parsed.options, noEmit: true });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file
      ? `${path.relative(ROOT, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}`
      : "tsconfig";
    return `${where}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`;
  });
}

function listCode(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".ts")) out.push(p);
    }
  };
  for (const d of CODE_DIRS) walk(path.join(ROOT, d));
  return out.sort();
}

async function lint(files: string[], notebooks: string[]): Promise<string[]> {
  const { ESLint } = require("eslint") as typeof import("eslint");
  const eslint = new ESLint({ cwd: ROOT });
  const results = await eslint.lintFiles(files);
  for (const nb of notebooks) {
    const { text, cellOfLine } = notebookModule(readNotebook(nb));
    const [r] = await eslint.lintText(text, { filePath: nb.replace(/\.ipynb$/, ".notebook.ts") });
    for (const m of r.messages) m.message = `cell ${cellOfLine[m.line - 1]}: ${m.message}`;
    results.push({ ...r, filePath: nb });
  }
  return results.flatMap((r) =>
    r.messages.map(
      (m) => `${path.relative(ROOT, r.filePath)}:${m.line}: ${m.message} (${m.ruleId ?? "parse"})`,
    ),
  );
}

type Prettier = typeof import("prettier");

async function prettierOptions(p: Prettier, file: string) {
  return { ...((await p.resolveConfig(file)) ?? {}), filepath: file };
}

/** Formats every code cell; returns the cells that differ (and rewrites them when `write`). */
async function formatNotebook(p: Prettier, file: string, write: boolean): Promise<string[]> {
  const nb = readNotebook(file);
  const options = {
    ...(await prettierOptions(p, path.join(NOTEBOOKS, "cell.ts"))),
    parser: "typescript",
  };
  const differ: string[] = [];
  for (const [i, c] of nb.cells.entries()) {
    if (c.cell_type !== "code") continue;
    const src = sourceText(c);
    let formatted: string;
    try {
      formatted = (await p.format(src, options)).replace(/\n$/, "");
    } catch (e) {
      differ.push(`cell ${i + 1} does not parse: ${(e as Error).message.split("\n")[0]}`);
      continue;
    }
    if (formatted !== src) {
      differ.push(`cell ${i + 1} is not in prettier's format`);
      const lines = formatted.split("\n");
      c.source = lines.map((l, k) => (k < lines.length - 1 ? `${l}\n` : l));
    }
  }
  if (write && differ.length) fs.writeFileSync(file, JSON.stringify(nb, null, 1) + "\n");
  return differ.map((m) => `${path.relative(ROOT, file)}: ${m}`);
}

async function format(files: string[], notebooks: string[], write: boolean): Promise<string[]> {
  const p = require("prettier") as Prettier;
  const problems: string[] = [];
  for (const f of files) {
    const src = fs.readFileSync(f, "utf8");
    const formatted = await p.format(src, await prettierOptions(p, f));
    if (formatted === src) continue;
    if (write) fs.writeFileSync(f, formatted);
    else problems.push(`${path.relative(ROOT, f)}: not in prettier's format (npm run format)`);
  }
  for (const nb of notebooks) {
    const differ = await formatNotebook(p, nb, write);
    if (!write) problems.push(...differ.map((m) => `${m} (npm run format)`));
  }
  return problems;
}

/** Code lines longer than the budget, per notebook. */
export function longLines(nb: Notebook, max = MAX_LINE): Array<{ cell: number; length: number }> {
  const out: Array<{ cell: number; length: number }> = [];
  nb.cells.forEach((c, i) => {
    if (c.cell_type !== "code") return;
    for (const l of sourceText(c).split("\n"))
      if (l.length > max) out.push({ cell: i + 1, length: l.length });
  });
  return out;
}

const USAGE = `usage: node dist/scripts/check.js [--write] [typecheck] [lint]
  (npm run check: everything; npm run typecheck; npm run lint; npm run format: --write)
  typecheck  tsc --strict over lib/, scripts/, test/, and every notebook type-checked strictly
  lint       ESLint, prettier and the notebooks' 100-character line budget
  --write    format files and notebook cells with prettier instead of checking
  --help     this text`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(
    "check",
    USAGE,
    argv,
    { write: { type: "boolean" } },
    true,
  );
  for (const p of positionals)
    if (p !== "typecheck" && p !== "lint")
      throw new UsageError(`check: unknown part ${JSON.stringify(p)}\n${USAGE}`);
  const want = (part: string) => positionals.length === 0 || positionals.includes(part);
  const write = !!values.write;
  const notebooks = fs
    .readdirSync(NOTEBOOKS)
    .filter((f) => f.endsWith(".ipynb"))
    .sort()
    .map((f) => path.join(NOTEBOOKS, f));
  const files = listCode();
  if (write) {
    await format(files, notebooks, true);
    console.log(`formatted ${files.length} files and ${notebooks.length} notebooks`);
    return 0;
  }
  const sections: Array<[string, () => string[] | Promise<string[]>]> = [];
  if (want("typecheck"))
    sections.push(
      ["tsc --strict (lib, scripts, test)", typeCheckProject],
      ["notebooks type-checked strictly", () => typeCheckNotebooks(notebooks)],
    );
  if (want("lint"))
    sections.push(
      ["eslint", () => lint(files, notebooks)],
      ["prettier", () => format(files, notebooks, false)],
      [
        `notebook code lines over ${MAX_LINE} characters`,
        () =>
          notebooks.flatMap((f) =>
            longLines(readNotebook(f)).map(
              (l) => `${path.basename(f)} cell ${l.cell}: ${l.length} characters`,
            ),
          ),
      ],
    );
  let failed = 0;
  for (const [name, run] of sections) {
    const problems = await run();
    console.log(
      `${problems.length ? "✗" : "✓"} ${name}${problems.length ? `: ${problems.length} problem(s)` : ""}`,
    );
    for (const p of problems.slice(0, 200)) console.log(`    ${p}`);
    if (problems.length > 200) console.log(`    … and ${problems.length - 200} more`);
    failed += problems.length;
  }
  return failed ? 1 : 0;
}

if (require.main === module) runCli(() => main(process.argv.slice(2)));
