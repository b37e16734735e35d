// Reads a zip the way an auditor's unzip would, for the compliance-pack tests: the central
// directory, each entry's local header, its stored or deflated bytes, and its CRC-32 checked. Only
// what the packs use (no ZIP64, no encryption); anything else is an error, not a guess. Then the
// pack's own files: its CSVs as Excel reads them, its manifest checked against the entries.
import { createHash } from "node:crypto";
import { crc32, inflateRawSync } from "node:zlib";
import type { PackManifest } from "@floorwatch/contracts";
import { expect } from "vitest";

export interface ZipEntry {
  name: string;
  method: number;
  /** DOS date and time fields as stored. */
  dosDate: number;
  dosTime: number;
  /** The local header's extra field length (a host-dependent timestamp would be here). */
  extraLength: number;
  data: Buffer;
}

export function readZip(zip: Buffer): ZipEntry[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error("no end of central directory");
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`bad central header ${i}`);
    const method = zip.readUInt16LE(at + 10);
    const dosTime = zip.readUInt16LE(at + 12);
    const dosDate = zip.readUInt16LE(at + 14);
    const crc = zip.readUInt32LE(at + 16);
    const compressed = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30);
    const comment = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString("utf8");
    at += 46 + nameLength + extra + comment;
    if (zip.readUInt32LE(local) !== 0x04034b50) throw new Error(`bad local header of ${name}`);
    const localName = zip.readUInt16LE(local + 26);
    const localExtra = zip.readUInt16LE(local + 28);
    const start = local + 30 + localName + localExtra;
    const raw = zip.subarray(start, start + compressed);
    const data = method === 0 ? Buffer.from(raw) : method === 8 ? inflateRawSync(raw) : undefined;
    if (!data) throw new Error(`${name}: compression method ${method}`);
    if (data.length !== size) throw new Error(`${name}: ${data.length} bytes, header says ${size}`);
    if (crc32(data) !== crc) throw new Error(`${name}: CRC mismatch`);
    entries.push({ name, method, dosDate, dosTime, extraLength: localExtra, data });
  }
  return entries;
}

/**
 * A CSV file as Excel reads it (a pack's, a desk download): cells, RFC 4180 quoting undone, without
 * its BOM; a file without the BOM, with a line not ended by CRLF or a bare CR is an error.
 */
export function parseCsv(bytes: Buffer): string[][] {
  const text = bytes.toString("utf8");
  if (!text.startsWith("\uFEFF")) throw new Error("no byte-order mark");
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 1; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\r") {
      if (text[i + 1] !== "\n") throw new Error(`a bare CR at ${i}`);
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else if (ch === "\n") throw new Error(`a line ending without CR at ${i}`);
    else cell += ch;
  }
  if (cell !== "" || row.length) throw new Error("the last line has no CRLF");
  return rows;
}

export const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

/** The entry named `name`; an error naming what the zip holds when there is none. */
export function entryOf(zip: ZipEntry[], name: string): ZipEntry {
  const e = zip.find((z) => z.name === name);
  if (!e) throw new Error(`no ${name} in ${zip.map((z) => z.name).join(", ")}`);
  return e;
}

export const manifestOf = (zip: ZipEntry[]) =>
  JSON.parse(entryOf(zip, "manifest.json").data.toString("utf8")) as PackManifest;

/** A CSV file of the pack as cells, its header first (BOM and CRLF checked). */
export const csvOf = (zip: ZipEntry[], name: string) => parseCsv(entryOf(zip, name).data);

/** A CSV file of the pack as its header and its rows keyed by column. */
export function tableOf(zip: ZipEntry[], name: string) {
  const [header, ...rows] = csvOf(zip, name);
  return {
    header: header!,
    rows: rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!]))),
  };
}

/** One column of a CSV's rows (header first), by its header. */
export function columnOf(rows: string[][], name: string): string[] {
  const i = rows[0]!.indexOf(name);
  if (i < 0) throw new Error(`no column ${name} in ${rows[0]!.join(",")}`);
  return rows.slice(1).map((r) => r[i]!);
}

/**
 * The pack's manifest, checked against the zip: it lists every other entry, in the zip's order,
 * each with the SHA-256, size and (a CSV's; null for any other file) row count recomputed here.
 */
export function checkedManifest(zip: ZipEntry[]): PackManifest {
  const m = manifestOf(zip);
  expect(m.files.map((f) => f.name)).toEqual(
    zip.filter((e) => e.name !== "manifest.json").map((e) => e.name),
  );
  for (const f of m.files) {
    const data = entryOf(zip, f.name).data;
    expect([f.sha256, f.bytes], f.name).toEqual([sha256(data), data.length]);
    expect(f.rows, f.name).toBe(f.name.endsWith(".csv") ? parseCsv(data).length - 1 : null);
  }
  return m;
}
