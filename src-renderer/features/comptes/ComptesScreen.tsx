// Demandes de compte: the pending account requests of the person's scope (agent: its collectivité;
// SGAR: its région; DAECT: all), their approval, with a confirmation, or their refusal, with a reason
// asked in a modal (RefusDemande.tsx); below, for the SGAR and the DAECT, the list of all the accounts of
// their scope (ListeComptes.tsx). Online only: accounts and requests live on the server, never in the
// device's offline copy, so the screen says so plainly when offline.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { PendingAccount } from '../../../src-shared/api/accounts';
import type { Role } from '../../../src-shared/domain/roles';
import { useApp } from '../../core/context';
import { useSyncStatus } from '../../core/data';
import { formatDateTime } from '../../ui/format';
import { approveAccount, describeError, listPendingAccounts } from './api';
import { ErreurChargement, Resultat, useResultatFocus } from './Annonces';
import { ListeComptes } from './ListeComptes';
import { RefusDemande } from './RefusDemande';

const SCOPE_TEXT: Record<Role, string> = {
  agent:
    'Voici les demandes de compte des personnes de votre collectivité. Validez seulement celles de collègues que vous connaissez : un compte validé peut consulter et modifier les données de la collectivité.',
  sgar: 'Voici les demandes de compte des agents des collectivités de votre région. Un compte validé peut consulter et modifier les données de sa collectivité.',
  daect:
    'Voici les demandes de compte de toutes les collectivités. Un compte validé peut consulter et modifier les données de sa collectivité.',
};

type Load = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; accounts: PendingAccount[] };

export function ComptesScreen() {
  const { user } = useApp();
  const { online } = useSyncStatus();
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [reloadKey, setReloadKey] = useState(0);
  const [confirming, setConfirming] = useState<PendingAccount | null>(null);
  const [approving, setApproving] = useState(false);
  const [approveError, setApproveError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [decisions, setDecisions] = useState(0);
  const [refusing, setRefusing] = useState<PendingAccount | null>(null);
  const confirmTitle = useRef<HTMLHeadingElement>(null);
  const returnFocusTo = useRef<string | null>(null);

  useEffect(() => {
    if (!online) return;
    let live = true;
    setLoad({ state: 'loading' });
    listPendingAccounts().then(
      (accounts) => {
        if (live) setLoad({ state: 'ready', accounts });
      },
      (e: unknown) => {
        if (live)
          setLoad({ state: 'error', message: describeError(e, 'Les demandes de compte n’ont pas pu être chargées.') });
      },
    );
    return () => {
      live = false;
    };
  }, [online, reloadKey]);

  // Focus follows the confirmation (opened: its title; closed: the button that opened it) for keyboard users.
  useEffect(() => {
    if (confirming) confirmTitle.current?.focus();
  }, [confirming]);

  const cancel = useCallback(() => {
    setConfirming(null);
    setApproveError(null);
    const id = returnFocusTo.current;
    if (id) requestAnimationFrame(() => document.getElementById(id)?.focus());
  }, []);

  // Approved or refused: the row leaves the list and the server's sentence takes the focus.
  const decided = (a: PendingAccount, message: string) => {
    setDone(message);
    setDecisions((n) => n + 1);
    setLoad((l) => (l.state === 'ready' ? { state: 'ready', accounts: l.accounts.filter((x) => x.id !== a.id) } : l));
  };
  const doneRef = useResultatFocus(decisions);

  const approve = async (a: PendingAccount) => {
    setApproving(true);
    setApproveError(null);
    try {
      const message = await approveAccount(a.id);
      setConfirming(null);
      // The server's sentence names the account and says who was told (one sentence, nothing repeated).
      decided(a, message);
    } catch (e) {
      setApproveError(describeError(e, 'La validation n’a pas abouti.'));
    } finally {
      setApproving(false);
    }
  };

  const accounts = load.state === 'ready' ? load.accounts : [];
  const toApprove = accounts.filter((a) => a.emailVerified).length;

  return (
    <>
      <h1>Demandes de compte</h1>
      <p>{SCOPE_TEXT[user.role]}</p>

      <Resultat message={done} testId="demande-traitee" focusRef={doneRef} />

      {!online && (
        <div className="fr-alert fr-alert--info fr-mb-3w" data-testid="comptes-hors-ligne">
          <h2 className="fr-alert__title">Connexion au serveur nécessaire</h2>
          <p>
            Les comptes et leurs demandes se consultent et se gèrent en ligne seulement : ils ne sont pas conservés sur
            ce poste. Cette page se mettra à jour dès le retour de la connexion. Vos autres données restent disponibles
            hors ligne.
          </p>
        </div>
      )}

      {online && load.state === 'loading' && <p role="status">Chargement des demandes de compte…</p>}

      {online && load.state === 'error' && (
        <ErreurChargement
          titre="Impossible d’afficher les demandes de compte"
          niveau="h2"
          message={load.message}
          onRetry={() => setReloadKey((k) => k + 1)}
        />
      )}

      {confirming && (
        <div
          className="fr-callout fr-mb-3w"
          role="group"
          aria-labelledby="confirmer-compte-titre"
          data-testid="confirmer-compte"
        >
          <h2 id="confirmer-compte-titre" className="fr-callout__title fr-h5" ref={confirmTitle} tabIndex={-1}>
            Valider le compte de {confirming.nom} ?
          </h2>
          <p className="fr-callout__text">
            {confirming.nom} ({confirming.email}), {confirming.fonction}
            {confirming.collectiviteNom ? `, pour ${confirming.collectiviteNom}` : ''}, pourra se connecter et modifier
            les données de sa collectivité. Son titulaire sera prévenu par courriel.
          </p>
          {approveError && (
            <p className="fr-error-text" role="alert">
              {approveError}
            </p>
          )}
          <ul className="fr-btns-group fr-btns-group--inline-md fr-mt-2w">
            <li>
              <button type="button" className="fr-btn" disabled={approving} onClick={() => void approve(confirming)}>
                {approving ? 'Validation…' : 'Confirmer la validation'}
              </button>
            </li>
            <li>
              <button type="button" className="fr-btn fr-btn--secondary" disabled={approving} onClick={cancel}>
                Annuler
              </button>
            </li>
          </ul>
        </div>
      )}

      {online && load.state === 'ready' && accounts.length === 0 && (
        <p data-testid="aucune-demande">Aucune demande de compte en attente.</p>
      )}

      {online && load.state === 'ready' && accounts.length > 0 && (
        <>
          <p>
            {toApprove === 0
              ? 'Aucune demande n’est encore prête à être validée.'
              : toApprove === 1
                ? '1 demande peut être validée.'
                : `${toApprove} demandes peuvent être validées.`}{' '}
            Une demande n’est validable qu’après la confirmation de l’adresse électronique par son auteur. Une demande
            refusée l’est avec un motif, envoyé par courriel à son auteur.
          </p>
          <div className="atlas-table-wrap">
            <table className="atlas-table" data-testid="demandes-compte">
              <caption>Demandes en attente ({accounts.length})</caption>
              <thead>
                <tr>
                  <th scope="col">Nom</th>
                  <th scope="col">Adresse électronique</th>
                  <th scope="col">Fonction</th>
                  <th scope="col">Collectivité</th>
                  <th scope="col">Demandée le</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {accounts.map((a) => (
                  <tr key={a.id}>
                    <th scope="row">{a.nom}</th>
                    <td>{a.email}</td>
                    <td>{a.fonction}</td>
                    <td>{a.collectiviteNom ?? '—'}</td>
                    <td>{formatDateTime(a.requestedAt)}</td>
                    <td>
                      <div className="atlas-actions">
                        {a.emailVerified ? (
                          <button
                            type="button"
                            id={`valider-${a.id}`}
                            className="fr-btn fr-btn--sm"
                            onClick={() => {
                              returnFocusTo.current = `valider-${a.id}`;
                              setApproveError(null);
                              setDone(null);
                              setConfirming(a);
                            }}
                          >
                            Valider<span className="fr-sr-only"> la demande de {a.nom}</span>
                          </button>
                        ) : (
                          <span className="fr-text--sm">Adresse électronique pas encore confirmée</span>
                        )}
                        <button
                          type="button"
                          className="fr-btn fr-btn--sm fr-btn--secondary"
                          aria-haspopup="dialog"
                          onClick={() => {
                            setConfirming(null);
                            setApproveError(null);
                            setDone(null);
                            setRefusing(a);
                          }}
                        >
                          Refuser<span className="fr-sr-only"> la demande de {a.nom}</span>
                        </button>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}

      <RefusDemande
        request={refusing}
        onCancel={() => setRefusing(null)}
        onRefused={(a, message) => {
          setRefusing(null);
          decided(a, message);
        }}
      />

      {online && user.role !== 'agent' && (
        <ListeComptes role={user.role} reloadKey={decisions} onChanged={() => setReloadKey((k) => k + 1)} />
      )}
    </>
  );
}
