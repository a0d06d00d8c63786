// Building export files from the device's copy, chunk by chunk: the records are read a page at a time
// (repository.pages: a few buckets of IndexedDB rows), each page becomes one Blob part, and the file is
// the Blob of those parts — a national export never sits in memory as one huge string, the progress is
// told after each page and a cancellation stops at the next one.
import { EXPORT_FORMAT_VERSION } from '../../../src-shared/exports';
import { entityFields, type EntityName } from '../../../src-shared/registry';
import { csvHead, csvRows } from '../../ui/csv';
import { exportColumns, lookupRow, lookupsFor, type LookupName, type Lookups, type Rec } from './columns';

/** Where the records come from: the repository in the app, arrays in the tests. */
export interface RecordSource {
  count(entity: EntityName): Promise<number>;
  pages(entity: EntityName): AsyncIterable<Rec[]>;
}

export interface ExportProgress {
  entity: EntityName;
  /** Records written so far (all entities, for the JSON). */
  done: number;
  total: number;
}

export interface BuildOptions {
  signal?: AbortSignal;
  /** Counts already known (the screen's table): the progress bar's totals, without counting again. */
  totals?: Partial<Record<EntityName, number>>;
  onProgress?: (p: ExportProgress) => void;
}

/** The export was cancelled by the person (no file is saved). */
export class ExportCancelled extends Error {
  constructor() {
    super('Export annulé.');
    this.name = 'ExportCancelled';
  }
}

function check(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ExportCancelled();
}

/** Lets the page paint the progress between two chunks. */
const breathe = () => new Promise<void>((r) => setTimeout(r, 0));

const byId = (a: Rec, b: Rec) => (String(a.id) < String(b.id) ? -1 : String(a.id) > String(b.id) ? 1 : 0);

/** The lookups the readable columns of `entity` need, read from the copy. */
export async function loadLookups(
  entity: EntityName,
  source: RecordSource,
  signal?: AbortSignal,
): Promise<Partial<Lookups>> {
  const out: Partial<Record<LookupName, Map<string, unknown>>> = {};
  // Read side by side: IndexedDB serves one while the other's records are put in their map.
  await Promise.all(
    lookupsFor(entity).map(async (name) => {
      const m = new Map<string, unknown>();
      for await (const page of source.pages(name)) {
        check(signal);
        for (const r of page) m.set(...lookupRow(name, r));
      }
      out[name] = m;
    }),
  );
  return out as Partial<Lookups>;
}

/** One entity's CSV (French Excel: BOM, ';', CRLF, headings from the catalogue). */
export async function buildCsv(entity: EntityName, source: RecordSource, opts: BuildOptions = {}): Promise<Blob> {
  const known = opts.totals?.[entity];
  const counted = (known !== undefined ? Promise.resolve(known) : source.count(entity)).then((total) => {
    opts.onProgress?.({ entity, done: 0, total });
    return total;
  });
  const [total, lookups] = await Promise.all([counted, loadLookups(entity, source, opts.signal)]);
  performance.mark('atlas-export-lookups');
  const columns = exportColumns(entity, lookups);
  const parts: Blob[] = [new Blob([csvHead(columns)])];
  let done = 0;
  for await (const page of source.pages(entity)) {
    check(opts.signal);
    parts.push(new Blob([csvRows(page.sort(byId), columns)]));
    done += page.length;
    opts.onProgress?.({ entity, done, total: Math.max(total, done) });
    await breathe();
  }
  check(opts.signal);
  return new Blob(parts, { type: 'text/csv;charset=utf-8' });
}

/** Who the export is of: the role and its scope (the whole country, or one région). */
export interface ExportScope {
  role: string;
  /** « national » or the région's code. */
  scope: 'national' | 'region';
  region: string | null;
  label: string;
}

/** A record with every schema field, in the schema's order, null where empty. */
export function fullRecord(entity: EntityName, r: Rec): Rec {
  return Object.fromEntries(entityFields(entity).map((f) => [f, r[f] ?? null]));
}

/**
 * One JSON file of everything: `{ format, formatVersion, exportedAt, scope, entities: { <entity>: [records] },
 * counts }`. Records are as stored (ids, codes, ISO dates), every schema field present.
 */
export async function buildJson(
  entities: readonly EntityName[],
  source: RecordSource,
  meta: { exportedAt: string; scope: ExportScope },
  opts: BuildOptions = {},
): Promise<Blob> {
  const totals = await Promise.all(entities.map((e) => opts.totals?.[e] ?? source.count(e)));
  const total = totals.reduce((a, b) => a + b, 0);
  const head = {
    format: 'atlas-hors-ligne/export',
    formatVersion: EXPORT_FORMAT_VERSION,
    exportedAt: meta.exportedAt,
    scope: meta.scope,
  };
  const parts: Blob[] = [new Blob([`${JSON.stringify(head).slice(0, -1)},"entities":{`])];
  const counts: Record<string, number> = {};
  let done = 0;
  for (const [i, entity] of entities.entries()) {
    opts.onProgress?.({ entity, done, total: Math.max(total, done) });
    parts.push(new Blob([`${i ? ',' : ''}${JSON.stringify(entity)}:[`]));
    let n = 0;
    for await (const page of source.pages(entity)) {
      check(opts.signal);
      if (!page.length) continue;
      const chunk = page
        .sort(byId)
        .map((r) => JSON.stringify(fullRecord(entity, r)))
        .join(',');
      parts.push(new Blob([n ? `,${chunk}` : chunk]));
      n += page.length;
      done += page.length;
      opts.onProgress?.({ entity, done, total: Math.max(total, done) });
      await breathe();
    }
    counts[entity] = n;
    parts.push(new Blob([']']));
  }
  check(opts.signal);
  parts.push(new Blob([`},"counts":${JSON.stringify(counts)}}`]));
  return new Blob(parts, { type: 'application/json' });
}
