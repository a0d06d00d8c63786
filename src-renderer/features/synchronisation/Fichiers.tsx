// Sync without a network: save this computer's pending changes in a signed file that someone carries to
// a connected computer, and import such a file here (the server applies it as its author). See
// src-renderer/sync/packet.ts and docs/architecture.md ("Files that carry sync").
import { useState } from 'react';
import { FILE_EXTENSIONS } from '../../../src-shared/files/container';
import type { PacketImportResponse } from '../../../src-shared/api/sync';
import { buildOwnPacket, importPacketFile, useSession } from '../../core/data';
import { saveFile } from '../../core/platform';
import { userMessage } from '../../ui/errors';
import { FileImport, StatusLine, type Status } from './FileImport';
import { PacketSummary } from './PacketSummary';

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
      <StatusLine status={status} />
    </div>
  );
}

/** « Importer un paquet de modifications » carried from another computer. */
function ImportPacket() {
  return (
    <FileImport<PacketImportResponse>
      heading="Importer les modifications d’un autre poste"
      label="Importer un paquet de modifications"
      hint={
        <>
          Fichier {FILE_EXTENSIONS.modifs} enregistré par un autre poste. Le serveur vérifie sa signature et l’applique
          au nom de son auteur, dans la limite de ses droits ; un fichier déjà importé ne change rien.
        </>
      }
      accept={FILE_EXTENSIONS.modifs}
      importBytes={(bytes) => importPacketFile(bytes)}
      failure="Le paquet n’a pas pu être importé."
      renderResult={(r) => <PacketSummary r={r} />}
    />
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
