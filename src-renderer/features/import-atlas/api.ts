// The DAECT's import of an existing Atlas (online only): the file and its optional mapping sent to the server,
// which simulates or runs the import (src-shared/api/importAtlas.ts).
import { importAtlasEndpoints as e, type ImportAtlasResponse } from '../../../src-shared/api/importAtlas';
import { callWithSession } from '../../core/data';
import { failureKind } from '../../core/server';

/** The server's body limit is 8 MB of JSON: a file of up to 6 MB travels as base64. */
export const MAX_UPLOAD_BYTES = 6 * 1024 * 1024;

export function describeError(err: unknown, fallback: string): string {
  const kind = failureKind(err);
  if (kind === 'network' || kind === 'not_json')
    return 'Serveur injoignable. L’import d’un Atlas existant se fait en ligne seulement : réessayez une fois la connexion rétablie.';
  return err instanceof Error && err.message ? err.message : fallback;
}

function base64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export async function sendImport(file: File, mapping: File | null, dryRun: boolean): Promise<ImportAtlasResponse> {
  const body = {
    nom: file.name,
    fichier: base64(new Uint8Array(await file.arrayBuffer())),
    ...(mapping ? { correspondance: await mapping.text() } : {}),
  };
  return callWithSession(
    dryRun ? e.simulateImport : e.runImport,
    { body },
    'Connectez-vous pour importer un Atlas existant.',
  );
}
