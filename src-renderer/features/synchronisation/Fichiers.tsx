// Sync without a network: save this computer's pending changes in a signed file that someone carries to
// a connected computer, and import such a file here (the server applies it as its author). See
// src-renderer/sync/packet.ts and docs/architecture.md ("Files that carry sync").
import { useId, useState, type ChangeEvent } from 'react';
import { FILE_EXTENSIONS } from '../../../src-shared/files/container';
import type { PacketImportResponse } from '../../../src-shared/api/sync';
import { buildOwnPacket, importPacketFile, useSession } from '../../core/data';
import { saveFile } from '../../core/platform';
import { userMessage } from '../../ui/errors';
import { PacketSummary } from './PacketSummary';

type Status = { kind: 'idle' | 'busy' | 'done' | 'error'; text: string };

const plural = (n: number, one: string, many: string) => `${n} ${n > 1 ? many : one}`;

/** « Enregistrer mes modifications dans un fichier ». */
function SaveChanges({ pending }: { pending: number }) {
  const session = useSession();
  const [status, setStatus] = useState<Status>({ kind: 'idle', text: '' });
  const save = async () => {
    setStatus({ kind: 'busy', text: 'Préparation du fichier…' });
    try {
      const packet = await buildOwnPacket();
      if (!packet) {
        setStatus({ kind: 'done', text: 'Aucune modification à enregistrer : tout est déjà sur le serveur.' });
        return;
      }
      const day = packet.createdAt.slice(0, 10);
      const who = (session?.user.collectiviteNom ?? session?.user.nom ?? 'atlas')
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .replace(/[^A-Za-z0-9]+/g, '-')
        .replace(/^-|-$/g, '')
        .toLowerCase();
      const saved = await saveFile(`modifications-${who}-${day}${FILE_EXTENSIONS.modifs}`, packet.bytes, [
        { name: 'Paquet de modifications de l’Atlas', extensions: [FILE_EXTENSIONS.modifs.slice(1)] },
      ]);
      if (!saved.saved) {
        setStatus({ kind: 'idle', text: 'Enregistrement annulé.' });
        return;
      }
      const left = packet.left
        ? ` ${plural(packet.left, 'autre modification attend', 'autres modifications attendent')} la réponse du serveur à une création : elles partiront à la prochaine synchronisation ou dans un prochain fichier.`
        : '';
      setStatus({
        kind: 'done',
        text: `${plural(packet.count, 'modification enregistrée', 'modifications enregistrées')} dans le fichier${saved.path ? ` « ${saved.path} »` : ''}. Elles restent en attente sur ce poste : qu’elles arrivent au serveur par ce fichier ou par la synchronisation, elles ne seront appliquées qu’une fois.${left}`,
      });
    } catch (e) {
      setStatus({ kind: 'error', text: userMessage(e, 'Le fichier n’a pas pu être préparé.') });
    }
  };
  return (
    <div className="fr-col-12 fr-col-md-6">
      <h3 className="fr-h6">Emporter mes modifications</h3>
      <p className="fr-text--sm">
        Sans connexion, enregistrez vos modifications en attente dans un fichier signé par ce poste (clé USB, courriel…)
        : un poste connecté (service de l’État, autre ordinateur) l’importe, et le serveur les applique en votre nom.
      </p>
      <button
        type="button"
        className="fr-btn fr-btn--secondary fr-icon-download-line fr-btn--icon-left"
        disabled={pending === 0 || status.kind === 'busy'}
        onClick={() => void save()}
      >
        Enregistrer mes modifications dans un fichier
      </button>
      <p role="status" className={`fr-mt-1w fr-text--sm ${status.kind === 'error' ? 'fr-error-text' : ''}`}>
        {status.text}
      </p>
    </div>
  );
}

/** « Importer un paquet de modifications » carried from another computer. */
function ImportPacket() {
  const id = useId();
  const [status, setStatus] = useState<Status>({ kind: 'idle', text: '' });
  const [result, setResult] = useState<PacketImportResponse | null>(null);
  const onFile = async (ev: ChangeEvent<HTMLInputElement>) => {
    const input = ev.currentTarget;
    const file = input.files?.[0];
    if (!file) return;
    setResult(null);
    setStatus({ kind: 'busy', text: `Import de « ${file.name} »…` });
    try {
      const r = await importPacketFile(new Uint8Array(await file.arrayBuffer()));
      setResult(r);
      setStatus({ kind: 'done', text: '' });
    } catch (e) {
      setStatus({ kind: 'error', text: userMessage(e, 'Le paquet n’a pas pu être importé.') });
    } finally {
      input.value = '';
    }
  };
  return (
    <div className="fr-col-12 fr-col-md-6">
      <h3 className="fr-h6">Importer les modifications d’un autre poste</h3>
      <div className={`fr-upload-group ${status.kind === 'error' ? 'fr-upload-group--error' : ''}`}>
        <label className="fr-label" htmlFor={id}>
          Importer un paquet de modifications
          <span className="fr-hint-text">
            Fichier {FILE_EXTENSIONS.modifs} enregistré par un autre poste. Le serveur vérifie sa signature et
            l’applique au nom de son auteur, dans la limite de ses droits ; un fichier déjà importé ne change rien.
          </span>
        </label>
        <input
          className="fr-upload"
          type="file"
          id={id}
          accept={FILE_EXTENSIONS.modifs}
          disabled={status.kind === 'busy'}
          onChange={(e) => void onFile(e)}
          aria-describedby={`${id}-etat`}
        />
        <p id={`${id}-etat`} role="status" className={status.kind === 'error' ? 'fr-error-text' : 'fr-text--sm'}>
          {status.text}
        </p>
      </div>
      {result && <PacketSummary r={result} />}
    </div>
  );
}

export function SyncFiles({ pending }: { pending: number }) {
  return (
    <section aria-labelledby="fichiers-titre" className="fr-mb-6w">
      <h2 id="fichiers-titre">Sans réseau : par fichier</h2>
      <div className="fr-grid-row fr-grid-row--gutters">
        <SaveChanges pending={pending} />
        <ImportPacket />
      </div>
    </section>
  );
}
