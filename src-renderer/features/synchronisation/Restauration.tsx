// At login on a fresh offline copy, the backup of pending changes this computer kept for this account
// (sync/backup.ts) is offered before the first sync: sent to the server (applied as their author; a change
// it already has is « déjà connue »), or set aside as a file the person keeps — never dropped silently.
import { useEffect, useRef, useState } from 'react';
import type { PacketImportResponse } from '../../../src-shared/api/sync';
import { FILE_EXTENSIONS } from '../../../src-shared/files/container';
import { clearBackup, restoreBackup, type FoundBackup } from '../../core/data';
import { saveFile } from '../../core/platform';
import { userMessage } from '../../ui/errors';
import { formatDateTime } from '../../ui/format';
import { pageTitle, useDocumentTitle } from '../../ui/pageTitle';
import { EnTeteConnexion, PiedConnexion } from '../connexion/Cadre';
import { PacketSummary } from './PacketSummary';

type State =
  | { kind: 'offer' }
  | { kind: 'busy'; text: string }
  | { kind: 'error'; text: string }
  | { kind: 'sent'; result: PacketImportResponse };

export function RestoreOffer({ found, onDone }: { found: FoundBackup; onDone: () => void }) {
  useDocumentTitle(pageTitle('Modifications retrouvées'));
  const [state, setState] = useState<State>({ kind: 'offer' });
  const heading = useRef<HTMLHeadingElement>(null);
  const next = useRef<HTMLButtonElement>(null);
  useEffect(() => heading.current?.focus(), []);
  useEffect(() => {
    if (state.kind === 'sent') next.current?.focus();
  }, [state.kind]);
  const one = found.count === 1;
  const question = one
    ? `1 modification non synchronisée du ${formatDateTime(found.createdAt)} a été retrouvée sur cet ordinateur. L’envoyer au serveur ?`
    : `${found.count} modifications non synchronisées du ${formatDateTime(found.createdAt)} ont été retrouvées sur cet ordinateur. Les envoyer au serveur ?`;

  const send = async () => {
    setState({ kind: 'busy', text: 'Envoi des modifications au serveur…' });
    try {
      setState({ kind: 'sent', result: await restoreBackup(found) });
    } catch (e) {
      setState({ kind: 'error', text: userMessage(e, 'Les modifications n’ont pas pu être envoyées.') });
    }
  };
  const setAside = async () => {
    setState({ kind: 'busy', text: 'Enregistrement du fichier…' });
    try {
      const day = found.createdAt.slice(0, 10);
      const saved = await saveFile(`modifications-retrouvees-${day}${FILE_EXTENSIONS.modifs}`, found.bytes, [
        { name: 'Paquet de modifications de l’Atlas', extensions: [FILE_EXTENSIONS.modifs.slice(1)] },
      ]);
      if (!saved.saved) {
        setState({ kind: 'offer' });
        return;
      }
      await clearBackup(found.account);
      onDone();
    } catch (e) {
      setState({ kind: 'error', text: userMessage(e, 'Le fichier n’a pas pu être enregistré.') });
    }
  };

  const busy = state.kind === 'busy';
  return (
    <>
      <EnTeteConnexion />
      <main id="contenu" className="fr-container fr-my-6w" tabIndex={-1}>
        <div className="fr-grid-row fr-grid-row--center">
          <div className="fr-col-12 fr-col-md-10 fr-col-lg-8">
            <h1 ref={heading} tabIndex={-1}>
              Modifications retrouvées
            </h1>
            {state.kind === 'sent' ? (
              <>
                <PacketSummary r={state.result} title="Modifications envoyées au serveur" level={2} />
                <p className="fr-mt-3w">
                  La première synchronisation va maintenant copier sur cet ordinateur les données de votre périmètre,
                  avec ces modifications telles que le serveur les a enregistrées.
                </p>
                <button ref={next} type="button" className="fr-btn" onClick={onDone}>
                  Continuer
                </button>
              </>
            ) : (
              <>
                <p className="fr-text--lead" data-testid="restauration-question">
                  {question}
                </p>
                <p>
                  Les données de l’Atlas de cet ordinateur ont été effacées, mais une sauvegarde de vos modifications en
                  attente avait été gardée à part. Le serveur les applique en votre nom, comme l’aurait fait la
                  synchronisation ; une modification qu’il a déjà reçue n’est pas appliquée deux fois.
                </p>
                <p className="fr-text--sm">
                  « Mettre de côté » enregistre la sauvegarde dans un fichier ({FILE_EXTENSIONS.modifs}) que vous
                  pourrez envoyer plus tard depuis l’écran Synchronisation (« Importer un paquet de modifications »).
                </p>
                <ul className="fr-btns-group fr-btns-group--inline-md">
                  <li>
                    <button type="button" className="fr-btn" disabled={busy} onClick={() => void send()}>
                      Envoyer au serveur
                    </button>
                  </li>
                  <li>
                    <button
                      type="button"
                      className="fr-btn fr-btn--secondary"
                      disabled={busy}
                      onClick={() => void setAside()}
                    >
                      Mettre de côté
                    </button>
                  </li>
                </ul>
                <p
                  role="status"
                  className={state.kind === 'error' ? 'fr-error-text' : 'fr-text--sm'}
                  data-testid="restauration-etat"
                >
                  {state.kind === 'busy' || state.kind === 'error' ? state.text : ''}
                </p>
              </>
            )}
          </div>
        </div>
      </main>
      <PiedConnexion />
    </>
  );
}
