// The import of existing Atlas records from the DAECT's screen (issue 17): the same import as `npm run
// import:atlas` (src-server/import-atlas), online only, for the DAECT. The file travels as base64 in a JSON body,
// within the server's body limit (BODY_LIMIT, 8 MB by default: about 6 MB of file); larger files go through the
// command line. The simulation answers its report; the real run is a job of the server: the POST answers at once
// (202) with the job's id, and GET /api/v1/import-atlas/:id its progress, then its report or its error.
import { z } from 'zod';
import { SESSION_ERRORS } from './auth';
import { endpoint } from './endpoint';

export const IMPORT_ERROR_CODES = [
  'SOURCE_TOO_LARGE',
  'SOURCE_UNREADABLE',
  'SOURCE_NO_SHEET',
  'SOURCE_EMPTY',
  'MAPPING_INVALID',
  'MAPPING_REQUIRED',
  'IMPORT_BATCH_REJECTED',
] as const;

export const importAtlasRequest = z.object({
  nom: z.string().min(1).max(255),
  fichier: z
    .string()
    .min(1)
    .max(8 * 1024 * 1024)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, { error: 'Le fichier doit être transmis en base64.' }),
  /** The mapping file's JSON text (docs/import-atlas/mapping-modele.json); absent: recognised from the headers. */
  correspondance: z
    .string()
    .max(200 * 1024)
    .optional(),
});

const lines = z.array(z.number().int());
const counts = z.object({ aCreer: z.number().int(), aMettreAJour: z.number().int(), inchanges: z.number().int() });

/** The import's report (src-server/import-atlas/plan.ts: Report). */
export const importReport = z.object({
  fichier: z.object({
    nom: z.string(),
    format: z.enum(['csv', 'xlsx']),
    encodage: z.string().optional(),
    separateur: z.string().optional(),
    feuille: z.string().optional(),
    feuilles: z.array(z.string()).optional(),
    correspondance: z.string(),
    colonnesIgnorees: z.array(z.string()),
  }),
  lignesLues: z.number().int(),
  collectivites: z.object({
    reconnues: z.number().int(),
    parCode: z.number().int(),
    parNom: z.number().int(),
    aCreerDansLaBase: z.number().int(),
    ambigues: z.array(z.object({ valeur: z.string(), lignes: lines, candidats: z.array(z.string()) })),
    inconnues: z.array(z.object({ valeur: z.string(), lignes: lines, raison: z.string() })),
  }),
  partenariats: counts,
  fiches: counts,
  doublons: z.array(z.object({ ligne: z.number().int(), premiereLigne: z.number().int() })),
  refusees: z.array(z.object({ ligne: z.number().int(), raison: z.string() })),
  paysInconnus: z.array(z.object({ valeur: z.string(), lignes: lines })),
  thematiquesInconnues: z.array(z.object({ valeur: z.string(), lignes: lines })),
  conserves: z.array(z.object({ ligne: z.number().int(), entite: z.string(), champ: z.string(), raison: z.string() })),
});

const ecrit = z.object({ crees: z.number().int(), misAJour: z.number().int(), lots: z.number().int() });

export const importAtlasResponse = z.object({
  simulation: z.boolean(),
  rapport: importReport,
  /** The report as text (French) and as CSV (French Excel), as the command line writes them. */
  texte: z.string(),
  csv: z.string(),
  /** The run's label in the audit (« import de l’Atlas <date> »); absent for a simulation. */
  libelle: z.string().optional(),
  ecrit,
});
export type ImportAtlasResponse = z.infer<typeof importAtlasResponse>;

/**
 * An import run by the server (in its memory: a restart loses the job's state, not what its batches wrote).
 * `en_cours`: `lots` is 0 while the plan is computed, then the batches written (`lot` of `lots`) and the records
 * (`ecrits` of `total`); `termine`: the report, as the simulation's; `echoue`: the French error and what was
 * written before it (whole batches: each is all or nothing, and importing the same file again resumes).
 */
export const importAtlasJob = z.discriminatedUnion('etat', [
  z.object({
    id: z.string(),
    etat: z.literal('en_cours'),
    nom: z.string(),
    lot: z.number().int(),
    lots: z.number().int(),
    ecrits: z.number().int(),
    total: z.number().int(),
  }),
  z.object({ id: z.string(), etat: z.literal('termine'), nom: z.string(), resultat: importAtlasResponse }),
  z.object({
    id: z.string(),
    etat: z.literal('echoue'),
    nom: z.string(),
    code: z.string(),
    message: z.string(),
    /** What the batches before the failure wrote (each batch is all or nothing). */
    ecrit,
    lots: z.number().int(),
  }),
]);
export type ImportAtlasJob = z.infer<typeof importAtlasJob>;

const errors = { 400: IMPORT_ERROR_CODES, 401: SESSION_ERRORS, 403: ['FORBIDDEN'], 409: ['IMPORT_RUNNING'] } as const;

export const importAtlasEndpoints = {
  simulateImport: endpoint({
    method: 'POST',
    path: '/api/v1/import-atlas/simulation',
    tag: 'référentiel',
    summary: 'Importer un Atlas existant — simulation : le rapport de ce que l’import ferait, rien n’est écrit (DAECT)',
    auth: true,
    body: importAtlasRequest,
    response: importAtlasResponse,
    errors,
  }),
  runImport: endpoint({
    method: 'POST',
    path: '/api/v1/import-atlas',
    tag: 'référentiel',
    summary:
      'Importer un Atlas existant : lance l’import (réponse immédiate : son identifiant, à suivre par GET), qui écrit par lots, tout ou rien par lot, au nom de « import de l’Atlas <date> » ; relancer le même fichier reprend où il s’est arrêté et n’écrit rien de plus s’il est terminé (DAECT)',
    auth: true,
    body: importAtlasRequest,
    response: importAtlasJob,
    status: 202,
    errors,
  }),
  importStatus: endpoint({
    method: 'GET',
    path: '/api/v1/import-atlas/:id',
    tag: 'référentiel',
    summary:
      'Un import lancé : lots écrits et enregistrements, puis son rapport ou son erreur (gardé en mémoire par le serveur jusqu’à son redémarrage) (DAECT)',
    auth: true,
    params: z.object({ id: z.string().max(64) }),
    response: importAtlasJob,
    errors: { 401: SESSION_ERRORS, 403: ['FORBIDDEN'], 404: ['NOT_FOUND'] },
  }),
};
