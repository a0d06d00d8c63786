// The DAECT's import of an existing Atlas (src-shared/api/importAtlas.ts): the same import as the command line,
// one at a time on this server (an import holds its batches' revisions: a second one waits its turn… refused).
// The simulation answers its report; the real run is a job kept in this process's memory: the POST reads the
// file and answers at once with the job, whose progress GET /api/v1/import-atlas/:id answers. A restart loses
// the jobs' state, not their data: every batch is all or nothing, and importing the same file again resumes.
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { importAtlasEndpoints as e, type ImportAtlasJob } from '../../src-shared/api/importAtlas';
import { newId } from '../../src-shared/sync/ids';
import type { Db } from '../db/driver';
import { HttpError } from '../httpError';
import { MappingError } from '../import-atlas/mapping';
import { SourceError } from '../import-atlas/read';
import { reportCsv, reportText } from '../import-atlas/report';
import { ImportError, importAtlas, loadSource, type ImportResult, type LoadedSource } from '../import-atlas/run';
import type { SyncService } from '../sync/service';
import { route, type Claims, type RouteDeps } from './contract';

/** Finished jobs kept for their GET (the newest); a running one is never dropped. */
const KEPT_JOBS = 20;

type Body = { nom: string; fichier: string; correspondance?: string | undefined };

function response(r: ImportResult) {
  return {
    simulation: r.dryRun,
    rapport: r.report,
    texte: reportText(r),
    csv: reportCsv(r.report),
    ...(r.label ? { libelle: r.label } : {}),
    ecrit: r.written,
  };
}

function forbidUnlessDaect(claims: Claims) {
  if (claims.role !== 'daect') throw new HttpError(403, 'FORBIDDEN', 'Seule la DAECT peut importer un Atlas existant.');
}

export function importAtlasRoutes(app: FastifyInstance, deps: RouteDeps, sync: SyncService, db: Db): void {
  let running = false;
  const jobs = new Map<string, ImportAtlasJob>();

  /** Checks the caller and the file (errors answer 400 at once) and takes the server's one import slot. */
  const start = async (body: Body, claims: Claims): Promise<LoadedSource> => {
    forbidUnlessDaect(claims);
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
      return await loadSource({ bytes: new Uint8Array(Buffer.from(body.fichier, 'base64')), name: body.nom }, mapping);
    } catch (err) {
      running = false;
      throw httpErrorOf(err);
    }
  };

  const keep = (job: ImportAtlasJob) => {
    jobs.set(job.id, job);
    for (const [id, j] of jobs) {
      if (jobs.size <= KEPT_JOBS) break;
      if (j.etat !== 'en_cours') jobs.delete(id);
    }
  };

  const runJob = async (id: string, source: LoadedSource, userId: string, log: FastifyBaseLogger) => {
    const nom = source.fileName;
    let written = { crees: 0, misAJour: 0, lots: 0 };
    let lots = 0;
    try {
      const r = await importAtlas({ db, sync }, source, {
        dryRun: false,
        userId,
        onProgress: (p) => {
          written = p.written;
          lots = p.batches;
          keep({ id, etat: 'en_cours', nom, lot: p.batch, lots: p.batches, ecrits: p.done, total: p.total });
        },
      });
      keep({ id, etat: 'termine', nom, resultat: response(r) });
    } catch (err) {
      const known = err instanceof ImportError;
      if (!known) log.error({ err }, 'import de l’Atlas échoué');
      keep({
        id,
        etat: 'echoue',
        nom,
        code: known ? err.code : 'INTERNAL',
        message: known
          ? err.message
          : 'L’import s’est arrêté sur une erreur du serveur. Les lots déjà écrits le sont entièrement (chaque lot est tout ou rien) ; importez de nouveau le même fichier : l’import reprendra où il s’est arrêté.',
        ecrit: written,
        lots,
      });
    } finally {
      running = false;
    }
  };

  route(app, deps, e.simulateImport, async ({ body, claims }) => {
    const source = await start(body, claims);
    try {
      return response(await importAtlas({ db, sync }, source, { dryRun: true, userId: claims.sub }));
    } catch (err) {
      throw httpErrorOf(err);
    } finally {
      running = false;
    }
  });

  route(app, deps, e.runImport, async ({ body, claims, req }) => {
    const source = await start(body, claims);
    const id = newId();
    const job: ImportAtlasJob = { id, etat: 'en_cours', nom: source.fileName, lot: 0, lots: 0, ecrits: 0, total: 0 };
    keep(job);
    void runJob(id, source, claims.sub, req.log);
    return job;
  });

  route(app, deps, e.importStatus, async ({ params, claims }) => {
    forbidUnlessDaect(claims);
    const job = jobs.get(params.id);
    if (!job)
      throw new HttpError(
        404,
        'NOT_FOUND',
        'Cet import est inconnu du serveur : il a sans doute redémarré depuis (l’état d’un import n’est gardé qu’en mémoire ; ce que ses lots ont écrit reste dans la base). Importez de nouveau le même fichier : l’import reprendra où il s’est arrêté, sans rien écrire deux fois.',
      );
    return job;
  });
}

function httpErrorOf(err: unknown): unknown {
  if (err instanceof SourceError || err instanceof ImportError)
    return new HttpError(400, err.code as 'SOURCE_EMPTY', err.message);
  if (err instanceof MappingError) return new HttpError(400, 'MAPPING_INVALID', err.message);
  return err;
}
