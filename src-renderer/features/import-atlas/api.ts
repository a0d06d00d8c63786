// The DAECT's import of an existing Atlas (online only): the file and its optional mapping sent to the server,
// which simulates the import (its report in the answer) or starts it as a job of the server, whose progress the
// screen asks for until its end (src-shared/api/importAtlas.ts).
import {
  importAtlasEndpoints as e,
  type ImportAtlasJob,
  type ImportAtlasResponse,
} from '../../../src-shared/api/importAtlas';
import { callWithSession } from '../../core/data';
import { failureKind } from '../../core/server';

/** The server's body limit is 8 MB of JSON: a file of up to 6 MB travels as base64. */
export const MAX_UPLOAD_BYTES = 6 * 1024 * 1024;

export function isNetworkFailure(err: unknown): boolean {
  const kind = failureKind(err);
  return kind === 'network' || kind === 'not_json';
}

export function describeError(err: unknown, fallback: string): string {
  if (isNetworkFailure(err))
    return 'Serveur injoignable. L’import d’un Atlas existant se fait en ligne seulement : réessayez une fois la connexion rétablie.';
  return err instanceof Error && err.message ? err.message : fallback;
}

function base64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

async function bodyOf(file: File, mapping: File | null) {
  return {
    nom: file.name,
    fichier: base64(new Uint8Array(await file.arrayBuffer())),
    ...(mapping ? { correspondance: await mapping.text() } : {}),
  };
}

const LOGIN = 'Connectez-vous pour importer un Atlas existant.';

export async function simulateImport(file: File, mapping: File | null): Promise<ImportAtlasResponse> {
  return callWithSession(e.simulateImport, { body: await bodyOf(file, mapping) }, LOGIN);
}

/** Starts the import on the server: the job, running. */
export async function startImport(file: File, mapping: File | null): Promise<ImportAtlasJob> {
  return callWithSession(e.runImport, { body: await bodyOf(file, mapping) }, LOGIN);
}

export function importStatus(id: string): Promise<ImportAtlasJob> {
  return callWithSession(e.importStatus, { params: { id } }, LOGIN);
}
