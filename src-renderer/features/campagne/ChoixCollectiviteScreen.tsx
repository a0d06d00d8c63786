// SGAR and DAECT: choose a collectivité of the scope to view (regional and national dashboards come later).
import { useMemo, useState } from 'react';
import { COLLECTIVITE_TYPE_LABELS } from '../../../src-shared/domain/collectivite';
import { ROLE_LABELS } from '../../../src-shared/domain/roles';
import { useApp } from '../../core/context';
import { useRecords } from '../../core/data';
import { navigate } from '../../core/router';
import { normalize } from '../projets/FichesList';
import { compareFr } from '../../ui/incomplete';

export function ChoixCollectiviteScreen() {
  const { user, setCollectiviteId } = useApp();
  const all = useRecords('collectivite');
  const [q, setQ] = useState('');
  const list = useMemo(() => {
    const w = normalize(q.trim());
    return (all ?? [])
      .filter((c) => !w || normalize(`${c.nom} ${c.code} ${c.departement ?? ''}`).includes(w))
      .sort((a, b) => compareFr(a.nom, b.nom));
  }, [all, q]);
  if (user.role === 'agent') {
    return (
      <>
        <h1>Collectivité inconnue</h1>
        <p>Votre compte n’est rattaché à aucune collectivité. Contactez la DAECT.</p>
      </>
    );
  }
  return (
    <>
      <h1>Choisir une collectivité</h1>
      <p>
        Vous êtes connecté en tant que {ROLE_LABELS[user.role]}
        {user.region ? ` (région ${user.region})` : ''}. Choisissez une collectivité de votre périmètre pour consulter
        ses pages. Les tableaux de bord régionaux et nationaux arriveront dans une prochaine version.
      </p>
      <div className="fr-input-group">
        <label className="fr-label" htmlFor="choix-collectivite-filtre">
          Filtrer par nom, code ou département
        </label>
        <input
          className="fr-input"
          id="choix-collectivite-filtre"
          type="search"
          value={q}
          onChange={(e) => setQ(e.target.value)}
        />
      </div>
      <p role="status">
        {all === undefined ? 'Chargement…' : `${list.length} collectivité${list.length > 1 ? 's' : ''}`}
      </p>
      <ul className="fr-raw-list">
        {list.slice(0, 100).map((c) => (
          <li key={c.id} className="fr-mb-1w">
            <button
              type="button"
              className="fr-btn fr-btn--tertiary fr-btn--sm"
              onClick={() => {
                setCollectiviteId(c.id);
                navigate('/');
              }}
            >
              {c.nom} — {COLLECTIVITE_TYPE_LABELS[c.type]}
              {c.departement ? ` (${c.departement})` : ''}
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}
