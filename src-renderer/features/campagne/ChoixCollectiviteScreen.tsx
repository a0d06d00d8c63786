// SGAR and DAECT: choose a collectivité of the scope to view (the SGAR's home is its regional dashboard).
// Every collectivité of the scope is reachable: the count says how many there are and how many match, the
// search looks in names, codes, départements and région names (choix.ts).
import { useMemo, useState } from 'react';
import { COLLECTIVITE_TYPE_LABELS } from '../../../src-shared/domain/collectivite';
import { ROLE_LABELS } from '../../../src-shared/domain/roles';
import { regionNom } from '../../../src-shared/reference/regions';
import { useApp } from '../../core/context';
import { useRecords } from '../../core/data';
import { href, navigate } from '../../core/router';
import { formatInt } from '../../ui/format';
import { AfficherPlus, useAfficherPlus } from '../../ui/liste';
import { RechercheCollectivite } from './RechercheCollectivite';
import { countSentence, searchCollectivites, searchIndex } from './choix';

/**
 * Matches shown at once, then « Afficher plus » adds as many. Not a virtualised list: a plain list keeps
 * every shown button in the page for the browser's search, the keyboard and screen readers' list
 * navigation (a virtualised list adds and removes rows as it scrolls, which RGAA users cannot follow),
 * while 100 buttons instead of 4,800 keep the page light; the search narrows the rest.
 */
export const PAGE_SIZE = 100;

/** " (département 22, Bretagne)", " (Bretagne)" or nothing. */
function where(departement: string | null | undefined, region: string | null | undefined): string {
  const parts = [departement ? `département ${departement}` : null, regionNom(region)].filter(Boolean);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

export function ChoixCollectiviteScreen() {
  const { user, setCollectiviteId, visionneuse } = useApp();
  const all = useRecords('collectivite');
  const [q, setQ] = useState('');
  const plus = useAfficherPlus<HTMLButtonElement>(PAGE_SIZE);
  const index = useMemo(() => searchIndex(all ?? []), [all]);
  const list = useMemo(() => searchCollectivites(index, q), [index, q]);
  if (user.role === 'agent' && !visionneuse) {
    return (
      <>
        <h1>Collectivité inconnue</h1>
        <p>Votre compte n’est rattaché à aucune collectivité. Contactez la DAECT.</p>
      </>
    );
  }
  const shown = list.slice(0, plus.limit);
  const filtered = q.trim() !== '';
  return (
    <>
      <h1>Choisir une collectivité</h1>
      {visionneuse ? (
        <p>
          Cet instantané contient les données de plusieurs collectivités : choisissez-en une pour consulter ses pages.
        </p>
      ) : (
        <p>
          Vous êtes connecté en tant que {ROLE_LABELS[user.role]}
          {user.region ? ` (région ${regionNom(user.region)})` : ''}. Choisissez une collectivité de votre périmètre
          pour consulter ses pages.
          {user.role === 'sgar' && user.region && (
            <>
              {' '}
              L’état de la campagne de toutes les collectivités de votre région est présenté dans le{' '}
              <a href={href(`/tableau-de-bord/region/${user.region}`)}>tableau de bord régional</a>.
            </>
          )}
        </p>
      )}
      <RechercheCollectivite id="choix-collectivite-filtre" value={q} onChange={plus.withReset(setQ)} />
      <p role="status" data-testid="choix-nombre">
        {all === undefined
          ? 'Chargement…'
          : countSentence(list.length, index.length, filtered, formatInt) +
            (list.length > shown.length ? ` ; les ${formatInt(shown.length)} premières sont affichées.` : '.')}
      </p>
      <ul className="fr-raw-list" aria-label="Collectivités">
        {shown.map((c, i) => (
          <li key={c.id} className="fr-mb-1w">
            <button
              type="button"
              ref={plus.focusRef(i)}
              className="fr-btn fr-btn--tertiary fr-btn--sm"
              onClick={() => {
                setCollectiviteId(c.id);
                navigate('/');
              }}
            >
              {c.nom} — {COLLECTIVITE_TYPE_LABELS[c.type]}
              {where(c.departement, c.region)}
            </button>
          </li>
        ))}
      </ul>
      <AfficherPlus plus={plus} total={list.length} de="collectivités" className="fr-btn fr-btn--secondary" />
    </>
  );
}
