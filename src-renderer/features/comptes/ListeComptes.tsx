// Tous les comptes (DAECT: every account; SGAR: the agents of its région's collectivités, their requests,
// and the SGAR of its région): searched by name, address or collectivité, filtered by state and role,
// sorted, by pages of 50 that the server cuts (it counts them). Each row offers what the server says the
// person may do on it: validate or refuse a request, disable an account (with a reason: its sessions end
// at once on every device) or re-enable it — each asked first in a DSFR modal, the result said in French.
// Online only, like the requests above: accounts are not part of the device's copy.
import { useEffect, useState } from 'react';
import {
  ACCOUNT_SORTS,
  DISABLE_REASON_MAX,
  disableAccountRequest,
  type AccountAction,
  type AccountSort,
  type AccountState,
  type ManagedAccount,
  type ManagedAccountsResponse,
} from '../../../src-shared/api/accounts';
import { regionNom } from '../../../src-shared/reference/regions';
import type { Role } from '../../../src-shared/domain/roles';
import { askConfirm } from '../../ui/confirm';
import { formatDateTime, formatInt } from '../../ui/format';
import { Options, Pagination, SelectGroup, type Option } from '../../ui/liste';
import { approveAccount, describeError, disableAccount, enableAccount, listManagedAccounts } from './api';
import { MotifDialog } from './MotifDialog';
import { RefusDemande } from './RefusDemande';
import { ErreurChargement, Resultat, useResultatFocus } from './Annonces';

export const PAGE_SIZE = 50;

const ROLE_LABEL: Record<Role, string> = { agent: 'Agent', sgar: 'SGAR', daect: 'DAECT' };
const STATE: Record<AccountState, { label: string; badge: string }> = {
  email_a_verifier: { label: 'En attente de vérification du courriel', badge: 'fr-badge--new' },
  a_approuver: { label: 'Vérifié, en attente d’approbation', badge: 'fr-badge--warning' },
  approuve: { label: 'Approuvé', badge: 'fr-badge--success' },
  refuse: { label: 'Refusé', badge: 'fr-badge--error' },
  desactive: { label: 'Désactivé', badge: 'fr-badge--error' },
};
const SORT_LABEL: Record<AccountSort, string> = {
  nom: 'Nom',
  etat: 'État',
  role: 'Rôle',
  collectivite: 'Collectivité',
  creation: 'Date de création',
  synchro: 'Dernière synchronisation',
};
const ROLE_OPTIONS = [
  { value: '', label: 'Tous les rôles' },
  { value: 'agent', label: 'Agent' },
  { value: 'sgar', label: 'SGAR' },
];
const ORDRE_OPTIONS = [
  { value: 'asc', label: 'Croissant' },
  { value: 'desc', label: 'Décroissant' },
];
/** The selects of the search form, over the fields of Filters (the DAECT's roles include its own). */
const selectsOf = (
  role: Role,
): { key: Exclude<keyof Filters, 'q'>; id: string; label: string; options: Option[] }[] => [
  {
    key: 'etat',
    id: 'filtre-etat',
    label: 'État',
    options: [
      { value: 'tous', label: 'Tous les états' },
      ...(Object.keys(STATE) as AccountState[]).map((s) => ({ value: s, label: STATE[s].label })),
    ],
  },
  {
    key: 'role',
    id: 'filtre-role',
    label: 'Rôle',
    options: role === 'daect' ? [...ROLE_OPTIONS, { value: 'daect', label: 'DAECT' }] : ROLE_OPTIONS,
  },
  {
    key: 'tri',
    id: 'tri-comptes',
    label: 'Trier par',
    options: ACCOUNT_SORTS.map((s) => ({ value: s, label: SORT_LABEL[s] })),
  },
  { key: 'ordre', id: 'ordre-comptes', label: 'Ordre', options: ORDRE_OPTIONS },
];

type Load =
  { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; page: ManagedAccountsResponse };

interface Filters {
  q: string;
  etat: AccountState | 'tous';
  role: Role | '';
  tri: AccountSort;
  ordre: 'asc' | 'desc';
}
const NO_FILTER: Filters = { q: '', etat: 'tous', role: '', tri: 'nom', ordre: 'asc' };

const plural = (n: number, one: string, many: string) => `${formatInt(n)} ${n > 1 ? many : one}`;

export function ListeComptes(props: {
  role: Role;
  /** Changes when a request was decided above: the list reloads. */
  reloadKey: number;
  /** An account changed here (the requests above reload). */
  onChanged(): void;
}) {
  const [query, setQuery] = useState('');
  const [filters, setFilters] = useState<Filters>(NO_FILTER);
  const [offset, setOffset] = useState(0);
  const [reload, setReload] = useState(0);
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [said, setSaid] = useState(0);
  const [disabling, setDisabling] = useState<ManagedAccount | null>(null);
  const [refusing, setRefusing] = useState<ManagedAccount | null>(null);

  useEffect(() => {
    let live = true;
    setLoad((l) => (l.state === 'ready' ? l : { state: 'loading' }));
    listManagedAccounts({
      q: filters.q.trim() || undefined,
      etat: filters.etat,
      role: filters.role || undefined,
      tri: filters.tri,
      ordre: filters.ordre,
      offset,
      limit: PAGE_SIZE,
    }).then(
      (page) => {
        if (!live) return;
        // Past the last page (accounts left the filter meanwhile): back to the last one.
        if (page.accounts.length === 0 && page.total > 0 && offset > 0)
          setOffset(Math.floor((page.total - 1) / PAGE_SIZE) * PAGE_SIZE);
        else setLoad({ state: 'ready', page });
      },
      (e: unknown) => {
        if (live) setLoad({ state: 'error', message: describeError(e, 'Les comptes n’ont pas pu être chargés.') });
      },
    );
    return () => {
      live = false;
    };
  }, [filters, offset, reload, props.reloadKey]);

  // The result's sentence takes the focus once a modal has closed.
  const doneRef = useResultatFocus(said);

  const changed = (message: string) => {
    setDone(message);
    setSaid((n) => n + 1);
    setReload((k) => k + 1);
    props.onChanged();
  };

  const filter = (next: Partial<Filters>) => {
    setFilters((f) => ({ ...f, ...next }));
    setOffset(0);
  };

  const confirmThen = async (question: Parameters<typeof askConfirm>[0], action: () => Promise<string>) => {
    setDone(null);
    setError(null);
    if (!(await askConfirm(question))) return;
    setBusy(true);
    try {
      changed(await action());
    } catch (e) {
      setError(describeError(e, 'L’opération n’a pas abouti : rien n’a changé.'));
    } finally {
      setBusy(false);
    }
  };

  const approve = (a: ManagedAccount) =>
    confirmThen(
      {
        title: `Valider le compte de ${a.nom} ?`,
        body: (
          <p>
            {a.nom} ({a.email}), {a.fonction}
            {a.collectiviteNom ? `, pour ${a.collectiviteNom}` : ''}, pourra se connecter et modifier les données de sa
            collectivité. Son titulaire sera prévenu par courriel.
          </p>
        ),
        confirm: 'Valider le compte',
      },
      () => approveAccount(a.id),
    );

  const enable = (a: ManagedAccount) =>
    confirmThen(
      {
        title: `Réactiver le compte de ${a.nom} ?`,
        body: (
          <p>
            {a.nom} ({a.email}) pourra de nouveau se connecter
            {a.role === 'agent' && a.collectiviteNom ? ` et modifier les données de ${a.collectiviteNom}` : ''}. Ses
            anciennes sessions restent fermées : il lui faudra se reconnecter.
          </p>
        ),
        confirm: 'Réactiver le compte',
      },
      () => enableAccount(a.id),
    );

  /** Opens a dialog on the account, the last result and error cleared. */
  const ask = (open: (a: ManagedAccount) => void, a: ManagedAccount) => {
    setDone(null);
    setError(null);
    open(a);
  };

  const page = load.state === 'ready' ? load.page : null;
  const pages = page ? Math.max(1, Math.ceil(page.total / PAGE_SIZE)) : 1;
  const current = Math.floor(offset / PAGE_SIZE) + 1;
  const filtered = filters.q.trim() !== '' || filters.etat !== 'tous' || filters.role !== '';
  const selects = selectsOf(props.role);
  const sortOf = (key: AccountSort) =>
    filters.tri === key ? (filters.ordre === 'asc' ? 'ascending' : 'descending') : undefined;

  return (
    <section className="fr-mt-6w" aria-labelledby="liste-comptes-titre">
      <h2 id="liste-comptes-titre">Tous les comptes</h2>
      <p>
        {props.role === 'daect'
          ? 'Tous les comptes et toutes les demandes de compte.'
          : 'Les comptes et les demandes de compte des agents des collectivités de votre région, et les comptes SGAR de votre région (ceux-ci sont gérés par la DAECT).'}{' '}
        Désactiver un compte ferme aussitôt toutes ses sessions, sur tous ses postes ; les données déjà saisies restent
        sur le serveur et le motif est conservé dans le journal d’audit. La dernière synchronisation est celle du plus
        récent de ses postes, à la minute près.
      </p>

      <Resultat message={done} testId="compte-gere" focusRef={doneRef} />
      {error && (
        <div className="fr-alert fr-alert--error fr-alert--sm fr-mb-3w" role="alert">
          <p>{error}</p>
        </div>
      )}

      <form
        className="fr-mb-3w"
        role="search"
        aria-label="Rechercher et filtrer les comptes"
        onSubmit={(e) => {
          e.preventDefault();
          filter({ q: query });
        }}
      >
        <div className="fr-grid-row fr-grid-row--gutters fr-grid-row--bottom">
          <div className="fr-col-12 fr-col-lg-6">
            <div className="fr-search-bar">
              <label className="fr-label" htmlFor="recherche-compte">
                Rechercher un compte (nom, adresse électronique ou collectivité)
              </label>
              <input
                className="fr-input"
                id="recherche-compte"
                type="search"
                placeholder="Nom, adresse électronique ou collectivité"
                value={query}
                maxLength={100}
                onChange={(e) => setQuery(e.target.value)}
              />
              <button type="submit" className="fr-btn">
                Rechercher<span className="fr-sr-only"> un compte</span>
              </button>
            </div>
          </div>
        </div>
        <div className="fr-grid-row fr-grid-row--gutters fr-grid-row--bottom">
          {selects.map((d) => (
            <div key={d.key} className="fr-col-12 fr-col-sm-6 fr-col-lg-3">
              <SelectGroup
                id={d.id}
                label={d.label}
                value={filters[d.key]}
                onChange={(v) => filter({ [d.key]: v } as Partial<Filters>)}
              >
                <Options options={d.options} />
              </SelectGroup>
            </div>
          ))}
        </div>
        {filtered && (
          <button
            type="button"
            className="fr-btn fr-btn--tertiary-no-outline fr-btn--sm fr-mt-1w"
            onClick={() => {
              setQuery('');
              filter({ q: '', etat: 'tous', role: '' });
            }}
          >
            Effacer la recherche et les filtres
          </button>
        )}
      </form>

      {load.state === 'loading' && <p role="status">Chargement des comptes…</p>}
      {load.state === 'error' && (
        <ErreurChargement
          titre="Impossible d’afficher les comptes"
          niveau="h3"
          message={load.message}
          onRetry={() => setReload((k) => k + 1)}
        />
      )}

      {page && (
        <p role="status" data-testid="comptes-compte">
          {page.total === 0
            ? filtered
              ? 'Aucun compte ne correspond à la recherche et aux filtres.'
              : 'Aucun compte.'
            : `${plural(page.total, 'compte', 'comptes')}${filtered ? ' correspondant à la recherche et aux filtres' : ''}${
                page.total > page.accounts.length
                  ? ` ; affichés : ${formatInt(page.offset + 1)} à ${formatInt(page.offset + page.accounts.length)}`
                  : ''
              }.`}
        </p>
      )}

      {page && page.accounts.length > 0 && (
        <div className="atlas-table-wrap">
          <table className="atlas-table" data-testid="comptes-geres">
            <caption>Comptes{pages > 1 ? `, page ${current} sur ${pages}` : ''}</caption>
            <thead>
              <tr>
                <th scope="col" aria-sort={sortOf('nom')}>
                  Nom et adresse
                </th>
                <th scope="col" aria-sort={sortOf('role')}>
                  Rôle
                </th>
                <th scope="col" aria-sort={sortOf('collectivite')}>
                  Collectivité et région
                </th>
                <th scope="col" aria-sort={sortOf('etat')}>
                  État
                </th>
                <th scope="col" aria-sort={sortOf('creation')}>
                  Créé le
                </th>
                <th scope="col" aria-sort={sortOf('synchro')}>
                  Dernière synchronisation
                </th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {page.accounts.map((a) => (
                <tr key={a.id} data-testid={`compte-${a.id}`}>
                  <th scope="row">
                    <span className="atlas-break">{a.nom}</span>
                    <br />
                    <span className="fr-text--sm fr-mb-0 atlas-break">{a.email}</span>
                    {a.fonction && (
                      <>
                        <br />
                        <span className="fr-text--xs fr-mb-0">{a.fonction}</span>
                      </>
                    )}
                  </th>
                  <td>{ROLE_LABEL[a.role]}</td>
                  <td>
                    {a.collectiviteNom ?? (a.role === 'agent' ? 'Collectivité inconnue' : '—')}
                    {a.collectiviteCode && (
                      <>
                        <br />
                        <span className="fr-text--xs fr-mb-0">code {a.collectiviteCode}</span>
                      </>
                    )}
                    {a.region && (
                      <>
                        <br />
                        <span className="fr-text--sm fr-mb-0">{regionNom(a.region)}</span>
                      </>
                    )}
                  </td>
                  <td>
                    <span className={`fr-badge fr-badge--sm ${STATE[a.etat].badge}`}>{STATE[a.etat].label}</span>
                    {a.etat === 'desactive' && (
                      <span className="fr-text--sm fr-mb-0">
                        {a.disabledAt && <> le {formatDateTime(a.disabledAt)}</>}
                        {a.disabledReason && <> — motif : {a.disabledReason}</>}
                      </span>
                    )}
                    {a.etat === 'refuse' && a.refusedReason && (
                      <span className="fr-text--sm fr-mb-0"> — motif : {a.refusedReason}</span>
                    )}
                  </td>
                  <td>{formatDateTime(a.createdAt)}</td>
                  <td>{a.lastSyncAt ? formatDateTime(a.lastSyncAt) : 'Jamais'}</td>
                  <td>
                    <Actions
                      a={a}
                      busy={busy}
                      on={{
                        approuver: () => void approve(a),
                        refuser: () => ask(setRefusing, a),
                        desactiver: () => ask(setDisabling, a),
                        reactiver: () => void enable(a),
                      }}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {page && pages > 1 && (
        <Pagination
          current={current}
          pages={pages}
          label="Pages de la liste des comptes"
          onPage={(n) => setOffset((n - 1) * PAGE_SIZE)}
        />
      )}

      <MotifDialog
        id="desactiver-compte"
        subject={disabling}
        title={disabling ? `Désactiver le compte de ${disabling.nom} ?` : ''}
        text={
          disabling && (
            <>
              {disabling.nom} ({disabling.email}) ne pourra plus se connecter, et ses sessions ouvertes seront fermées
              tout de suite, sur tous ses postes. Ses modifications non envoyées restent sur son poste ; le compte
              pourra être réactivé.
            </>
          )
        }
        label="Motif de la désactivation"
        hint="Conservé dans le journal d’audit et montré au titulaire du compte quand il tente de se connecter."
        max={DISABLE_REASON_MAX}
        schema={disableAccountRequest}
        submit="Désactiver le compte"
        busy="Désactivation…"
        failure="La désactivation n’a pas abouti : le compte est toujours actif."
        act={(reason) => disableAccount(disabling!.id, reason)}
        onDone={(message) => {
          setDisabling(null);
          changed(message);
        }}
        onCancel={() => setDisabling(null)}
      />
      <RefusDemande
        id="refuser-compte"
        request={refusing}
        onCancel={() => setRefusing(null)}
        onRefused={(_a, message) => {
          setRefusing(null);
          changed(message);
        }}
      />
    </section>
  );
}

/** A row's buttons, in this order (`dialog`: announced as opening one). */
const BOUTONS: readonly { action: AccountAction; label: string; className: string; dialog: boolean; quoi: string }[] = [
  { action: 'approuver', label: 'Valider', className: 'fr-btn fr-btn--sm', dialog: false, quoi: 'le compte' },
  {
    action: 'refuser',
    label: 'Refuser',
    className: 'fr-btn fr-btn--sm fr-btn--secondary',
    dialog: true,
    quoi: 'la demande',
  },
  {
    action: 'desactiver',
    label: 'Désactiver',
    className: 'fr-btn fr-btn--sm fr-btn--tertiary',
    dialog: true,
    quoi: 'le compte',
  },
  {
    action: 'reactiver',
    label: 'Réactiver',
    className: 'fr-btn fr-btn--sm fr-btn--secondary',
    dialog: true,
    quoi: 'le compte',
  },
];

function Actions(props: { a: ManagedAccount; busy: boolean; on: Record<AccountAction, () => void> }) {
  const { a, busy } = props;
  if (a.self) return <span className="fr-text--sm">Votre compte</span>;
  if (a.actions.length === 0)
    return (
      <span className="fr-text--sm">
        {a.role === 'sgar' || a.role === 'daect' ? 'Géré par la DAECT' : 'Aucune action'}
      </span>
    );
  return (
    <div className="atlas-actions">
      {BOUTONS.filter((b) => a.actions.includes(b.action)).map((b) => (
        <button
          key={b.action}
          type="button"
          className={b.className}
          aria-haspopup={b.dialog ? 'dialog' : undefined}
          disabled={busy}
          onClick={props.on[b.action]}
        >
          {b.label}
          <span className="fr-sr-only">{` ${b.quoi} de ${a.nom}`}</span>
        </button>
      ))}
    </div>
  );
}
