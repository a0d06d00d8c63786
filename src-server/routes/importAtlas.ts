// The DAECT's import of an existing Atlas (src-shared/api/importAtlas.ts): the same import as the command line,
// one at a time on this server (an import holds its batches' revisions: a second one waits its turn… refused).
import type { FastifyInstance } from 'fastify';
import { importAtlasEndpoints as e } from '../../src-shared/api/importAtlas';
import type { Db } from '../db/driver';
import { HttpError } from '../httpError';
import { MappingError } from '../import-atlas/mapping';
import { SourceError } from '../import-atlas/read';
import { reportCsv, reportText } from '../import-atlas/report';
import { ImportError, importAtlas, loadSource } from '../import-atlas/run';
import type { SyncService } from '../sync/service';
import { route, type Claims, type RouteDeps } from './contract';

export function importAtlasRoutes(app: FastifyInstance, deps: RouteDeps, sync: SyncService, db: Db): void {
  let running = false;
  const handle = async (
    body: { nom: string; fichier: string; correspondance?: string | undefined },
    claims: Claims,
    dryRun: boolean,
  ) => {
    if (claims.role !== 'daect')
      throw new HttpError(403, 'FORBIDDEN', 'Seule la DAECT peut importer un Atlas existant.');
    if (running)
      throw new HttpError(
        409,
        'IMPORT_RUNNING',
        'Un import est déjà en cours sur le serveur : attendez sa fin et recommencez.',
      );
    running = true;
    try {
      let mapping: unknown;
      if (body.correspondance !== undefined) {
        try {
          mapping = JSON.parse(body.correspondance);
        } catch {
          throw new HttpError(400, 'MAPPING_INVALID', 'Le fichier de correspondance n’est pas du JSON valide.');
        }
      }
      const source = await loadSource(
        { bytes: new Uint8Array(Buffer.from(body.fichier, 'base64')), name: body.nom },
        mapping,
      );
      const r = await importAtlas({ db, sync }, source, { dryRun, userId: claims.sub });
      return {
        simulation: r.dryRun,
        rapport: r.report,
        texte: reportText(r),
        csv: reportCsv(r.report),
        ...(r.label ? { libelle: r.label } : {}),
        ecrit: r.written,
      };
    } catch (err) {
      if (err instanceof SourceError || err instanceof ImportError)
        throw new HttpError(400, err.code as 'SOURCE_EMPTY', err.message);
      if (err instanceof MappingError) throw new HttpError(400, 'MAPPING_INVALID', err.message);
      throw err;
    } finally {
      running = false;
    }
  };
  route(app, deps, e.simulateImport, ({ body, claims }) => handle(body, claims, true));
  route(app, deps, e.runImport, ({ body, claims }) => handle(body, claims, false));
}
