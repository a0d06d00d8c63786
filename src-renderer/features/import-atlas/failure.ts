// The text the DAECT's screen shows for a failed import (a module of its own, without React or the app's data,
// so the server's HTTP test reads the same text).
import type { ImportAtlasJob } from '../../../src-shared/api/importAtlas';

const n = (x: number) => x.toLocaleString('fr-FR');

/** The error of a failed import, with what its batches wrote before it. */
export function failureText(job: Extract<ImportAtlasJob, { etat: 'echoue' }>): string {
  const w = job.ecrit;
  const before =
    w.lots === 0
      ? 'Aucun lot n’a été écrit.'
      : `Écrit avant l’erreur : ${n(w.lots)} lot${w.lots > 1 ? 's' : ''}${job.lots ? ` sur ${n(job.lots)}` : ''} (${n(w.crees)} enregistrements créés, ${n(w.misAJour)} mis à jour).`;
  return `${job.message} ${before} Chaque lot est écrit entièrement ou pas du tout : importer de nouveau le même fichier reprend l’import sans rien écrire deux fois.`;
}
