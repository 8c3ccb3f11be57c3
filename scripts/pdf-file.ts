/**
 * A small reader and writer for the PDFs Chromium (Skia) prints: classic cross-reference tables,
 * FlateDecode streams, Type0 and Type3 fonts with ToUnicode maps. Enough to
 *   - rewrite a printed PDF with the run's date (not the clock) and without absolute file:// links,
 *   - join several into one (pages, named destinations, one bookmark per part),
 *   - read back, for the tests, the page count, the text, the vector paths and the raster images.
 * Not a general PDF library: object streams and xref streams (which Skia does not write) are refused.
 */
import * as zlib from "zlib";

/** A PDF value (ISO 32000-1, 7.3). Numbers keep their text so that rewriting never reformats them. */
export type PdfValue =
  | { t: "num"; v: string }
  | { t: "name"; v: string }
  | { t: "str"; v: Buffer }
  | { t: "ref"; n: number; g: number }
  | { t: "arr"; v: PdfValue[] }
  | { t: "dict"; v: Map<string, PdfValue> }
  | { t: "kw"; v: string };

export interface PdfObject {
  value: PdfValue;
  /** Raw (encoded) stream bytes, for stream objects. */
  stream: Buffer | null;
}

export interface Pdf {
  objects: Map<number, PdfObject>;
  trailer: Map<string, PdfValue>;
}

const WS = new Set([0, 9, 10, 12, 13, 32]);
const DELIM = new Set("()<>[]{}/%".split("").map((c) => c.charCodeAt(0)));

class Lexer {
  constructor(
    readonly buf: Buffer,
    public pos = 0,
  ) {}

  skipSpace(): void {
    const b = this.buf;
    while (this.pos < b.length) {
      const c = b[this.pos];
      if (WS.has(c)) this.pos++;
      else if (c === 37 /* % */) {
        while (this.pos < b.length && b[this.pos] !== 10 && b[this.pos] !== 13) this.pos++;
      } else break;
    }
  }

  /** The next token as text (strings and dict brackets as their opening characters). */
  peekWord(): string {
    const save = this.pos;
    const w = this.word();
    this.pos = save;
    return w;
  }

  word(): string {
    this.skipSpace();
    const b = this.buf;
    const start = this.pos;
    if (this.pos >= b.length) return "";
    const c = b[this.pos];
    if (c === 60 && b[this.pos + 1] === 60) {
      this.pos += 2;
      return "<<";
    }
    if (c === 62 && b[this.pos + 1] === 62) {
      this.pos += 2;
      return ">>";
    }
    if (DELIM.has(c)) {
      this.pos++;
      return String.fromCharCode(c);
    }
    while (this.pos < b.length && !WS.has(b[this.pos]) && !DELIM.has(b[this.pos])) this.pos++;
    return b.toString("latin1", start, this.pos);
  }

  literalString(): Buffer {
    // After "(": balanced parentheses, backslash escapes (7.3.4.2).
    const b = this.buf;
    const out: number[] = [];
    let depth = 1;
    while (this.pos < b.length) {
      const c = b[this.pos++];
      if (c === 92 /* \ */) {
        const n = b[this.pos++];
        const simple: Record<number, number> = { 110: 10, 114: 13, 116: 9, 98: 8, 102: 12 };
        if (n in simple) out.push(simple[n]);
        else if (n >= 48 && n <= 55) {
          let v = n - 48;
          for (let k = 0; k < 2 && b[this.pos] >= 48 && b[this.pos] <= 55; k++)
            v = v * 8 + (b[this.pos++] - 48);
          out.push(v & 255);
        } else if (n === 13) {
          if (b[this.pos] === 10) this.pos++;
        } else if (n !== 10) out.push(n);
      } else if (c === 40) {
        depth++;
        out.push(c);
      } else if (c === 41) {
        if (--depth === 0) break;
        out.push(c);
      } else out.push(c);
    }
    return Buffer.from(out);
  }

  hexString(): Buffer {
    const end = this.buf.indexOf(62, this.pos);
    const hex = this.buf.toString("latin1", this.pos, end).replace(/\s+/g, "");
    this.pos = end + 1;
    return Buffer.from(hex.length % 2 ? hex + "0" : hex, "hex");
  }

  value(): PdfValue {
    const w = this.word();
    if (w === "<<") {
      const v = new Map<string, PdfValue>();
      for (;;) {
        const k = this.word();
        if (k === ">>" || k === "") break;
        if (k !== "/") throw new Error(`pdf: dictionary key expected at ${this.pos}, got ${k}`);
        v.set(this.nameBody(), this.value());
      }
      return { t: "dict", v };
    }
    if (w === "[") {
      const v: PdfValue[] = [];
      for (;;) {
        if (this.peekWord() === "]") {
          this.word();
          break;
        }
        if (this.pos >= this.buf.length) break;
        v.push(this.value());
      }
      return { t: "arr", v };
    }
    if (w === "(") return { t: "str", v: this.literalString() };
    if (w === "<") return { t: "str", v: this.hexString() };
    if (w === "/") return { t: "name", v: this.nameBody() };
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(w)) {
      if (/^\d+$/.test(w)) {
        const save = this.pos;
        const g = this.word();
        const r = this.word();
        if (/^\d+$/.test(g) && r === "R") return { t: "ref", n: Number(w), g: Number(g) };
        this.pos = save;
      }
      return { t: "num", v: w };
    }
    return { t: "kw", v: w };
  }

  nameBody(): string {
    const b = this.buf;
    const start = this.pos;
    while (this.pos < b.length && !WS.has(b[this.pos]) && !DELIM.has(b[this.pos])) this.pos++;
    return b
      .toString("latin1", start, this.pos)
      .replace(/#([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  }
}

/** Reads a PDF with a classic cross-reference table (what Chromium writes). */
export function parsePdf(buf: Buffer): Pdf {
  if (buf.toString("latin1", 0, 5) !== "%PDF-") throw new Error("pdf: not a PDF file");
  const tail = buf.toString("latin1", Math.max(0, buf.length - 1024));
  const sx = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
  if (!sx) throw new Error("pdf: no startxref");
  const offsets = new Map<number, number>();
  let trailer: Map<string, PdfValue> | null = null;
  let at: number | null = Number(sx[1]);
  while (at !== null) {
    const lx: Lexer = new Lexer(buf, at);
    if (lx.word() !== "xref") throw new Error("pdf: xref streams are not supported");
    for (;;) {
      const w = lx.word();
      if (w === "trailer") break;
      const count = Number(lx.word());
      let num = Number(w);
      for (let i = 0; i < count; i++, num++) {
        const off = Number(lx.word());
        lx.word();
        const kind = lx.word();
        if (kind === "n" && !offsets.has(num)) offsets.set(num, off);
      }
    }
    const t: PdfValue = lx.value();
    if (t.t !== "dict") throw new Error("pdf: bad trailer");
    trailer ??= t.v;
    const prev: PdfValue | undefined = t.v.get("Prev");
    at = prev && prev.t === "num" ? Number(prev.v) : null;
  }
  const objects = new Map<number, PdfObject>();
  for (const [num, off] of offsets) {
    const lx = new Lexer(buf, off);
    const n = lx.word();
    lx.word();
    if (lx.word() !== "obj" || Number(n) !== num)
      throw new Error(`pdf: object ${num} not at ${off}`);
    const value = lx.value();
    let stream: Buffer | null = null;
    if (lx.peekWord() === "stream") {
      lx.word();
      if (buf[lx.pos] === 13) lx.pos++;
      if (buf[lx.pos] === 10) lx.pos++;
      const lenValue = value.t === "dict" ? value.v.get("Length") : undefined;
      let len = -1;
      if (lenValue?.t === "num") len = Number(lenValue.v);
      else if (lenValue?.t === "ref") {
        const o = new Lexer(buf, offsets.get(lenValue.n)!);
        o.word();
        o.word();
        o.word();
        const v = o.value();
        if (v.t === "num") len = Number(v.v);
      }
      if (len < 0) len = buf.indexOf("endstream", lx.pos, "latin1") - lx.pos;
      stream = buf.subarray(lx.pos, lx.pos + len);
    }
    objects.set(num, { value, stream });
  }
  return { objects, trailer: trailer! };
}

export function dict(v: PdfValue | undefined): Map<string, PdfValue> {
  return v && v.t === "dict" ? v.v : new Map();
}

/** The value itself, following a reference. */
export function resolve(pdf: Pdf, v: PdfValue | undefined): PdfValue | undefined {
  return v && v.t === "ref" ? pdf.objects.get(v.n)?.value : v;
}

/** A stream's decoded bytes (FlateDecode or none). */
export function streamBytes(obj: PdfObject): Buffer {
  if (!obj.stream) return Buffer.alloc(0);
  const filter = dict(obj.value).get("Filter");
  const names =
    filter?.t === "name"
      ? [filter.v]
      : filter?.t === "arr"
        ? filter.v.map((f) => (f as { v: string }).v)
        : [];
  let data = obj.stream;
  for (const f of names) {
    if (f === "FlateDecode") data = zlib.inflateSync(data);
    else throw new Error(`pdf: filter ${f} is not supported`);
  }
  return data;
}

export interface PageRef {
  num: number;
  /** The page dictionary with inherited Resources, MediaBox, CropBox and Rotate filled in. */
  dict: Map<string, PdfValue>;
}

/** The leaf pages in order. */
export function pages(pdf: Pdf): PageRef[] {
  const root = dict(resolve(pdf, pdf.trailer.get("Root")));
  const out: PageRef[] = [];
  const walk = (ref: PdfValue | undefined, inherited: Map<string, PdfValue>) => {
    if (!ref || ref.t !== "ref") return;
    const d = dict(pdf.objects.get(ref.n)?.value);
    const inh = new Map(inherited);
    for (const k of ["Resources", "MediaBox", "CropBox", "Rotate"])
      if (d.has(k)) inh.set(k, d.get(k)!);
    const type = d.get("Type");
    if (type?.t === "name" && type.v === "Pages") {
      const kids = resolve(pdf, d.get("Kids"));
      for (const k of kids?.t === "arr" ? kids.v : []) walk(k, inh);
    } else out.push({ num: ref.n, dict: new Map([...inh, ...d]) });
  };
  walk(root.get("Pages"), new Map());
  return out;
}

// ---------------------------------------------------------------------------------------------
// Writing

const REGULAR = /^[!-~]$/;

function nameText(s: string): string {
  let out = "/";
  for (const ch of Buffer.from(s, "latin1")) {
    const c = String.fromCharCode(ch);
    out +=
      REGULAR.test(c) && !DELIM.has(ch) && c !== "#" ? c : `#${ch.toString(16).padStart(2, "0")}`;
  }
  return out;
}

function stringText(b: Buffer): string {
  let out = "(";
  for (const ch of b) {
    if (ch === 40 || ch === 41 || ch === 92) out += "\\" + String.fromCharCode(ch);
    else if (ch < 32 || ch > 126) out += "\\" + ch.toString(8).padStart(3, "0");
    else out += String.fromCharCode(ch);
  }
  return out + ")";
}

export function serialise(v: PdfValue): string {
  switch (v.t) {
    case "num":
    case "kw":
      return v.v;
    case "name":
      return nameText(v.v);
    case "str":
      return stringText(v.v);
    case "ref":
      return `${v.n} ${v.g} R`;
    case "arr":
      return `[${v.v.map(serialise).join(" ")}]`;
    case "dict":
      return `<<${[...v.v].map(([k, x]) => `${nameText(k)} ${serialise(x)}`).join("\n")}>>`;
  }
}

/** A PDF text string: PDFDocEncoding when ASCII, else UTF-16BE with a byte-order mark. */
export function textString(s: string): PdfValue {
  if (/^[\x20-\x7e]*$/.test(s)) return { t: "str", v: Buffer.from(s, "latin1") };
  const u = Buffer.from(s, "utf16le");
  for (let i = 0; i + 1 < u.length; i += 2) [u[i], u[i + 1]] = [u[i + 1], u[i]];
  return { t: "str", v: Buffer.concat([Buffer.from([0xfe, 0xff]), u]) };
}

/** D:YYYYMMDDHHmmSS+00'00' (7.9.4), in UTC. */
export function pdfDate(d: Date): PdfValue {
  const p = (n: number) => String(n).padStart(2, "0");
  const text = `D:${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}+00'00'`;
  return { t: "str", v: Buffer.from(text, "latin1") };
}

/** Where a link of a printed page goes in the written PDF. */
export type LinkTarget = { dest: string } | { uri: string } | null;

export interface Part {
  pdf: Pdf;
  /** Prefix of this part's named destinations ("<stem>:"), or "" for a single document. */
  prefix: string;
  /** The bookmark's title (joined documents). */
  title: string;
}

export interface WriteOptions {
  title: string;
  date: Date;
  /** What a URI link becomes (null: the link is removed). Default: kept as it is. */
  link?: (uri: string) => LinkTarget;
  /** One bookmark per part. */
  outline?: boolean;
}

/**
 * Writes one PDF from one or more printed ones: their pages in order, every object renumbered,
 * named destinations prefixed per part, URI links rewritten by `link`, and a document
 * information dictionary with the given title and date (CreationDate and ModDate).
 */
export function writePdf(parts: Part[], o: WriteOptions): Buffer {
  const out: Array<{ value: PdfValue; stream: Buffer | null }> = [];
  const alloc = (value: PdfValue, stream: Buffer | null = null) => out.push({ value, stream });
  // Object 1 is the catalog, 2 the page tree, 3 the destinations, 4 the information dictionary.
  const catalog = new Map<string, PdfValue>();
  const kids: PdfValue[] = [];
  const dests = new Map<string, PdfValue>();
  const info = new Map<string, PdfValue>();
  alloc({ t: "dict", v: catalog });
  alloc({ t: "dict", v: new Map() });
  alloc({ t: "dict", v: dests });
  alloc({ t: "dict", v: info });
  const rootRef: PdfValue = { t: "ref", n: 2, g: 0 };
  const firstPages: PdfValue[] = [];
  let creator: PdfValue | undefined;
  for (const part of parts) {
    const { pdf } = part;
    const skip = new Set<number>();
    const catalogRef = pdf.trailer.get("Root");
    const infoRef = pdf.trailer.get("Info");
    const oldCatalog = dict(resolve(pdf, catalogRef));
    creator ??= dict(resolve(pdf, infoRef)).get("Creator");
    for (const r of [catalogRef, infoRef, oldCatalog.get("Dests")])
      if (r?.t === "ref") skip.add(r.n);
    for (const [num, obj] of pdf.objects) {
      const t = dict(obj.value).get("Type");
      if (t?.t === "name" && t.v === "Pages") skip.add(num);
    }
    const renumber = new Map<number, number>();
    for (const num of [...pdf.objects.keys()].sort((a, b) => a - b))
      if (!skip.has(num)) renumber.set(num, out.length + 1 + renumber.size);
    const leaves = new Map(pages(pdf).map((p) => [p.num, p.dict]));
    const map = (v: PdfValue): PdfValue => {
      switch (v.t) {
        case "ref": {
          const n = renumber.get(v.n);
          return n === undefined ? { t: "kw", v: "null" } : { t: "ref", n, g: 0 };
        }
        case "arr":
          return { t: "arr", v: v.v.map(map) };
        case "dict": {
          const d = new Map<string, PdfValue>();
          for (const [k, x] of v.v) d.set(k, map(x));
          return { t: "dict", v: rewriteLink(d, part.prefix, o.link) };
        }
        default:
          return v;
      }
    };
    for (const [num] of renumber) {
      const obj = pdf.objects.get(num)!;
      let value = obj.value;
      if (leaves.has(num)) {
        // The page with what it inherited from the old page tree, hung from the new one.
        const d = new Map(leaves.get(num)!);
        d.delete("Parent");
        value = { t: "dict", v: d };
      }
      let mapped = map(value);
      if (leaves.has(num)) {
        dict(mapped).set("Parent", rootRef);
        kids.push({ t: "ref", n: renumber.get(num)!, g: 0 });
      }
      if (obj.stream && mapped.t === "dict") {
        const d = new Map(mapped.v);
        d.set("Length", { t: "num", v: String(obj.stream.length) });
        mapped = { t: "dict", v: d };
      }
      alloc(mapped, obj.stream);
    }
    const first = [...leaves.keys()][0];
    if (first !== undefined) firstPages.push({ t: "ref", n: renumber.get(first)!, g: 0 });
    for (const [k, v] of dict(resolve(pdf, oldCatalog.get("Dests"))))
      dests.set(part.prefix + k, map(v));
    if (first !== undefined && part.prefix)
      dests.set(part.prefix, {
        t: "arr",
        v: [firstPages[firstPages.length - 1], { t: "name", v: "XYZ" }, ...nulls(3)],
      });
  }
  // A link to a destination that no part has (Chromium names only anchors that a link of the same
  // page points at) goes to the start of the part its name belongs to, or nowhere.
  const fixDests = (v: PdfValue): void => {
    if (v.t === "arr") v.v.forEach(fixDests);
    if (v.t !== "dict") return;
    v.v.forEach(fixDests);
    const dest = v.v.get("Dest");
    if (dest?.t === "name" && !dests.has(dest.v)) {
      const part = dest.v.slice(0, dest.v.indexOf(":") + 1);
      if (part && dests.has(part)) v.v.set("Dest", { t: "name", v: part });
      else v.v.delete("Dest");
    }
  };
  out.slice(4).forEach((o) => fixDests(o.value));
  out[1].value = {
    t: "dict",
    v: new Map<string, PdfValue>([
      ["Type", { t: "name", v: "Pages" }],
      ["Count", { t: "num", v: String(kids.length) }],
      ["Kids", { t: "arr", v: kids }],
    ]),
  };
  catalog.set("Type", { t: "name", v: "Catalog" });
  catalog.set("Pages", rootRef);
  catalog.set("Dests", { t: "ref", n: 3, g: 0 });
  if (o.outline && parts.length > 1) {
    const outlinesNum = out.length + 1;
    alloc({ t: "dict", v: new Map() });
    const items = parts.map((p, i) => {
      const d = new Map<string, PdfValue>([
        ["Title", textString(p.title)],
        ["Parent", { t: "ref", n: outlinesNum, g: 0 }],
        ["Dest", { t: "arr", v: [firstPages[i], { t: "name", v: "XYZ" }, ...nulls(3)] }],
      ]);
      if (i > 0) d.set("Prev", { t: "ref", n: outlinesNum + i, g: 0 });
      if (i < parts.length - 1) d.set("Next", { t: "ref", n: outlinesNum + i + 2, g: 0 });
      return d;
    });
    items.forEach((d) => alloc({ t: "dict", v: d }));
    out[outlinesNum - 1].value = {
      t: "dict",
      v: new Map<string, PdfValue>([
        ["Type", { t: "name", v: "Outlines" }],
        ["First", { t: "ref", n: outlinesNum + 1, g: 0 }],
        ["Last", { t: "ref", n: outlinesNum + parts.length, g: 0 }],
        ["Count", { t: "num", v: String(parts.length) }],
      ]),
    };
    catalog.set("Outlines", { t: "ref", n: outlinesNum, g: 0 });
    catalog.set("PageMode", { t: "name", v: "UseOutlines" });
  }
  info.set("Title", textString(o.title));
  if (creator) info.set("Creator", creator);
  info.set("Producer", textString("Skia/PDF (Chromium), rewritten by scripts/pdf-file.ts"));
  info.set("CreationDate", pdfDate(o.date));
  info.set("ModDate", pdfDate(o.date));

  const chunks: Buffer[] = [Buffer.from("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "latin1")];
  let offset = chunks[0].length;
  const offsets: number[] = [];
  out.forEach((obj, i) => {
    offsets.push(offset);
    const head = Buffer.from(`${i + 1} 0 obj\n${serialise(obj.value)}\n`, "latin1");
    const parts2 = obj.stream
      ? [head, Buffer.from("stream\n"), obj.stream, Buffer.from("\nendstream\nendobj\n")]
      : [head, Buffer.from("endobj\n")];
    for (const p of parts2) {
      chunks.push(p);
      offset += p.length;
    }
  });
  const xref = [`xref\n0 ${out.length + 1}\n0000000000 65535 f\r\n`];
  for (const off of offsets) xref.push(`${String(off).padStart(10, "0")} 00000 n\r\n`);
  xref.push(
    `trailer\n<</Size ${out.length + 1}\n/Root 1 0 R\n/Info 4 0 R>>\nstartxref\n${offset}\n%%EOF\n`,
  );
  chunks.push(Buffer.from(xref.join(""), "latin1"));
  return Buffer.concat(chunks);
}

function nulls(n: number): PdfValue[] {
  return Array.from({ length: n }, () => ({ t: "kw", v: "null" }) as PdfValue);
}

/** A link annotation's target, rewritten: named destinations prefixed, URIs passed to `link`. */
function rewriteLink(
  d: Map<string, PdfValue>,
  prefix: string,
  link: WriteOptions["link"],
): Map<string, PdfValue> {
  const sub = d.get("Subtype");
  if (sub?.t !== "name" || sub.v !== "Link") return d;
  const dest = d.get("Dest");
  if (dest?.t === "name" || dest?.t === "str") {
    d.set("Dest", {
      t: "name",
      v: prefix + (dest.t === "name" ? dest.v : dest.v.toString("latin1")),
    });
  }
  const action = dict(d.get("A"));
  const uri = action.get("URI");
  if (link && uri?.t === "str") {
    const target = link(uri.v.toString("latin1"));
    d.delete("A");
    if (target && "dest" in target) d.set("Dest", { t: "name", v: target.dest });
    else if (target && "uri" in target)
      d.set("A", {
        t: "dict",
        v: new Map<string, PdfValue>([
          ["S", { t: "name", v: "URI" }],
          ["URI", { t: "str", v: Buffer.from(target.uri, "latin1") }],
        ]),
      });
  }
  return d;
}

// ---------------------------------------------------------------------------------------------
// Reading back (for the checks)

interface Font {
  /** code bytes → text */
  map: Map<string, string>;
  lengths: number[];
}

function parseToUnicode(text: string): Font {
  const map = new Map<string, string>();
  const lengths = new Set<number>();
  const hex = (h: string) => h.replace(/\s+/g, "").toLowerCase();
  const utf16 = (h: string) => {
    const b = Buffer.from(hex(h), "hex");
    for (let i = 0; i + 1 < b.length; i += 2) [b[i], b[i + 1]] = [b[i + 1], b[i]];
    return b.toString("utf16le");
  };
  for (const block of text.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
    for (const m of block[1].matchAll(/<([0-9a-fA-F\s]+)>\s*<([0-9a-fA-F\s]*)>/g)) {
      map.set(hex(m[1]), utf16(m[2]));
      lengths.add(hex(m[1]).length / 2);
    }
  for (const block of text.matchAll(/beginbfrange([\s\S]*?)endbfrange/g))
    for (const m of block[1].matchAll(
      /<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(?:<([0-9a-fA-F]+)>|\[([^\]]*)\])/g,
    )) {
      const len = m[1].length / 2;
      lengths.add(len);
      const lo = parseInt(m[1], 16);
      const hi = parseInt(m[2], 16);
      const list = m[4] ? [...m[4].matchAll(/<([0-9a-fA-F]+)>/g)].map((x) => x[1]) : null;
      for (let c = lo; c <= hi && c - lo < 65536; c++) {
        const key = c.toString(16).padStart(len * 2, "0");
        if (list) map.set(key, utf16(list[c - lo] ?? ""));
        else {
          const base = Buffer.from(m[3], "hex");
          base.writeUInt16BE(
            (base.readUInt16BE(base.length - 2) + (c - lo)) & 0xffff,
            base.length - 2,
          );
          map.set(key, utf16(base.toString("hex")));
        }
      }
    }
  return { map, lengths: [...lengths].sort((a, b) => b - a) };
}

function decodeText(bytes: Buffer, font: Font | undefined): string {
  if (!font) return bytes.toString("latin1");
  let out = "";
  const h = bytes.toString("hex");
  for (let i = 0; i < h.length;) {
    let hit = false;
    for (const len of font.lengths) {
      const key = h.slice(i, i + len * 2);
      const t = font.map.get(key);
      if (t !== undefined) {
        out += t;
        i += len * 2;
        hit = true;
        break;
      }
    }
    if (!hit) i += 2 * (font.lengths[font.lengths.length - 1] ?? 1);
  }
  return out;
}

const PAINT = new Set(["f", "F", "f*", "B", "B*", "b", "b*", "S", "s"]);

export interface PageContent {
  /** Text runs in drawing order (one per text-showing operator). */
  text: string[];
  /** Path painting operators (fills and strokes): vector graphics. */
  paths: number;
  /** Raster images drawn (image XObjects, inline images). */
  images: number;
}

/** What each page draws: its text, its vector paths and its raster images. */
export function readPages(pdf: Pdf): PageContent[] {
  const fonts = new Map<number, Font>();
  const fontOf = (v: PdfValue | undefined): Font | undefined => {
    if (v?.t !== "ref") return undefined;
    if (!fonts.has(v.n)) {
      const tu = dict(resolve(pdf, v)).get("ToUnicode");
      const obj = tu?.t === "ref" ? pdf.objects.get(tu.n) : undefined;
      // Without a ToUnicode map, a simple font's codes are read as Latin-1.
      if (obj) fonts.set(v.n, parseToUnicode(streamBytes(obj).toString("latin1")));
    }
    return fonts.get(v.n);
  };
  const run = (
    content: Buffer,
    resources: Map<string, PdfValue>,
    acc: PageContent,
    depth: number,
  ) => {
    const fontDict = dict(resolve(pdf, resources.get("Font")));
    const xobjects = dict(resolve(pdf, resources.get("XObject")));
    const lx = new Lexer(content);
    const operands: PdfValue[] = [];
    let font: Font | undefined;
    while (lx.pos < content.length) {
      lx.skipSpace();
      if (lx.pos >= content.length) break;
      const c = content[lx.pos];
      const isOperand =
        c === 47 || c === 40 || c === 60 || c === 91 || /[0-9+\-.]/.test(String.fromCharCode(c));
      if (isOperand) {
        operands.push(lx.value());
        continue;
      }
      const op = lx.word();
      if (op === "Tf" && operands[0]?.t === "name") font = fontOf(fontDict.get(operands[0].v));
      else if (op === "Tj" || op === "'" || op === '"') {
        const s = operands[operands.length - 1];
        if (s?.t === "str") acc.text.push(decodeText(s.v, font));
      } else if (op === "TJ" && operands[0]?.t === "arr") {
        acc.text.push(
          operands[0].v.map((x) => (x.t === "str" ? decodeText(x.v, font) : "")).join(""),
        );
      } else if (PAINT.has(op)) acc.paths++;
      else if (op === "BI") {
        acc.images++;
        const end = content.indexOf("EI", lx.pos, "latin1");
        lx.pos = end < 0 ? content.length : end + 2;
      } else if (op === "Do" && operands[0]?.t === "name") {
        const ref = xobjects.get(operands[0].v);
        const obj = ref?.t === "ref" ? pdf.objects.get(ref.n) : undefined;
        const d = dict(obj?.value);
        const sub = d.get("Subtype");
        if (sub?.t === "name" && sub.v === "Image") acc.images++;
        else if (obj && depth < 8)
          run(
            streamBytes(obj),
            d.has("Resources") ? dict(resolve(pdf, d.get("Resources"))) : resources,
            acc,
            depth + 1,
          );
      }
      operands.length = 0;
    }
  };
  return pages(pdf).map((p) => {
    const acc: PageContent = { text: [], paths: 0, images: 0 };
    const contents = resolve(pdf, p.dict.get("Contents"));
    const refs = contents?.t === "arr" ? contents.v : [p.dict.get("Contents")];
    const data = Buffer.concat(
      refs
        .map((r) => (r?.t === "ref" ? streamBytes(pdf.objects.get(r.n)!) : Buffer.alloc(0)))
        .flatMap((b) => [b, Buffer.from("\n")]),
    );
    run(data, dict(resolve(pdf, p.dict.get("Resources"))), acc, 0);
    return acc;
  });
}

/** Every URI of the document's link annotations. */
export function linkUris(pdf: Pdf): string[] {
  const out: string[] = [];
  for (const obj of pdf.objects.values()) {
    const uri = dict(dict(obj.value).get("A")).get("URI");
    if (uri?.t === "str") out.push(uri.v.toString("latin1"));
    for (const p of [obj.value]) {
      if (p.t !== "dict") continue;
      const annots = p.v.get("Annots");
      if (annots?.t === "arr")
        for (const a of annots.v) {
          const u = dict(dict(a).get("A")).get("URI");
          if (u?.t === "str") out.push(u.v.toString("latin1"));
        }
    }
  }
  return out;
}

/** The named destinations (as byte strings) and the destinations that link annotations jump to. */
export function destinations(pdf: Pdf): { named: string[]; linked: string[] } {
  const root = dict(resolve(pdf, pdf.trailer.get("Root")));
  const named = [...dict(resolve(pdf, root.get("Dests"))).keys()];
  const linked: string[] = [];
  for (const obj of pdf.objects.values()) {
    const d = dict(obj.value);
    const sub = d.get("Subtype");
    const dest = d.get("Dest");
    if (sub?.t === "name" && sub.v === "Link" && dest?.t === "name") linked.push(dest.v);
  }
  return { named, linked };
}

/** The information dictionary's text entries. */
export function documentInfo(pdf: Pdf): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of dict(resolve(pdf, pdf.trailer.get("Info")))) {
    if (v.t !== "str") continue;
    const b = v.v;
    if (b[0] === 0xfe && b[1] === 0xff) {
      const u = Buffer.from(b.subarray(2));
      for (let i = 0; i + 1 < u.length; i += 2) [u[i], u[i + 1]] = [u[i + 1], u[i]];
      out[k] = u.toString("utf16le");
    } else out[k] = b.toString("latin1");
  }
  return out;
}
