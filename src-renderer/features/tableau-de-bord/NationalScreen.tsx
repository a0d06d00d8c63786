// The DAECT's home: the circular's national figures and the current campaign's progress per région, read
// live from this device's national copy (national.ts computes them once per change of the lists read).
// Each région leads to its regional list; the map (NationalCarte) shows the table's last column.
import { useEffect, useMemo } from 'react';
import {
  campagneCourante,
  campagneOuverte,
  ETAT_CAMPAGNE_LABELS,
  jourEnFrance,
} from '../../../src-shared/domain/campagneEtat';
import { useRecordCount, useRecords } from '../../core/data';
import { href } from '../../core/router';
import { formatDate, formatInt } from '../../ui/format';
import { COULEURS_CLASSES, LIBELLES_CLASSES, NationalCarte } from './NationalCarte';
import { part, tableauNational, type ChiffresNationaux, type LigneRegion } from './national';

const CHIFFRES: { key: keyof ChiffresNationaux; label: string; definition: string }[] = [
  {
    key: 'engagees',
    label: 'collectivités engagées',
    definition: 'Collectivités ayant au moins une coopération décentralisée ou une action extérieure.',
  },
  {
    key: 'partenaires',
    label: 'partenaires',
    definition: 'Autorités locales partenaires d’une coopération décentralisée, comptées une fois par pays et par nom.',
  },
  {
    key: 'pays',
    label: 'pays',
    definition: 'Pays d’au moins une coopération décentralisée ou une action extérieure.',
  },
  {
    key: 'projets',
    label: 'projets',
    definition: 'Fiches-projets des coopérations décentralisées.',
  },
  {
    key: 'autresActions',
    label: 'autres actions',
    definition: 'Actions extérieures hors coopération décentralisée conventionnée.',
  },
];

function Etat({ n, total }: { n: number; total: number }) {
  return (
    <>
      {formatInt(n)} <span className="fr-text--sm">({part(n, total)})</span>
    </>
  );
}

function RegionCell({ r }: { r: LigneRegion }) {
  if (!r.code) return <>{r.nom}</>;
  return <a href={href(`/tableau-de-bord/region/${r.code}`)}>{r.nom}</a>;
}

export function NationalScreen() {
  const collectivites = useRecords('collectivite');
  const partenariats = useRecords('partenariat');
  // Only their number is shown: the 12,756 fiches are counted, not handed to the screen.
  const fiches = useRecordCount('ficheProjet');
  const campagnes = useRecords('campagne');
  const attestations = useRecords('attestationCampagne');
  const today = jourEnFrance(new Date());
  const campagne = useMemo(() => (campagnes ? campagneCourante(campagnes, today) : null), [campagnes, today]);
  const ready = !!(collectivites && partenariats && fiches !== undefined && campagnes && attestations);
  const t = useMemo(
    () =>
      ready
        ? tableauNational({
            collectivites: collectivites!,
            partenariats: partenariats!,
            fiches: fiches!,
            campagne,
            attestations: attestations!,
          })
        : null,
    [ready, collectivites, partenariats, fiches, campagne, attestations],
  );
  // Marks the figures and the table drawn, for the benchmark (bench/ui.ts: dashboard_national_ms).
  useEffect(() => {
    if (t) requestAnimationFrame(() => performance.mark('atlas-tdb-national-drawn'));
  }, [t]);

  return (
    <>
      <h1>Tableau de bord national</h1>
      <p>
        Chiffres calculés sur la copie nationale de ce poste, telle qu’à la dernière synchronisation. Pour consulter les
        pages d’une collectivité, <a href={href('/collectivites')}>choisissez une collectivité</a> ; la liste qui décide
        des cofinancements est celle des <a href={href('/a-jour')}>collectivités à jour</a>.
      </p>
      {!t ? (
        <p role="status">Calcul des chiffres nationaux…</p>
      ) : (
        <>
          <h2>Chiffres de l’Atlas</h2>
          <ul className="fr-grid-row fr-grid-row--gutters fr-raw-list fr-mb-2w" data-testid="chiffres-nationaux">
            {CHIFFRES.map((c) => (
              <li key={c.key} className="fr-col-12 fr-col-sm-6 fr-col-lg-4">
                <div
                  className="fr-p-2w"
                  style={{ border: '1px solid var(--border-default-grey)', height: '100%' }}
                  data-testid={`chiffre-${c.key}`}
                >
                  <p className="fr-mb-1v">
                    <strong className="fr-h3 fr-mb-0" data-valeur>
                      {formatInt(t.chiffres[c.key])}
                    </strong>{' '}
                    {c.label}
                  </p>
                  <p className="fr-text--sm fr-mb-0">{c.definition}</p>
                </div>
              </li>
            ))}
            <li className="fr-col-12 fr-col-sm-6 fr-col-lg-4">
              <div
                className="fr-p-2w"
                style={{ border: '1px solid var(--border-default-grey)', height: '100%' }}
                data-testid="chiffre-detail"
              >
                <p className="fr-text--sm fr-mb-0">
                  Sur <span data-testid="chiffre-inscrites">{formatInt(t.chiffres.inscrites)}</span> collectivités
                  inscrites dans l’Atlas.{' '}
                  <span data-testid="chiffre-cooperations">{formatInt(t.chiffres.cooperations)}</span> coopérations
                  décentralisées. Tous les partenariats sont comptés, quel que soit leur statut (actif, en sommeil,
                  terminé).
                </p>
              </div>
            </li>
          </ul>

          {!campagne ? (
            <>
              <h2>Campagne de mise à jour</h2>
              <p>
                Aucune campagne n’est encore définie : l’avancement par région apparaîtra avec la première campagne.
              </p>
            </>
          ) : (
            <>
              <h2>Campagne {campagne.annee} : avancement par région</h2>
              <p data-testid="campagne-nationale">
                Campagne du {formatDate(campagne.dateOuverture)} au {formatDate(campagne.dateCloture)} (
                {campagneOuverte(campagne, today) ? 'ouverte' : 'close'}). Une collectivité est à jour quand ses cinq
                parties ont été vérifiées pendant la campagne. France entière :{' '}
                <strong>
                  {formatInt(t.france.aJour)} à jour sur {formatInt(t.france.total)} (
                  {part(t.france.aJour, t.france.total)})
                </strong>
                , {formatInt(t.france.partiel)} partiellement, {formatInt(t.france.pasAJour)} pas à jour.
              </p>
              <div className="fr-grid-row fr-grid-row--gutters fr-mb-2w">
                <div className="fr-col-12 fr-col-md-8">
                  <NationalCarte regions={t.regions} />
                </div>
                <div className="fr-col-12 fr-col-md-4">
                  <h3 className="fr-h6" id="legende-regions">
                    Légende : part des collectivités à jour
                  </h3>
                  <ul className="fr-raw-list" aria-labelledby="legende-regions">
                    {LIBELLES_CLASSES.map((l, i) => (
                      <li key={l} style={{ display: 'flex', alignItems: 'center' }}>
                        <svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true" style={{ marginRight: 8 }}>
                          <circle cx="9" cy="9" r="7" fill={COULEURS_CLASSES[i]} stroke="#161616" strokeWidth="1.5" />
                        </svg>
                        {l}
                      </li>
                    ))}
                  </ul>
                  <p className="fr-text--sm fr-mt-2w">
                    Chaque disque est placé au centre de sa région et porte la part de ses collectivités à jour. Les
                    régions d’outre-mer figurent dans des encadrés à l’ouest de la carte, hors échelle. Cliquez sur un
                    disque, ou sur le nom d’une région dans le tableau, pour ouvrir la liste de la région.
                  </p>
                </div>
              </div>
              <div className="atlas-table-wrap">
                <table className="atlas-table" data-testid="tableau-regions">
                  <caption>
                    Campagne {campagne.annee} : collectivités à jour, partiellement à jour et pas à jour par région
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Région</th>
                      <th scope="col" className="num">
                        Collectivités
                      </th>
                      <th scope="col" className="num">
                        {ETAT_CAMPAGNE_LABELS.a_jour}
                      </th>
                      <th scope="col" className="num">
                        {ETAT_CAMPAGNE_LABELS.partiel}
                      </th>
                      <th scope="col" className="num">
                        {ETAT_CAMPAGNE_LABELS.pas_a_jour}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {t.regions.map((r) => (
                      <tr key={r.code ?? ''} data-region={r.code ?? ''}>
                        <th scope="row">
                          <RegionCell r={r} />
                        </th>
                        <td className="num">{formatInt(r.total)}</td>
                        <td className="num">
                          <Etat n={r.aJour} total={r.total} />
                        </td>
                        <td className="num">
                          <Etat n={r.partiel} total={r.total} />
                        </td>
                        <td className="num">
                          <Etat n={r.pasAJour} total={r.total} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                  <tfoot>
                    <tr data-region="france">
                      <th scope="row">{t.france.nom}</th>
                      <td className="num">{formatInt(t.france.total)}</td>
                      <td className="num">
                        <Etat n={t.france.aJour} total={t.france.total} />
                      </td>
                      <td className="num">
                        <Etat n={t.france.partiel} total={t.france.total} />
                      </td>
                      <td className="num">
                        <Etat n={t.france.pasAJour} total={t.france.total} />
                      </td>
                    </tr>
                  </tfoot>
                </table>
              </div>
            </>
          )}
        </>
      )}
    </>
  );
}
