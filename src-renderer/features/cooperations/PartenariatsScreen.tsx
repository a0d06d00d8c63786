// Parts c and d: partnerships of one nature, grouped by country.
import { useMemo } from 'react';
import { STATUT_PARTENARIAT_LABELS, type Partenariat } from '../../../src-shared/domain/partenariat';
import { isAllCaps } from '../../../src-shared/domain/warnings';
import { enPays, nomPays } from '../../../src-shared/reference/pays';
import { useApp, useCollectiviteId } from '../../core/context';
import { useRecords, useReference } from '../../core/data';
import { href } from '../../core/router';
import { formatDate } from '../../ui/format';
import { RepriseAide, RepriseBadge, useAVerifier } from '../../ui/reprise';
import { StatusBadge } from '../../ui/StatusBadge';
import { exportFiches, exportPartenariats } from './export';
import { NATURE_PAGE } from './labels';
import type { Nature } from './types';
import { compareFr } from '../../ui/incomplete';

export function PartenariatsScreen({ nature }: { nature: Nature }) {
  const collectiviteId = useCollectiviteId();
  const { canWrite, visionneuse } = useApp();
  const page = NATURE_PAGE[nature];
  const all = useRecords('partenariat', { collectiviteId }) ?? [];
  const fiches = useRecords('ficheProjet', { collectiviteId }) ?? [];
  const thematiques = useReference('thematique');
  const rows = all.filter((p) => p.nature === nature);
  const groups = useMemo(() => {
    const m = new Map<string, Partenariat[]>();
    for (const p of rows) m.set(p.pays, [...(m.get(p.pays) ?? []), p]);
    return [...m.entries()]
      .map(([code, ps]) => ({
        code,
        nom: nomPays(code),
        ps: ps.sort((a, b) => compareFr(a.nomPartenaire, b.nomPartenaire)),
      }))
      .sort((a, b) => compareFr(a.nom, b.nom));
  }, [rows]);
  const count = new Map<string, number>();
  for (const f of fiches) count.set(f.partenariatId, (count.get(f.partenariatId) ?? 0) + 1);
  const ids = new Set(rows.map((p) => p.id));
  const aVerifier = useAVerifier(collectiviteId);
  const marques = rows.filter((p) => aVerifier.partenariat(p)).length;
  return (
    <>
      <h1>{page.title}</h1>
      <p>{page.intro}</p>
      <div className="atlas-actions fr-mb-3w">
        {canWrite && (
          <a
            className="fr-btn fr-icon-add-line fr-btn--icon-left"
            href={href(`/partenariats/nouveau?nature=${nature}`)}
          >
            {page.add}
          </a>
        )}
        <button
          type="button"
          className="fr-btn fr-btn--secondary fr-icon-download-line fr-btn--icon-left"
          onClick={() =>
            void exportPartenariats(
              rows,
              nature === 'cooperation_decentralisee' ? 'cooperations-decentralisees.csv' : 'actions-exterieures.csv',
            )
          }
        >
          Exporter les partenariats (CSV)
        </button>
        <button
          type="button"
          className="fr-btn fr-btn--secondary fr-icon-download-line fr-btn--icon-left"
          onClick={() =>
            void exportFiches(
              fiches.filter((f) => ids.has(f.partenariatId)),
              new Map(rows.map((p) => [p.id, p])),
              thematiques?.entries ?? [],
            )
          }
        >
          Exporter les fiches-projets (CSV)
        </button>
      </div>
      {!groups.length && <p>Aucun partenariat enregistré pour l’instant.</p>}
      {marques > 0 && (
        <div data-testid="reprise-liste">
          <p className="fr-mb-0">
            <RepriseBadge /> {marques} partenariat{marques > 1 ? 's' : ''} repris de l’Atlas existant, à vérifier.
          </p>
          <RepriseAide />
        </div>
      )}
      {groups.map((g) => (
        <section key={g.code} className="fr-mb-4w" aria-labelledby={`pays-${g.code}`}>
          <h2 id={`pays-${g.code}`} className="fr-h4">
            {g.nom} <span className="fr-text--sm">({g.ps.length})</span>
          </h2>
          <div className="atlas-table-wrap">
            <table className="atlas-table">
              <caption className="fr-sr-only">Partenariats {enPays(g.code)}</caption>
              <thead>
                <tr>
                  <th scope="col">Partenaire</th>
                  <th scope="col">Jumelage</th>
                  <th scope="col">Convention</th>
                  <th scope="col">Statut</th>
                  <th scope="col" className="num">
                    Fiches-projets
                  </th>
                  {!visionneuse && <th scope="col">État</th>}
                </tr>
              </thead>
              <tbody>
                {g.ps.map((p) => (
                  <tr key={p.id}>
                    <td>
                      <a href={href(`/partenariats/${p.id}`)}>{p.nomPartenaire}</a>
                      {isAllCaps(p.nomPartenaire) && (
                        <span className="fr-badge fr-badge--sm fr-badge--warning fr-ml-1w">Nom en majuscules</span>
                      )}
                      {aVerifier.partenariat(p) && (
                        <>
                          {' '}
                          <RepriseBadge />
                        </>
                      )}
                    </td>
                    <td>{p.jumelage ? 'Oui' : 'Non'}</td>
                    <td>{formatDate(p.dateConvention)}</td>
                    <td>{STATUT_PARTENARIAT_LABELS[p.statut]}</td>
                    <td className="num">{count.get(p.id) ?? 0}</td>
                    {!visionneuse && (
                      <td>
                        <StatusBadge entity="partenariat" id={p.id} />
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ))}
    </>
  );
}
