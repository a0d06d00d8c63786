// « Déposer un paquet de modifications » (`#/deposer`, linked from the login screen): the server's upload
// page for people with only a browser. A login, but no first sync and no offline copy: an SGAR on a borrowed
// computer hands a town hall's .atlas-modifs file to the server at once. The server checks the file and
// applies it as its author, within the author's rights, the carrier's scope checked (core/depot.ts).
import { useEffect, useId, useRef, useState, type ChangeEvent } from 'react';
import type { PacketImportResponse } from '../../../src-shared/api/sync';
import { FILE_EXTENSIONS } from '../../../src-shared/files/container';
import { depotLogin, depotLogout, depotSend, type DepotSession } from '../../core/depot';
import { userMessage } from '../../ui/errors';
import { pageTitle, useDocumentTitle } from '../../ui/pageTitle';
import { PacketSummary } from '../synchronisation/PacketSummary';
import { PageConnexion } from './Cadre';
import { IdentifiantsForm } from './IdentifiantsForm';

const ROLE_LABELS = { agent: 'agent de collectivité', sgar: 'SGAR', daect: 'DAECT' } as const;

export default function DepotScreen() {
  useDocumentTitle(pageTitle('Déposer un paquet de modifications'));
  const [session, setSession] = useState<DepotSession | null>(null);
  // Leaving the page ends its session on the server.
  const current = useRef<DepotSession | null>(null);
  current.current = session;
  useEffect(
    () => () => {
      if (current.current) void depotLogout(current.current);
    },
    [],
  );
  return (
    <PageConnexion>
      <p>
        <a className="fr-link" href="#/">
          Retour à la connexion
        </a>
      </p>
      <h1>Déposer un paquet de modifications</h1>
      <p>
        Un poste sans réseau (une mairie, par exemple) a enregistré ses modifications dans un fichier{' '}
        {FILE_EXTENSIONS.modifs}. Déposez-le ici depuis n’importe quel navigateur : le serveur vérifie sa signature et
        l’applique au nom de son auteur, dans la limite de ses droits. Aucune donnée n’est copiée sur cet ordinateur, et
        un fichier déjà déposé ne change rien.
      </p>
      {session ? (
        <Depot
          session={session}
          onSession={setSession}
          onLogout={() => {
            void depotLogout(session);
            setSession(null);
          }}
        />
      ) : (
        <DepotLogin onSession={setSession} />
      )}
    </PageConnexion>
  );
}

function DepotLogin({ onSession }: { onSession: (s: DepotSession) => void }) {
  return (
    <IdentifiantsForm
      prefix="depot-connexion"
      titre="1. Identifiez-vous"
      consigne="Avec votre compte de l’Atlas (SGAR, DAECT, ou agent de la collectivité du fichier). Les champs marqués d’un astérisque (*) sont obligatoires."
      envoi="Se connecter pour déposer"
      connecter={async (email, password) => onSession(await depotLogin(email, password))}
    />
  );
}

type Status = { kind: 'idle' | 'busy' | 'error'; text: string };

function Depot({
  session,
  onSession,
  onLogout,
}: {
  session: DepotSession;
  onSession: (s: DepotSession) => void;
  onLogout: () => void;
}) {
  const id = useId();
  const [status, setStatus] = useState<Status>({ kind: 'idle', text: '' });
  const [result, setResult] = useState<{ name: string; r: PacketImportResponse } | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const u = session.user;
  const onFile = async (ev: ChangeEvent<HTMLInputElement>) => {
    const input = ev.currentTarget;
    const file = input.files?.[0];
    if (!file) return;
    setResult(null);
    setStatus({ kind: 'busy', text: `Dépôt de « ${file.name} »…` });
    try {
      const out = await depotSend(session, new Uint8Array(await file.arrayBuffer()));
      if (out.session !== session) onSession(out.session);
      setResult({ name: file.name, r: out.result });
      setStatus({ kind: 'idle', text: '' });
    } catch (e) {
      setStatus({ kind: 'error', text: userMessage(e, 'Le paquet n’a pas pu être déposé.') });
    } finally {
      input.value = '';
    }
  };
  return (
    <section aria-labelledby={`${id}-titre`}>
      <h2 id={`${id}-titre`} ref={heading} tabIndex={-1} className="fr-h4">
        2. Déposez le fichier
      </h2>
      <p data-testid="depot-compte">
        Connecté en tant que {u.nom} ({u.email}), {ROLE_LABELS[u.role]}
        {u.role === 'agent' && u.collectiviteNom ? ` de ${u.collectiviteNom}` : ''}.{' '}
        <button type="button" className="fr-btn fr-btn--tertiary fr-btn--sm" onClick={onLogout}>
          Se déconnecter
        </button>
      </p>
      <div className={`fr-upload-group ${status.kind === 'error' ? 'fr-upload-group--error' : ''}`}>
        <label className="fr-label" htmlFor={id}>
          Paquet de modifications
          <span className="fr-hint-text">Fichier {FILE_EXTENSIONS.modifs}, 8 Mo au plus.</span>
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
        <p
          id={`${id}-etat`}
          role="status"
          className={status.kind === 'error' ? 'fr-error-text' : 'fr-text--sm'}
          data-testid="depot-etat"
        >
          {status.text}
        </p>
      </div>
      {result && <PacketSummary r={result.r} title={`« ${result.name} » déposé`} level={3} />}
    </section>
  );
}
