// Why a file that carries sync is refused: a code for programs (also the API's error code) and a French
// sentence for people. Apart from the container so that the API's error table does not load it.
export const FILE_ERROR_CODES = [
  'FILE_NOT_ATLAS',
  'FILE_WRONG_KIND',
  'FILE_TRUNCATED',
  'FILE_UNKNOWN_VERSION',
  'FILE_TAMPERED',
  'FILE_BAD_SIGNATURE',
  'FILE_UNKNOWN_SIGNER',
  'FILE_TOO_LARGE',
  'FILE_INVALID_CONTENT',
] as const;
export type FileErrorCode = (typeof FILE_ERROR_CODES)[number];

const MESSAGES: Record<FileErrorCode, string> = {
  FILE_NOT_ATLAS: 'Ce fichier n’est pas un fichier de l’Atlas (paquet de modifications ou instantané).',
  FILE_WRONG_KIND: 'Ce fichier n’est pas du type attendu ici (paquet de modifications ou instantané).',
  FILE_TRUNCATED: 'Ce fichier est incomplet (copie interrompue ?) : il n’a pas été importé.',
  FILE_UNKNOWN_VERSION:
    'Ce fichier a été produit par une version plus récente de l’application : mettez-la à jour pour l’ouvrir.',
  FILE_TAMPERED: 'Ce fichier a été modifié depuis sa création : il n’a pas été importé.',
  FILE_BAD_SIGNATURE: 'La signature de ce fichier n’est pas valide : il n’a pas été importé.',
  FILE_UNKNOWN_SIGNER: 'Le poste ou le serveur qui a signé ce fichier n’est pas reconnu : il n’a pas été importé.',
  FILE_TOO_LARGE: 'Ce fichier est trop volumineux pour être importé.',
  FILE_INVALID_CONTENT: 'Le contenu de ce fichier n’est pas valide : il n’a pas été importé.',
};

/** A refused file: `code` for programs, `message` in French for people; nothing was changed. */
export class FileError extends Error {
  constructor(
    readonly code: FileErrorCode,
    message: string = MESSAGES[code],
  ) {
    super(message);
    this.name = 'FileError';
  }
}
