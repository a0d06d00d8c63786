// Gestion des comptes (DAECT: every account; SGAR: the agents of its région): disable an account with
// a reason — its sessions end at once on every device, the reason goes to the server's audit log — or
// re-enable it. Online only, like the requests above.
import { useEffect, useRef, useState } from 'react';
import { DISABLE_REASON_MAX, type ManagedAccount } from '../../../src-shared/api/accounts';
import type { Role } from '../../../src-shared/domain/roles';
import { formatDateTime } from '../../ui/format';
import { describeError, disableAccount, enableAccount, listManagedAccounts } from './api';

const ROLE_LABEL: Record<Role, string> = { agent: 'Agent', sgar: 'SGAR', daect: 'DAECT' };

type Load = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; accounts: ManagedAccount[] };

export function GestionComptes({ role }: { role: Role }) {
  const [query, setQuery] = useState('');
  const [submitted, setSubmitted] = useState('');
  const [reload, setReload] = useState(0);
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [disabling, setDisabling] = useState<ManagedAccount | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const formTitle = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    let live = true;
    setLoad({ state: 'loading' });
    listManagedAccounts(submitted).then(
      (accounts) => {
        if (live) setLoad({ state: 'ready', accounts });
      },
      (e: unknown) => {
        if (live) setLoad({ state: 'error', message: describeError(e, 'Les comptes n’ont pas pu être chargés.') });
      },
    );
    return () => {
      live = false;
    };
  }, [submitted, reload]);

  useEffect(() => {
    if (disabling) formTitle.current?.focus();
  }, [disabling]);

  const run = async (action: () => Promise<string>) => {
    setBusy(true);
    setError(null);
    try {
      setDone(await action());
      setDisabling(null);
      setReason('');
      setReload((k) => k + 1);
    } catch (e) {
      setError(describeError(e, 'L’opération n’a pas abouti.'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="fr-mt-6w" aria-labelledby="gestion-comptes-titre">
      <h2 id="gestion-comptes-titre">Gestion des comptes</h2>
      <p>
        {role === 'daect' ? 'Tous les comptes validés.' : 'Les comptes des agents des collectivités de votre région.'}{' '}
        Désactiver un compte ferme aussitôt toutes ses sessions, sur tous ses postes ; les données déjà saisies restent
        sur le serveur. Le motif est conservé dans le journal d’audit.
      </p>

      <div aria-live="polite" role="status">
        {done && (
          <div className="fr-alert fr-alert--success fr-alert--sm fr-mb-3w" data-testid="compte-gere">
            <p>{done}</p>
          </div>
        )}
      </div>

      <form
        className="fr-search-bar fr-mb-3w"
        role="search"
        style={{ maxWidth: '32rem' }}
        onSubmit={(e) => {
          e.preventDefault();
          setSubmitted(query);
        }}
      >
        <label className="fr-label" htmlFor="recherche-compte">
          Rechercher un compte (nom ou adresse électronique)
        </label>
        <input
          className="fr-input"
          id="recherche-compte"
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        <button type="submit" className="fr-btn">
          Rechercher<span className="fr-sr-only"> un compte</span>
        </button>
      </form>

      {disabling && (
        <form
          className="fr-callout fr-mb-3w"
          aria-labelledby="desactiver-titre"
          data-testid="desactiver-compte"
          onSubmit={(e) => {
            e.preventDefault();
            void run(() => disableAccount(disabling.id, reason));
          }}
        >
          <h3 id="desactiver-titre" className="fr-callout__title fr-h5" ref={formTitle} tabIndex={-1}>
            Désactiver le compte de {disabling.nom} ?
          </h3>
          <p className="fr-callout__text">
            {disabling.nom} ({disabling.email}) ne pourra plus se connecter, et ses sessions ouvertes seront fermées
            tout de suite. Ses modifications non envoyées restent sur son poste.
          </p>
          <div className={`fr-input-group${error ? ' fr-input-group--error' : ''}`}>
            <label className="fr-label" htmlFor="motif-desactivation">
              Motif (obligatoire, conservé dans le journal d’audit)
            </label>
            <textarea
              className="fr-input"
              id="motif-desactivation"
              value={reason}
              maxLength={DISABLE_REASON_MAX}
              required
              onChange={(e) => setReason(e.target.value)}
              aria-describedby={error ? 'desactiver-erreur' : undefined}
            />
            {error && (
              <p id="desactiver-erreur" className="fr-error-text" role="alert">
                {error}
              </p>
            )}
          </div>
          <ul className="fr-btns-group fr-btns-group--inline-md fr-mt-2w">
            <li>
              <button type="submit" className="fr-btn" disabled={busy || reason.trim().length < 3}>
                {busy ? 'Désactivation…' : 'Confirmer la désactivation'}
              </button>
            </li>
            <li>
              <button
                type="button"
                className="fr-btn fr-btn--secondary"
                disabled={busy}
                onClick={() => {
                  setDisabling(null);
                  setError(null);
                }}
              >
                Annuler
              </button>
            </li>
          </ul>
        </form>
      )}

      {load.state === 'loading' && <p role="status">Chargement des comptes…</p>}
      {load.state === 'error' && (
        <div className="fr-alert fr-alert--error fr-mb-3w" role="alert">
          <h3 className="fr-alert__title">Impossible d’afficher les comptes</h3>
          <p>{load.message}</p>
          <button
            type="button"
            className="fr-btn fr-btn--secondary fr-btn--sm fr-mt-2w"
            onClick={() => setReload((k) => k + 1)}
          >
            Réessayer
          </button>
        </div>
      )}
      {!disabling && error && (
        <p className="fr-error-text" role="alert">
          {error}
        </p>
      )}
      {load.state === 'ready' && load.accounts.length === 0 && <p>Aucun compte ne correspond.</p>}
      {load.state === 'ready' && load.accounts.length > 0 && (
        <div className="atlas-table-wrap">
          <table className="atlas-table" data-testid="comptes-geres">
            <caption>
              Comptes ({load.accounts.length}
              {load.accounts.length === 200 ? ' premiers ; précisez la recherche' : ''})
            </caption>
            <thead>
              <tr>
                <th scope="col">Nom</th>
                <th scope="col">Adresse électronique</th>
                <th scope="col">Rôle</th>
                <th scope="col">Collectivité</th>
                <th scope="col">État</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {load.accounts.map((a) => (
                <tr key={a.id}>
                  <th scope="row">{a.nom}</th>
                  <td>{a.email}</td>
                  <td>{ROLE_LABEL[a.role]}</td>
                  <td>{a.collectiviteNom ?? '—'}</td>
                  <td>
                    {a.disabled ? (
                      <>
                        <span className="fr-badge fr-badge--sm fr-badge--error">Désactivé</span>
                        {a.disabledAt && <> le {formatDateTime(a.disabledAt)}</>}
                        {a.disabledReason && <> — motif : {a.disabledReason}</>}
                      </>
                    ) : (
                      <span className="fr-badge fr-badge--sm fr-badge--success">Actif</span>
                    )}
                  </td>
                  <td>
                    {a.self ? (
                      <span className="fr-text--sm">Votre compte</span>
                    ) : a.disabled ? (
                      <button
                        type="button"
                        className="fr-btn fr-btn--sm fr-btn--secondary"
                        disabled={busy}
                        onClick={() => {
                          setDone(null);
                          void run(() => enableAccount(a.id));
                        }}
                      >
                        Réactiver<span className="fr-sr-only"> le compte de {a.nom}</span>
                      </button>
                    ) : (
                      <button
                        type="button"
                        className="fr-btn fr-btn--sm fr-btn--tertiary"
                        onClick={() => {
                          setDone(null);
                          setError(null);
                          setReason('');
                          setDisabling(a);
                        }}
                      >
                        Désactiver<span className="fr-sr-only"> le compte de {a.nom}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
