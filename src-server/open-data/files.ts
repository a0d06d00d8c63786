// The open-data files (issue 17), built lazily for each version of the public data: the first request
// after a change (a new revision in a public table) writes every file again, page by page, into a folder
// of its own under the system's temporary folder; requests stream them from there. One build at a time;
// a version's folder is removed when the one after the next is complete (a download that started on it
// has its file open by then). A file is thus never older than the last synced edit at the moment it is asked for.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { csvHead, csvRows, type CsvColumn } from '../../src-shared/csv';
import {
  ALL_FILE,
  DICTIONARY_COLUMNS,
  LICENCE,
  OPEN_DATASETS,
  dataDictionary,
  datasetColumns,
  openDataCell,
  type OpenDataset,
} from '../../src-shared/public/openData';
import type { Queryable } from '../db/driver';
import { dataVersion, lastModified, publicApdRows, publicRows, type PublicRow } from './data';

export interface OpenDataFile {
  /** `collectivites.csv`… */
  name: string;
  format: 'csv' | 'json';
  dataset: OpenDataset | null;
  bytes: number;
  records: number;
  /** Absolute path of the file (null for the dictionary, held in memory). */
  path: string | null;
  body?: Buffer;
}

export interface OpenDataSnapshot {
  version: number;
  /** When the data last changed (Last-Modified). */
  modified: Date;
  builtAt: Date;
  buildMs: number;
  files: Map<string, OpenDataFile>;
}

/** The metadata every JSON file starts with. */
function meta(version: number, modified: Date, titre: string) {
  return {
    titre,
    licence: { nom: LICENCE.nom, url: LICENCE.url },
    producteur: LICENCE.producteur,
    versionDonnees: version,
    misAJourLe: modified.toISOString(),
    dictionnaire: '/atlas/donnees/dictionnaire.json',
  };
}

/** Writes a file in chunks (a national file never sits whole in memory). */
class FileWriter {
  bytes = 0;
  private fd: number;
  constructor(readonly file: string) {
    this.fd = fs.openSync(file, 'w');
  }
  write(s: string): void {
    if (!s) return;
    const b = Buffer.from(s, 'utf8');
    fs.writeSync(this.fd, b);
    this.bytes += b.length;
  }
  close(): void {
    fs.closeSync(this.fd);
  }
}

/** The dictionary files (the same for every version: it is the rule, not the data). */
export function dictionaryFiles(): OpenDataFile[] {
  const entries = dataDictionary();
  const columns: CsvColumn<Record<string, unknown>>[] = DICTIONARY_COLUMNS.map((c) => ({
    header: c.header,
    value: (r) => r[c.key] as string | boolean | null,
  }));
  const csv = Buffer.from(
    csvHead(columns) +
      csvRows(entries as unknown as Record<string, unknown>[], columns) +
      // The licence, in the dictionary of the CSV files (a CSV file has no room for it).
      csvRows([{ fichier: '(tous)', champ: '', libelle: `Licence : ${LICENCE.nom} — ${LICENCE.url}` }], columns),
    'utf8',
  );
  const json = Buffer.from(
    JSON.stringify({
      titre: 'Dictionnaire des données ouvertes de l’Atlas de la coopération décentralisée',
      licence: { nom: LICENCE.nom, url: LICENCE.url },
      producteur: LICENCE.producteur,
      fichiers: OPEN_DATASETS.map((d) => ({
        fichier: d.fichier,
        entite: d.entity,
        titre: d.titre,
        description: d.description,
      })),
      champs: entries,
    }),
    'utf8',
  );
  const base = { dataset: null, records: entries.length, path: null };
  return [
    { ...base, name: 'dictionnaire.csv', format: 'csv', bytes: csv.length, body: csv },
    { ...base, name: 'dictionnaire.json', format: 'json', bytes: json.length, body: json },
  ];
}

/** Writes every file of one version into `dir`. */
export async function buildOpenData(db: Queryable, dir: string, version: number): Promise<OpenDataSnapshot> {
  const t0 = performance.now();
  const modified = await lastModified(db);
  fs.mkdirSync(dir, { recursive: true });
  const files = new Map<string, OpenDataFile>();
  const all = new FileWriter(path.join(dir, `${ALL_FILE}.json`));
  const allMeta = JSON.stringify(meta(version, modified, 'Atlas de la coopération décentralisée — données ouvertes'));
  all.write(`${allMeta.slice(0, -1)},"fichiers":{`);
  let allRecords = 0;
  // Parents kept, so that a child is published only under a public parent.
  const ids: Record<string, Set<string>> = {};
  const keepFor = (d: OpenDataset) => {
    const coll = ids.collectivite;
    if (d.entity === 'collectivite' || d.entity === 'entreeReference') return () => true;
    if (d.entity === 'ficheProjet')
      return (r: PublicRow) => coll!.has(String(r.collectiviteId)) && ids.partenariat!.has(String(r.partenariatId));
    return (r: PublicRow) => coll!.has(String(r.collectiviteId));
  };
  for (const [i, d] of OPEN_DATASETS.entries()) {
    const cols = datasetColumns(d);
    const columns: CsvColumn<PublicRow>[] = cols.map((c) => ({ header: c, value: (r) => openDataCell(r[c]) }));
    const csv = new FileWriter(path.join(dir, `${d.fichier}.csv`));
    const json = new FileWriter(path.join(dir, `${d.fichier}.json`));
    csv.write(csvHead(columns));
    const head = JSON.stringify({ ...meta(version, modified, d.titre), fichier: d.fichier, champs: cols });
    json.write(`${head.slice(0, -1)},"enregistrements":[`);
    all.write(`${i ? ',' : ''}${JSON.stringify(d.fichier)}:[`);
    const seen = (ids[d.entity] = new Set<string>());
    const keep = keepFor(d);
    const pages = d.entity === 'declarationApd' ? publicApdRows(db, keep) : publicRows(db, d.entity, keep);
    let n = 0;
    for await (const rows of pages) {
      if (!rows.length) continue;
      for (const r of rows) seen.add(String(r.id));
      csv.write(csvRows(rows, columns));
      let chunk = '';
      for (const r of rows) chunk += `${n++ ? ',' : ''}${JSON.stringify(r)}`;
      json.write(chunk);
      all.write(chunk);
    }
    json.write(']}');
    all.write(']');
    csv.close();
    json.close();
    allRecords += n;
    files.set(`${d.fichier}.csv`, {
      name: `${d.fichier}.csv`,
      format: 'csv',
      dataset: d,
      bytes: csv.bytes,
      records: n,
      path: csv.file,
    });
    files.set(`${d.fichier}.json`, {
      name: `${d.fichier}.json`,
      format: 'json',
      dataset: d,
      bytes: json.bytes,
      records: n,
      path: json.file,
    });
  }
  all.write('}}');
  all.close();
  files.set(`${ALL_FILE}.json`, {
    name: `${ALL_FILE}.json`,
    format: 'json',
    dataset: null,
    bytes: all.bytes,
    records: allRecords,
    path: all.file,
  });
  return { version, modified, builtAt: new Date(), buildMs: performance.now() - t0, files };
}

export interface OpenDataStoreOptions {
  /** The sync watermark (SyncService.revs.watermark): revisions at or below it are all committed. */
  watermark: () => number;
  /** Folder of the files (a fresh one under the system's temporary folder by default). */
  root?: string;
  /**
   * How long the files may lag behind the data (ms): within this time of the last moment they were known
   * current, a request gets them at once (and starts the next build behind it if the last one is half this
   * old); after it, a request waits for a build. 0: every request after a change waits for the new files.
   */
  maxStaleMs?: number;
  now?: () => number;
}

/**
 * The files of the current data version, built on first demand after each change. Builds run one at a time;
 * changes made during a build are gathered into one next build, which reads the version when it starts.
 */
export class OpenDataStore {
  private current: OpenDataSnapshot | null = null;
  /** When the current files were last known to hold the latest data. */
  private confirmedAt = 0;
  /** When the last build ended. */
  private builtAt = 0;
  /** The version before the current one: kept until the next, for downloads that started on it. */
  private previousVersion: number | null = null;
  private running: Promise<OpenDataSnapshot> | null = null;
  private queued: Promise<OpenDataSnapshot> | null = null;
  private readonly root: string;
  private readonly maxStaleMs: number;
  private readonly now: () => number;
  readonly dictionary = dictionaryFiles();

  constructor(
    private readonly db: Queryable,
    private readonly opts: OpenDataStoreOptions,
  ) {
    this.root = opts.root ?? fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-donnees-'));
    this.maxStaleMs = opts.maxStaleMs ?? 0;
    this.now = opts.now ?? Date.now;
  }

  /** The version of the public data now (dataVersion at the sync watermark). */
  version(): Promise<number> {
    return dataVersion(this.db, this.opts.watermark());
  }

  /** The files of the data as it is now, or, within `maxStaleMs`, as it just was while the new ones are built. */
  async snapshot(): Promise<OpenDataSnapshot> {
    const asked = this.now();
    const version = await this.version();
    const cur = this.current;
    if (cur && cur.version >= version) {
      this.confirmedAt = Math.max(this.confirmedAt, asked);
      return cur;
    }
    if (cur && this.now() - this.confirmedAt < this.maxStaleMs) {
      // Within the window: the current files at once. The next build starts behind them once the last one
      // is half a window old, so a steady stream of edits rebuilds now and then, not back to back; past the
      // window, a request waits for a build.
      if (!this.running && !this.queued && this.now() - this.builtAt >= this.maxStaleMs / 2)
        this.rebuild().catch(() => undefined); // a failed build is retried by a later request
      return cur;
    }
    return this.rebuild();
  }

  /** Settles when no build is running or waiting (tests, benchmarks). */
  async idle(): Promise<void> {
    while (this.running || this.queued) await (this.queued ?? this.running)!.catch(() => undefined);
  }

  private rebuild(): Promise<OpenDataSnapshot> {
    if (this.queued) return this.queued;
    const before = this.running;
    // The build names its own promise once it runs (after the one before it).
    const self: { p?: Promise<OpenDataSnapshot> } = {};
    const p = (async () => {
      await null;
      if (before) await before.catch(() => undefined);
      this.queued = null;
      this.running = self.p!;
      try {
        const started = this.now();
        const version = await this.version();
        if (this.current && this.current.version >= version) {
          this.confirmedAt = Math.max(this.confirmedAt, started);
          return this.current;
        }
        const dir = path.join(this.root, `v${version}`);
        fs.rmSync(dir, { recursive: true, force: true });
        const snap = await buildOpenData(this.db, dir, version);
        const old = this.current;
        this.current = snap;
        this.confirmedAt = started;
        this.builtAt = this.now();
        if (this.previousVersion !== null)
          fs.rmSync(path.join(this.root, `v${this.previousVersion}`), { recursive: true, force: true });
        this.previousVersion = old?.version ?? null;
        return snap;
      } finally {
        if (this.running === self.p) this.running = null;
      }
    })();
    self.p = p;
    this.queued = p;
    return p;
  }

  /** Removes the files (server shutdown). */
  close(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}
