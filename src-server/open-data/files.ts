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

/** The files of the current data version, built on first demand after each change. */
export class OpenDataStore {
  private current: OpenDataSnapshot | null = null;
  /** The version before the current one: kept until the next, for downloads that started on it. */
  private previousVersion: number | null = null;
  private building: { version: number; promise: Promise<OpenDataSnapshot> } | null = null;
  private readonly root: string;
  readonly dictionary = dictionaryFiles();

  constructor(
    private readonly db: Queryable,
    root?: string,
  ) {
    this.root = root ?? fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-donnees-'));
  }

  /** The snapshot of the data as it is now (building it if the data changed since the last one). */
  async snapshot(): Promise<OpenDataSnapshot> {
    const version = await dataVersion(this.db);
    if (this.current && this.current.version >= version) return this.current;
    if (this.building && this.building.version >= version) return this.building.promise;
    const previous = this.building?.promise ?? Promise.resolve(null);
    const promise = (async () => {
      // One build at a time: a newer version waits for the running one, then writes its own folder.
      await previous.catch(() => null);
      if (this.current && this.current.version >= version) return this.current;
      const dir = path.join(this.root, `v${version}`);
      fs.rmSync(dir, { recursive: true, force: true });
      const snap = await buildOpenData(this.db, dir, version);
      const old = this.current;
      if (!old || old.version < snap.version) {
        this.current = snap;
        if (this.previousVersion !== null)
          fs.rmSync(path.join(this.root, `v${this.previousVersion}`), { recursive: true, force: true });
        this.previousVersion = old?.version ?? null;
      }
      return this.current!;
    })();
    this.building = { version, promise };
    promise.then(
      () => {
        if (this.building?.promise === promise) this.building = null;
      },
      () => {
        if (this.building?.promise === promise) this.building = null;
      },
    );
    return promise;
  }

  /** Removes the files (server shutdown). */
  close(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}
