/**
 * ZIP files (APPNOTE 6.3.x: local headers, central directory, end record; entries stored or
 * deflated; UTF-8 names; an extended-timestamp field with the time in UTC). Deterministic across
 * machines: the same entries with the same times give the same bytes, whatever the Node release,
 * since the deflate is fflate's (pure JavaScript, its version locked in package-lock.json) rather
 * than the zlib Node links against; CRC-32 is Node's zlib.crc32.
 */
import { deflateSync } from "fflate";
import * as zlib from "zlib";

export interface ZipEntry {
  name: string;
  data: Buffer;
  /** Modification time recorded for the entry (the run's, not the clock's). */
  mtime: Date;
}

/** CRC-32 (ISO 3309, the one ZIP and gzip use): Node's zlib.crc32 (Node 20.15 and later). */
export function crc32(data: Buffer): number {
  return zlib.crc32(data) >>> 0;
}

/** MS-DOS date and time fields, from the UTC calendar (two-second resolution, 1980–2107). */
function dosTime(d: Date): { time: number; date: number } {
  const year = Math.min(Math.max(d.getUTCFullYear(), 1980), 2107);
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1),
    date: ((year - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}

/** Extended timestamp extra field (0x5455): the modification time in seconds since 1970, UTC. */
function timestampField(d: Date): Buffer {
  const b = Buffer.alloc(9);
  b.writeUInt16LE(0x5455, 0);
  b.writeUInt16LE(5, 2);
  b.writeUInt8(1, 4);
  b.writeUInt32LE(Math.floor(d.getTime() / 1000) >>> 0, 5);
  return b;
}

/**
 * A ZIP archive of the entries, in the order given (sort them first for a reproducible archive).
 * Each entry is deflated (fflate, level 9) unless that does not make it smaller. `comment`: the
 * archive's comment (ASCII), shown by unzip -l and zipinfo.
 */
export function writeZip(entries: ZipEntry[], comment = ""): Buffer {
  if (!/^[\x20-\x7e]{0,1000}$/.test(comment))
    throw new Error(
      `writeZip: parameter comment = ${JSON.stringify(comment)} must be printable ASCII, at most 1000 characters`,
    );
  const names = new Set<string>();
  const chunks: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    if (names.has(e.name)) throw new Error(`writeZip: entry ${e.name} appears twice`);
    if (!e.name || e.name.startsWith("/") || e.name.split("/").includes(".."))
      throw new Error(`writeZip: entry name ${JSON.stringify(e.name)} must be a relative path`);
    names.add(e.name);
    const name = Buffer.from(e.name, "utf8");
    const deflated = Buffer.from(deflateSync(e.data, { level: 9 }));
    const store = deflated.length >= e.data.length;
    const body = store ? e.data : deflated;
    const crc = crc32(e.data);
    const { time, date } = dosTime(e.mtime);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(0x0800, 6); // bit 11: the name is UTF-8
    local.writeUInt16LE(store ? 0 : 8, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const extra = timestampField(e.mtime);
    local.writeUInt16LE(extra.length, 28);
    chunks.push(local, name, extra, body);
    const cextra = timestampField(e.mtime);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, 2.0
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(0x0800, 8);
    c.writeUInt16LE(store ? 0 : 8, 10);
    c.writeUInt16LE(time, 12);
    c.writeUInt16LE(date, 14);
    c.writeUInt32LE(crc, 16);
    c.writeUInt32LE(body.length, 20);
    c.writeUInt32LE(e.data.length, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt16LE(cextra.length, 30);
    c.writeUInt16LE(0, 32); // comment length
    c.writeUInt16LE(0, 34); // disk
    c.writeUInt16LE(0, 36); // internal attributes
    c.writeUInt32LE((0o100644 << 16) >>> 0, 38); // external: a regular file, rw-r--r--
    c.writeUInt32LE(offset, 42);
    central.push(c, name, cextra);
    offset += local.length + name.length + extra.length + body.length;
    if (offset > 0xffffffff || names.size > 0xffff)
      throw new Error("writeZip: the archive needs ZIP64, which this writer does not do");
  }
  const cd = Buffer.concat(central);
  const commentBytes = Buffer.from(comment, "ascii");
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(commentBytes.length, 20);
  return Buffer.concat([...chunks, cd, end, commentBytes]);
}

/** Reads a ZIP written by writeZip (or any without ZIP64 and encryption), checking every CRC. */
export function readZip(zip: Buffer): Array<{ name: string; data: Buffer; mtime: Date | null }> {
  const endAt = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (endAt < 0) throw new Error("readZip: no end of central directory");
  const count = zip.readUInt16LE(endAt + 10);
  let p = zip.readUInt32LE(endAt + 16);
  const out: Array<{ name: string; data: Buffer; mtime: Date | null }> = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error("readZip: bad central directory");
    const method = zip.readUInt16LE(p + 10);
    const crc = zip.readUInt32LE(p + 16);
    const csize = zip.readUInt32LE(p + 20);
    const nameLen = zip.readUInt16LE(p + 28);
    const extraLen = zip.readUInt16LE(p + 30);
    const commentLen = zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    const name = zip.toString("utf8", p + 46, p + 46 + nameLen);
    const extra = zip.subarray(p + 46 + nameLen, p + 46 + nameLen + extraLen);
    let mtime: Date | null = null;
    for (let q = 0; q + 4 <= extra.length;) {
      const id = extra.readUInt16LE(q);
      const size = extra.readUInt16LE(q + 2);
      if (id === 0x5455 && size >= 5) mtime = new Date(extra.readUInt32LE(q + 5) * 1000);
      q += 4 + size;
    }
    const lName = zip.readUInt16LE(local + 26);
    const lExtra = zip.readUInt16LE(local + 28);
    const body = zip.subarray(local + 30 + lName + lExtra, local + 30 + lName + lExtra + csize);
    const data = method === 0 ? Buffer.from(body) : zlib.inflateRawSync(body);
    if (crc32(data) !== crc) throw new Error(`readZip: CRC mismatch in ${name}`);
    out.push({ name, data, mtime });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}
