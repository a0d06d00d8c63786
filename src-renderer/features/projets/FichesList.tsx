// Fiches-projets with a filter as you type. The haystack is normalised once per list, so a keystroke
// over 2,000 fiches is a plain scan; only the first rows are drawn.
import { useId, useMemo, useState } from 'react';
import { STATUT_PROJET_LABELS, type FicheProjet } from '../../../src-shared/domain/ficheProjet';
import { useReference } from '../../core/data';
import { href } from '../../core/router';
import { formatDate, formatEuro } from '../../ui/format';
import { compareFr } from '../../ui/incomplete';
import { RepriseAide, RepriseBadge } from '../../ui/reprise';

const SHOWN = 100;
export const normalize = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

export function FichesList(props: {
  fiches: readonly FicheProjet[];
  partenaireOf?: (f: FicheProjet) => string;
  /** Marked « repris de l’Atlas existant — à vérifier » (ui/reprise.tsx). */
  aVerifier?: (f: FicheProjet) => boolean;
}) {
  const [q, setQ] = useState('');
  const [limit, setLimit] = useState(SHOWN);
  const id = useId();
  const thematiques = useReference('thematique');
  const indexed = useMemo(
    () =>
      props.fiches
        .map((f) => ({
          f,
          hay: normalize(
            `${f.intitule} ${props.partenaireOf?.(f) ?? ''} ${f.thematiques.map((t) => thematiques?.libelle(t) ?? t).join(' ')} ${STATUT_PROJET_LABELS[f.statut]}`,
          ),
        }))
        .sort((a, b) => compareFr(a.f.intitule, b.f.intitule)),
    [props.fiches, props.partenaireOf, thematiques],
  );
  const words = normalize(q).split(/\s+/).filter(Boolean);
  const marques = props.aVerifier ? props.fiches.filter(props.aVerifier).length : 0;
  const matches = words.length ? indexed.filter((x) => words.every((w) => x.hay.includes(w))) : indexed;
  return (
    <div>
      <div className="fr-input-group">
        <label className="fr-label" htmlFor={`${id}-filtre`}>
          Filtrer les fiches-projets
          <span className="fr-hint-text">Par intitulé, partenaire, thématique ou statut</span>
        </label>
        <input
          className="fr-input"
          id={`${id}-filtre`}
          type="search"
          value={q}
          onChange={(e) => {
            setQ(e.target.value);
            setLimit(SHOWN);
          }}
          data-testid="filtre-fiches"
        />
      </div>
      <p role="status" className="fr-text--sm" data-testid="nombre-fiches">
        {matches.length} fiche{matches.length > 1 ? 's' : ''}-projet{matches.length > 1 ? 's' : ''}
        {words.length ? ` sur ${indexed.length}` : ''}
      </p>
      {marques > 0 && (
        <div data-testid="reprise-liste">
          <p className="fr-mb-0">
            <RepriseBadge /> {marques} fiche{marques > 1 ? 's' : ''}-projet{marques > 1 ? 's' : ''} repris
            {marques > 1 ? 'es' : 'e'} de l’Atlas existant, à vérifier.
          </p>
          <RepriseAide />
        </div>
      )}
      <div className="atlas-table-wrap">
        <table className="atlas-table">
          <caption className="fr-sr-only">Fiches-projets</caption>
          <thead>
            <tr>
              <th scope="col">Intitulé</th>
              {props.partenaireOf && <th scope="col">Partenaire</th>}
              <th scope="col">Statut</th>
              <th scope="col">Début</th>
              <th scope="col" className="num">
                Coût total
              </th>
            </tr>
          </thead>
          <tbody>
            {matches.slice(0, limit).map(({ f }) => (
              <tr key={f.id}>
                <td>
                  <a href={href(`/partenariats/${f.partenariatId}/fiches/${f.id}`)}>{f.intitule}</a>
                  {props.aVerifier?.(f) && (
                    <>
                      {' '}
                      <RepriseBadge />
                    </>
                  )}
                </td>
                {props.partenaireOf && <td>{props.partenaireOf(f)}</td>}
                <td>{STATUT_PROJET_LABELS[f.statut]}</td>
                <td>{formatDate(f.dateDebut)}</td>
                <td className="num">{formatEuro(f.coutTotal)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {matches.length > limit && (
        <button type="button" className="fr-btn fr-btn--tertiary fr-mt-1w" onClick={() => setLimit((l) => l + SHOWN)}>
          Afficher {Math.min(SHOWN, matches.length - limit)} fiches de plus
        </button>
      )}
    </div>
  );
}
