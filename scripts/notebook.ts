/**
 * Notebook files and papermill's tag convention for parameters: the code cell tagged
 * "parameters" declares defaults with `let name: type = value;`, and the runner inserts a cell
 * tagged "injected-parameters" right after it that reassigns the overridden ones.
 */
import * as fs from "fs";

export interface Cell {
  cell_type: "code" | "markdown" | "raw";
  source: string | string[];
  metadata: { tags?: string[]; [key: string]: unknown };
  outputs?: Output[];
  execution_count?: number | null;
  id?: string;
}

export interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface Notebook {
  cells: Cell[];
  metadata: Record<string, unknown>;
  nbformat: number;
  nbformat_minor: number;
}

export function readNotebook(file: string): Notebook {
  return JSON.parse(fs.readFileSync(file, "utf8")) as Notebook;
}

export function sourceText(cell: Cell): string {
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source;
}

export function outputText(o: Output): string {
  const t = o.text ?? "";
  return Array.isArray(t) ? t.join("") : t;
}

export type ParameterType = "number" | "string" | "boolean";

export interface Parameter {
  name: string;
  type: ParameterType;
  /** Allowed values when the declared type is a union of string literals. */
  choices?: string[];
  /** The default as written in the notebook. */
  defaultSource: string;
}

const DECLARATION =
  /^\s*(let|var|const)\s+([A-Za-z_$][\w$]*)\s*(?::\s*([^=]+?))?\s*=\s*(.+?)\s*;?\s*(?:\/\/.*)?$/;

function typeOf(
  name: string,
  annotation: string | undefined,
  value: string,
): Pick<Parameter, "type" | "choices"> {
  if (annotation) {
    const parts = annotation
      .split("|")
      .map((p) => p.trim())
      .filter((p) => p !== "undefined" && p !== "null");
    const literals = parts.filter((p) => /^(["']).*\1$/.test(p));
    if (literals.length && literals.length === parts.length)
      return { type: "string", choices: literals.map((l) => l.slice(1, -1)) };
    if (parts.length === 1 && ["number", "string", "boolean"].includes(parts[0]))
      return { type: parts[0] as ParameterType };
    throw new Error(
      `parameter ${name}: unsupported type annotation "${annotation}" (use number, string, boolean or string literals, optionally | undefined)`,
    );
  }
  if (/^(["']).*\1$/.test(value)) return { type: "string" };
  if (value === "true" || value === "false") return { type: "boolean" };
  if (Number.isFinite(Number(value))) return { type: "number" };
  throw new Error(`parameter ${name}: cannot infer a type from the default ${value}; annotate it`);
}

/** The index of the cell tagged "parameters", or -1. */
export function parametersCellIndex(nb: Notebook): number {
  return nb.cells.findIndex(
    (c) => c.cell_type === "code" && (c.metadata.tags ?? []).includes("parameters"),
  );
}

/** The parameters a notebook declares (empty when it has no parameters cell). */
export function parseParameters(nb: Notebook): Map<string, Parameter> {
  const params = new Map<string, Parameter>();
  const index = parametersCellIndex(nb);
  if (index < 0) return params;
  for (const line of sourceText(nb.cells[index]).split("\n")) {
    if (!line.trim() || line.trim().startsWith("//")) continue;
    const m = DECLARATION.exec(line);
    if (!m)
      throw new Error(
        `parameters cell: cannot read "${line.trim()}" (one \`let name: type = value;\` per line)`,
      );
    const [, keyword, name, annotation, value] = m;
    if (keyword === "const")
      throw new Error(
        `parameter ${name}: declare it with let, so that injected values can reassign it`,
      );
    params.set(name, { name, ...typeOf(name, annotation?.trim(), value), defaultSource: value });
  }
  return params;
}

/**
 * The values a `seed` parameter may take: the notebooks seed lib/random's MT19937 streams, whose
 * seeds are unsigned 32-bit integers (lib/random/rng.ts).
 */
export const SEED_RANGE: readonly [number, number] = [0, 2 ** 32 - 1];

/**
 * Parses a command-line value for a parameter; throws a message naming the parameter and the value.
 * A parameter named `seed` must be a whole number in SEED_RANGE.
 */
export function parseValue(p: Parameter, raw: string): string | number | boolean {
  if (p.type === "number") {
    const x = Number(raw);
    if (raw.trim() === "" || !Number.isFinite(x))
      throw new Error(`parameter ${p.name} expects a number, got ${JSON.stringify(raw)}`);
    if (p.name === "seed" && !(Number.isInteger(x) && x >= SEED_RANGE[0] && x <= SEED_RANGE[1]))
      throw new Error(
        `parameter seed expects a whole number from ${SEED_RANGE[0]} to ${SEED_RANGE[1]} (the random streams' seeds are unsigned 32-bit integers), got ${JSON.stringify(raw)}`,
      );
    return x;
  }
  if (p.type === "boolean") {
    if (raw !== "true" && raw !== "false")
      throw new Error(`parameter ${p.name} expects true or false, got ${JSON.stringify(raw)}`);
    return raw === "true";
  }
  if (p.choices && !p.choices.includes(raw)) {
    throw new Error(
      `parameter ${p.name} expects one of ${p.choices.join(", ")}, got ${JSON.stringify(raw)}`,
    );
  }
  return raw;
}

/** A copy of nb with a cell tagged "injected-parameters" after the parameters cell. */
export function injectParameters(
  nb: Notebook,
  values: Map<string, string | number | boolean>,
): Notebook {
  const copy = JSON.parse(JSON.stringify(nb)) as Notebook;
  const index = parametersCellIndex(copy);
  if (values.size === 0) return copy;
  if (index < 0) throw new Error('the notebook has no cell tagged "parameters"');
  // A block, so that tslab prints no value under the cell (it prints a cell's last expression).
  const source = `{\n${[...values].map(([k, v]) => `  ${k} = ${JSON.stringify(v)};`).join("\n")}\n}`;
  copy.cells.splice(index + 1, 0, {
    cell_type: "code",
    id: "injected-parameters",
    metadata: { tags: ["injected-parameters"] },
    source,
    outputs: [],
    execution_count: null,
  });
  return copy;
}

/** True when no code cell carries outputs or an execution count (how notebooks are committed). */
export function isClean(nb: Notebook): boolean {
  return nb.cells.every(
    (c) =>
      c.cell_type !== "code" ||
      ((c.outputs ?? []).length === 0 && (c.execution_count ?? null) === null),
  );
}
