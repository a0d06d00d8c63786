// Reading a source file of the Atlas import: CSV (UTF-8 with or without BOM, or Windows-1252; `;`, `,` or tab;
// quoted fields with line breaks), read as a stream, or XLSX (the sheet chosen by name or by its headers).
// No dependency: the CSV grammar is a small state machine, an XLSX a zip (node:zlib) of XML parts.
import fs from 'node:fs';
import zlib from 'node:zlib';

/** Beyond this size a file is refused before being read (the CLI may raise it with --taille-max). */
export const MAX_SOURCE_BYTES = 200 * 1024 * 1024;

export class SourceError extends Error {
  constructor(
    readonly code: 'SOURCE_TOO_LARGE' | 'SOURCE_UNREADABLE' | 'SOURCE_NO_SHEET' | 'SOURCE_EMPTY',
    message: string,
  ) {
    super(message);
  }
}

export interface SourceRow {
  /** Line of the file where the row starts (1 = the header line); the row number in a sheet. */
  line: number;
  cells: string[];
}

export interface SourceTable {
  format: 'csv' | 'xlsx';
  encoding?: 'utf-8' | 'windows-1252';
  separator?: string;
  /** XLSX: the sheet read and why (named by the mapping, or the first with the expected headers). */
  sheet?: string;
  sheets?: string[];
  headers: string[];
  rows: SourceRow[];
  /** A line the CSV grammar could not read to its end (an unclosed quote): reported, never guessed. */
  broken: { line: number; reason: string }[];
}

export interface ReadOptions {
  /** XLSX: the sheet to read. */
  sheet?: string;
  /** XLSX without a named sheet: the first sheet whose headers include all of these. */
  expectedHeaders?: readonly string[];
  maxBytes?: number;
}

const isXlsx = (b: Uint8Array) => b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

export const mo = (n: number) => `${(n / 1024 / 1024).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} Mo`;

function tooLarge(size: number, max: number): SourceError {
  return new SourceError(
    'SOURCE_TOO_LARGE',
    `Le fichier fait ${mo(size)}, au-delà de la limite de ${mo(max)} : découpez-le en plusieurs fichiers (par région par exemple) et importez-les l’un après l’autre.`,
  );
}

/** A file on disk: CSV read as a stream, XLSX read whole (a zip is read from its end). */
export async function readSourceFile(path: string, opts: ReadOptions = {}): Promise<SourceTable> {
  const max = opts.maxBytes ?? MAX_SOURCE_BYTES;
  let size: number;
  try {
    size = (await fs.promises.stat(path)).size;
  } catch {
    throw new SourceError('SOURCE_UNREADABLE', `Fichier introuvable ou illisible : ${path}`);
  }
  if (size > max) throw tooLarge(size, max);
  const fd = await fs.promises.open(path, 'r');
  const head = new Uint8Array(4);
  await fd.read(head, 0, 4, 0);
  await fd.close();
  if (isXlsx(head)) return readXlsx(await fs.promises.readFile(path), opts);
  return readCsv(fs.createReadStream(path, { highWaterMark: 1 << 20 }));
}

/** Bytes already in memory (an upload). */
export async function readSourceBytes(bytes: Uint8Array, opts: ReadOptions = {}): Promise<SourceTable> {
  const max = opts.maxBytes ?? MAX_SOURCE_BYTES;
  if (bytes.length > max) throw tooLarge(bytes.length, max);
  if (isXlsx(bytes)) return readXlsx(bytes, opts);
  return readCsv(
    (async function* () {
      for (let i = 0; i < bytes.length; i += 1 << 20) yield bytes.subarray(i, i + (1 << 20));
    })(),
  );
}

// ---- CSV ----

/** Windows-1252's 0x80–0x9F (Node's TextDecoder reads them as Latin-1 control characters). */
export const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

/** A Windows-1252 decoder with TextDecoder's `decode` (single bytes: no state across chunks). */
class Cp1252Decoder {
  decode(bytes?: Uint8Array, _opts?: { stream?: boolean }): string {
    if (!bytes) return '';
    let out = '';
    for (let i = 0; i < bytes.length; i += 8192) {
      const chunk = Array.from(bytes.subarray(i, i + 8192), (b) =>
        b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80]! : b,
      );
      out += String.fromCharCode(...chunk);
    }
    return out;
  }
}

/**
 * UTF-8 unless the first bytes are not valid UTF-8 (a French Excel file saved as « CSV » is Windows-1252):
 * decided on the first megabyte, past a UTF-8 sequence the chunk may cut.
 */
export function detectEncoding(first: Uint8Array): 'utf-8' | 'windows-1252' {
  let end = first.length;
  // Do not judge a multi-byte sequence cut by the chunk's end.
  for (let k = 1; k <= 3 && end - k >= 0; k++) {
    const b = first[end - k]!;
    if ((b & 0xc0) === 0xc0) {
      end -= k;
      break;
    }
    if ((b & 0x80) === 0) break;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(first.subarray(0, end));
    return 'utf-8';
  } catch {
    return 'windows-1252';
  }
}

/** The separator of the header line: the most frequent of `;`, `,` and tab outside quotes. */
export function detectSeparator(headerLine: string): string {
  let inQ = false;
  const n: Record<string, number> = { ';': 0, ',': 0, '\t': 0 };
  for (const ch of headerLine) {
    if (ch === '"') inQ = !inQ;
    else if (!inQ && ch in n) n[ch]!++;
  }
  const [best, count] = Object.entries(n).sort((a, b) => b[1] - a[1])[0]!;
  return count > 0 ? best : ';';
}

export async function readCsv(source: AsyncIterable<Uint8Array | string>): Promise<SourceTable> {
  let decoder: { decode(b?: Uint8Array, o?: { stream?: boolean }): string } | null = null;
  // (Set inside `decide`: read through this function, the compiler does not narrow it to null.)
  const current = () => decoder;
  let encoding: 'utf-8' | 'windows-1252' = 'utf-8';
  let sep: string | null = null;
  let pending = '';
  const rows: SourceRow[] = [];
  const broken: SourceTable['broken'] = [];
  // Parser state, kept across chunks.
  let field = '';
  let record: string[] = [];
  let inQuotes = false;
  let quotedField = false;
  let line = 1;
  let recordLine = 1;
  let afterCr = false;
  const endField = () => {
    record.push(quotedField ? field : field.trim());
    field = '';
    quotedField = false;
  };
  const endRecord = () => {
    endField();
    if (!(record.length === 1 && record[0] === '')) rows.push({ line: recordLine, cells: record });
    record = [];
  };
  const feed = (text: string) => {
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (afterCr) {
        afterCr = false;
        if (ch === '\n') continue;
      }
      if (inQuotes) {
        if (ch === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i++;
          } else if (i + 1 === text.length) {
            // The quote may be the first of a doubled one cut by the chunk: decided with the next chunk.
            pending = '"';
            return;
          } else inQuotes = false;
        } else {
          if (ch === '\n' || ch === '\r') line++;
          if (ch === '\r' && text[i + 1] === '\n') {
            field += '\n';
            i++;
            continue;
          }
          field += ch === '\r' ? '\n' : ch;
        }
        continue;
      }
      if (ch === '"' && field.trim() === '' && !quotedField) {
        inQuotes = true;
        quotedField = true;
        field = '';
      } else if (ch === sep) endField();
      else if (ch === '\n' || ch === '\r') {
        endRecord();
        line++;
        recordLine = line;
        if (ch === '\r') afterCr = true;
      } else field += ch;
    }
  };
  let head = '';
  const push = (text: string) => {
    if (text.charCodeAt(0) === 0xfeff && !sep && !head) text = text.slice(1);
    if (!sep) {
      head += text;
      const nl = head.search(/[\r\n]/);
      if (nl < 0 && head.length < 1 << 20) return;
      sep = detectSeparator(nl < 0 ? head : head.slice(0, nl));
      text = head;
    }
    text = pending + text;
    pending = '';
    feed(text);
  };
  // The encoding is decided on the first 64 KB (or the whole file when smaller), whatever the chunks.
  const startBytes: Uint8Array[] = [];
  let startLength = 0;
  const decide = () => {
    let bytes = Buffer.concat(startBytes);
    startBytes.length = 0;
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    else encoding = detectEncoding(bytes);
    decoder = encoding === 'utf-8' ? new TextDecoder('utf-8') : new Cp1252Decoder();
    push(decoder.decode(bytes, { stream: true }));
  };
  for await (const chunk of source) {
    if (typeof chunk === 'string') push(chunk);
    else if (current()) push(current()!.decode(chunk, { stream: true }));
    else {
      startBytes.push(chunk);
      startLength += chunk.length;
      if (startLength >= 65_536) decide();
    }
  }
  if (!current() && startLength) decide();
  const rest = current()?.decode() ?? '';
  if (rest) push(rest);
  if (!sep) {
    sep = detectSeparator(head);
    feed(head);
  }
  if (pending) feed(pending);
  // A quote that ends the file closes its field.
  if (pending === '"') inQuotes = false;
  if (inQuotes) {
    broken.push({
      line: recordLine,
      reason: 'guillemet ouvert jamais refermé : la ligne et la suite du fichier ne peuvent être lues',
    });
  } else if (field !== '' || record.length) endRecord();
  const [header, ...data] = rows;
  if (!header) throw new SourceError('SOURCE_EMPTY', 'Le fichier est vide : aucune ligne d’en-tête.');
  return {
    format: 'csv',
    encoding,
    separator: sep,
    headers: header.cells.map((h) => h.trim()),
    rows: data,
    broken,
  };
}

// ---- XLSX ----

/** The entries of a zip (stored or deflated), read from its central directory. */
function unzip(buf: Uint8Array): Map<string, () => Buffer> {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  let eocd = -1;
  for (let i = b.length - 22; i >= Math.max(0, b.length - 65_558); i--) {
    if (b.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new SourceError('SOURCE_UNREADABLE', 'Ce fichier Excel est endommagé (archive illisible).');
  const count = b.readUInt16LE(eocd + 10);
  let p = b.readUInt32LE(eocd + 16);
  const out = new Map<string, () => Buffer>();
  for (let n = 0; n < count; n++) {
    if (b.readUInt32LE(p) !== 0x02014b50) break;
    const method = b.readUInt16LE(p + 10);
    const csize = b.readUInt32LE(p + 20);
    const nameLen = b.readUInt16LE(p + 28);
    const extraLen = b.readUInt16LE(p + 30);
    const commentLen = b.readUInt16LE(p + 32);
    const local = b.readUInt32LE(p + 42);
    const name = b.toString('utf8', p + 46, p + 46 + nameLen);
    out.set(name, () => {
      const start = local + 30 + b.readUInt16LE(local + 26) + b.readUInt16LE(local + 28);
      const data = b.subarray(start, start + csize);
      return method === 0 ? Buffer.from(data) : zlib.inflateRawSync(data);
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
function xmlText(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e: string) =>
    e[0] === '#'
      ? String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1)))
      : (ENTITIES[e] ?? m),
  );
}
const attr = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
/** The text of every <t> of an element (rich text runs joined). */
const allT = (xml: string) => [...xml.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)].map((m) => xmlText(m[1]!)).join('');

function colIndex(ref: string): number {
  let n = 0;
  for (const ch of ref) {
    const c = ch.charCodeAt(0);
    if (c < 65 || c > 90) break;
    n = n * 26 + (c - 64);
  }
  return n - 1;
}

function readSheet(xml: string, shared: string[]): SourceRow[] {
  const rows: SourceRow[] = [];
  for (const m of xml.matchAll(/<row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/row>)/g)) {
    const rowNum = Number(attr(m[1]!, 'r') ?? rows.length + 1);
    const cells: string[] = [];
    for (const c of (m[2] ?? '').matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const tag = c[1]!;
      const body = c[2] ?? '';
      const ref = attr(tag, 'r');
      const t = attr(tag, 't');
      const v = /<v>([\s\S]*?)<\/v>/.exec(body)?.[1];
      let value = '';
      if (t === 's') value = shared[Number(v)] ?? '';
      else if (t === 'inlineStr') value = allT(body);
      else if (t === 'b') value = v === '1' ? 'oui' : 'non';
      else if (v !== undefined) value = xmlText(v);
      const at = ref ? colIndex(ref) : cells.length;
      while (cells.length < at) cells.push('');
      cells[at] = value.trim();
    }
    if (cells.some((x) => x !== '')) rows.push({ line: rowNum, cells });
  }
  return rows;
}

export function readXlsx(bytes: Uint8Array, opts: ReadOptions = {}): SourceTable {
  const zip = unzip(bytes);
  const part = (name: string) => zip.get(name)?.().toString('utf8');
  const workbook = part('xl/workbook.xml');
  if (!workbook) throw new SourceError('SOURCE_UNREADABLE', 'Ce fichier n’est pas un classeur Excel (.xlsx) lisible.');
  const rels = new Map<string, string>();
  for (const m of (part('xl/_rels/workbook.xml.rels') ?? '').matchAll(/<Relationship\b[^>]*>/g)) {
    const id = attr(m[0], 'Id');
    const target = attr(m[0], 'Target');
    if (id && target) rels.set(id, target.startsWith('/') ? target.slice(1) : `xl/${target}`);
  }
  const sheets = [...workbook.matchAll(/<sheet\b[^>]*>/g)].map((m) => ({
    name: xmlText(attr(m[0], 'name') ?? ''),
    path: rels.get(attr(m[0], 'r:id') ?? '') ?? '',
  }));
  const shared = [...(part('xl/sharedStrings.xml') ?? '').matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => allT(m[1]!));
  const names = sheets.map((s) => s.name);
  const load = (s: (typeof sheets)[number]) => readSheet(part(s.path) ?? '', shared);
  let chosen: { name: string; rows: SourceRow[] } | null = null;
  if (opts.sheet) {
    const s = sheets.find((x) => x.name.toLowerCase() === opts.sheet!.toLowerCase());
    if (!s)
      throw new SourceError(
        'SOURCE_NO_SHEET',
        `Le classeur n’a pas de feuille « ${opts.sheet} » (feuilles : ${names.map((n) => `« ${n} »`).join(', ')}).`,
      );
    chosen = { name: s.name, rows: load(s) };
  } else {
    const want = (opts.expectedHeaders ?? []).map(foldHeader);
    for (const s of sheets) {
      const rows = load(s);
      const hs = new Set((rows[0]?.cells ?? []).map(foldHeader));
      if (want.every((h) => hs.has(h))) {
        chosen = { name: s.name, rows };
        break;
      }
    }
    if (!chosen)
      throw new SourceError(
        'SOURCE_NO_SHEET',
        `Aucune feuille du classeur n’a les colonnes attendues (${(opts.expectedHeaders ?? []).map((h) => `« ${h} »`).join(', ')}) ; feuilles : ${names.map((n) => `« ${n} »`).join(', ')}. Indiquez la feuille dans le fichier de correspondance (« feuille »).`,
      );
  }
  const [header, ...data] = chosen.rows;
  if (!header) throw new SourceError('SOURCE_EMPTY', `La feuille « ${chosen.name} » est vide.`);
  return { format: 'xlsx', sheet: chosen.name, sheets: names, headers: header.cells, rows: data, broken: [] };
}

/** A header as compared: case, accents, apostrophes and spaces ignored. */
export function foldHeader(h: string): string {
  return h
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/[^a-z0-9%€]+/g, ' ')
    .trim();
}
