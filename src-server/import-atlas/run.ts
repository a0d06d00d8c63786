// The import of existing Atlas records: read the source, plan against the database (the dry run stops there),
// then write the plan through the sync service's normal write path as the actor « import de l'Atlas <date> »,
// in batches, each all or nothing, remembering in import_atlas_records what each batch wrote (same
// transaction): an interrupted import is resumed by running it again.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { newId } from '../../src-shared/sync/ids';
import type { ChangeResult } from '../../src-shared/sync/protocol';
import type { Db, Queryable } from '../db/driver';
import { loadOfficialCollectivites } from '../reference/officialCollectivites';
import type { Actor } from '../sync/actor';
import { BatchRejected, type SyncService } from '../sync/service';
import { BUILTIN_MAPPINGS, guessMapping, parseMapping, requiredHeadings, type Mapping } from './mapping';
import { CollectiviteMatcher } from './match';
import { changeOf, planImport, type Action, type Report } from './plan';
import { readSourceBytes, readSourceFile, SourceError, type ReadOptions, type SourceTable } from './read';

/** The actor of an import run from the command line (no account): the audit log names the run. */
export const IMPORT_USER_ID = '00000000-0000-4000-8000-000000000017';
export const DEFAULT_BATCH = 2_000;

let matcher: CollectiviteMatcher | null = null;
export function officialMatcher(): CollectiviteMatcher {
  matcher ??= new CollectiviteMatcher(loadOfficialCollectivites());
  return matcher;
}

export class ImportError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface LoadedSource {
  table: SourceTable;
  mapping: Mapping;
  fileName: string;
  sha256: string;
}

/**
 * Reads the source with its mapping (a JSON text or object), or with the built-in mapping its headers fit:
 * the app's exports, or the ministry's open-data layout (docs/import-atlas/modele.csv).
 */
export async function loadSource(
  src: { path: string } | { bytes: Uint8Array; name: string },
  mappingJson?: unknown,
  opts: Pick<ReadOptions, 'maxBytes'> = {},
): Promise<LoadedSource> {
  const given = mappingJson === undefined ? null : parseMapping(mappingJson);
  const read = (o: ReadOptions) => ('path' in src ? readSourceFile(src.path, o) : readSourceBytes(src.bytes, o));
  let table: SourceTable | null = null;
  let mapping = given;
  if (mapping) {
    table = await read({ ...opts, sheet: mapping.feuille, expectedHeaders: requiredHeadings(mapping) });
  } else {
    let lastError: unknown = null;
    for (const m of BUILTIN_MAPPINGS) {
      try {
        const t = await read({ ...opts, expectedHeaders: requiredHeadings(m) });
        const g = guessMapping(t.headers);
        if (g) {
          table = t;
          mapping = g;
          break;
        }
        if (t.format === 'csv') {
          table = t;
          break;
        }
      } catch (e) {
        if (!(e instanceof SourceError) || e.code !== 'SOURCE_NO_SHEET') throw e;
        lastError = e;
      }
    }
    if (!table && lastError) throw lastError;
    if (!mapping)
      throw new ImportError(
        'MAPPING_REQUIRED',
        `Les colonnes de ce fichier ne sont ni celles d’un export de l’Atlas ni celles du modèle (docs/import-atlas/modele.csv) : donnez un fichier de correspondance (--mapping). Colonnes lues : ${table!.headers.map((h) => `« ${h} »`).join(', ')}.`,
      );
  }
  const hash = createHash('sha256');
  if ('path' in src) {
    for await (const chunk of fs.createReadStream(src.path)) hash.update(chunk as Buffer);
  } else hash.update(src.bytes);
  return {
    table: table!,
    mapping: mapping!,
    fileName: 'path' in src ? src.path.split(/[\\/]/).pop()! : src.name,
    sha256: hash.digest('hex'),
  };
}

async function thematiques(db: Queryable) {
  return db.query<{ code: string; libelle: string }>(
    `SELECT "code", "libelle" FROM entree_reference WHERE "liste" = 'thematique' AND NOT deleted AND NOT "retiree"`,
  );
}

export interface Progress {
  /** Records written so far, out of `total`. */
  done: number;
  total: number;
  batch: number;
  batches: number;
  /** What the batches written so far created and updated. */
  written: { crees: number; misAJour: number; lots: number };
}

export interface ImportResult {
  dryRun: boolean;
  report: Report;
  runId?: string;
  label?: string;
  written: { crees: number; misAJour: number; lots: number };
}

export interface ImportOptions {
  dryRun: boolean;
  /** Who runs it (the DAECT's account from the screen); the command line's import has none. */
  userId?: string | null;
  batchSize?: number;
  onProgress?: (p: Progress) => void;
  now?: Date;
}

export function importLabel(now: Date): string {
  const d = new Intl.DateTimeFormat('fr-FR', {
    timeZone: 'Europe/Paris',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(now);
  return `import de l’Atlas ${d.replace(',', '')}`;
}

/** Plans the import of a loaded source and, unless dry, writes it. */
export async function importAtlas(
  deps: { db: Db; sync: SyncService },
  source: LoadedSource,
  opts: ImportOptions,
): Promise<ImportResult> {
  const { db, sync } = deps;
  const plan = await planImport(db, {
    table: source.table,
    fileName: source.fileName,
    mapping: source.mapping,
    matcher: officialMatcher(),
    thematiques: await thematiques(db),
  });
  if (opts.dryRun) return { dryRun: true, report: plan.report, written: { crees: 0, misAJour: 0, lots: 0 } };
  const runId = newId();
  const label = importLabel(opts.now ?? new Date());
  await db.query(
    `INSERT INTO import_atlas_runs (id, label, file_name, file_sha256, user_id, status) VALUES ($1, $2, $3, $4, $5, 'en_cours')`,
    [runId, label, source.fileName, source.sha256, opts.userId ?? null],
  );
  const actor: Actor = {
    userId: opts.userId ?? IMPORT_USER_ID,
    role: 'daect',
    collectiviteId: null,
    region: null,
    deviceId: runId,
    label,
    atlasImport: true,
  };
  // The mark « repris de l'Atlas existant — à vérifier » on what the run writes (docs/domain.md).
  const reprisLe = (opts.now ?? new Date()).toISOString();
  const size = opts.batchSize ?? DEFAULT_BATCH;
  const actions = plan.actions;
  const batches = Math.ceil(actions.length / size);
  const written = { crees: 0, misAJour: 0, lots: 0 };
  opts.onProgress?.({ done: 0, total: actions.length, batch: 0, batches, written: { ...written } });
  try {
    for (let b = 0; b < batches; b++) {
      const batch = actions.slice(b * size, (b + 1) * size);
      const changes = batch.map((a, i) => changeOf(a, newId(), b * size + i + 1, reprisLe));
      try {
        await sync.applyBatch(actor, changes, (tx, results) => remember(tx, runId, batch, results));
      } catch (e) {
        if (e instanceof BatchRejected) {
          const a = batch[e.index]!;
          throw new ImportError(
            'IMPORT_BATCH_REJECTED',
            `Lot ${b + 1} sur ${batches} refusé, rien de ce lot n’a été écrit (ligne ${a.line || '—'}, ${a.entity}) : ${e.message} Les lots précédents sont importés ; corrigez le fichier et relancez l’import, il reprendra où il s’est arrêté.`,
          );
        }
        throw e;
      }
      for (const a of batch)
        if (a.op === 'create') written.crees++;
        else written.misAJour++;
      written.lots++;
      opts.onProgress?.({
        done: Math.min(actions.length, (b + 1) * size),
        total: actions.length,
        batch: b + 1,
        batches,
        written: { ...written },
      });
    }
  } catch (e) {
    await db.query(
      `UPDATE import_atlas_runs SET status = 'echoue', finished_at = now(), error = $2, report = $3 WHERE id = $1`,
      [runId, e instanceof Error ? e.message : String(e), JSON.stringify(plan.report)],
    );
    throw e;
  }
  await db.query(`UPDATE import_atlas_runs SET status = 'termine', finished_at = now(), report = $2 WHERE id = $1`, [
    runId,
    JSON.stringify(plan.report),
  ]);
  return { dryRun: false, report: plan.report, runId, label, written };
}

/** In the batch's transaction: what each written record now holds from the import, and at which revision. */
async function remember(tx: Queryable, runId: string, batch: Action[], results: ChangeResult[]) {
  const rows: { e: string; r: string; k: string; v: Record<string, unknown>; f: Record<string, number> }[] = [];
  batch.forEach((a, i) => {
    const r = results[i]!;
    // A conflict (a write raced the import) leaves the field to the people who settle it: not the import's.
    if (a.entity === 'collectivite' || r.status === 'rejected' || r.status === 'conflict') return;
    const rev = r.rev ?? 0;
    const written = a.op === 'create' ? Object.keys(a.remember) : Object.keys(a.fields);
    rows.push({
      e: a.entity,
      r: a.id,
      k: a.sourceKey,
      v: a.remember,
      f: Object.fromEntries(written.map((f) => [f, rev])),
    });
  });
  if (!rows.length) return;
  await tx.query(
    `INSERT INTO import_atlas_records (entity, record_id, source_key, run_id, "values", field_revs)
     SELECT t.e, t.r, t.k, $2::uuid, t.v, t.f FROM jsonb_to_recordset($1::jsonb) AS t(e text, r uuid, k text, v jsonb, f jsonb)
     ON CONFLICT (entity, record_id) DO UPDATE SET "values" = EXCLUDED."values", source_key = EXCLUDED.source_key,
       run_id = EXCLUDED.run_id, field_revs = import_atlas_records.field_revs || EXCLUDED.field_revs`,
    [JSON.stringify(rows), runId],
  );
}
