// The regional dashboard (issue 15): every collectivité of a région with its current campaign's state, part
// by part, its latest attestation, its quality advice and its fiches-projets awaiting an avis; totals,
// filters, sort on every column, search, CSV export; a row opens the collectivité as the chooser does.
// An SGAR sees its own région's, the DAECT any région's (drill-down from the national dashboard). Read from
// this device's copy (rows computed by regionRows.ts). A plain table, not a virtualised one: the ~1,300
// collectivités of the largest région draw in time, and every row stays in the page for the browser's
// search, the keyboard and screen readers.
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { PARTIES, PARTIE_LABELS } from '../../../src-shared/domain/campagne';
import { ETATS_CAMPAGNE, ETAT_CAMPAGNE_LABELS, campagneCourante } from '../../../src-shared/domain/campagneEtat';
import { COLLECTIVITE_TYPE_LABELS } from '../../../src-shared/domain/collectivite';
import { regionNom } from '../../../src-shared/reference/regions';
import { useApp } from '../../core/context';
import { useRecords } from '../../core/data';
import { href, navigate } from '../../core/router';
import { formatDate, formatDateTime, formatInt, todayIso } from '../../ui/format';
import { ChampRecherche, FiltresSelects } from '../../ui/liste';
import { userMessage } from '../../ui/errors';
import { showToast } from '../../ui/toast';
import { useAvisRevisions } from '../instruction/useAvisRevisions';
import { exportRegion } from './regionExport';
import {
  SANS_FILTRE,
  filtrer,
  rechercheIndex,
  regionRows,
  totaux,
  trier,
  type Colonne,
  type RegionFiltres,
  type RegionRow,
  type Sens,
} from './regionRows';

const DERNIERE_MAJ_DEFINITION =
  'Date de la dernière vérification attestée d’une partie, toutes campagnes confondues (ce poste ne connaît pas la date des autres modifications).';

const BADGE: Record<RegionRow['etat'], string> = {
  a_jour: 'fr-badge--success',
  partiel: 'fr-badge--warning',
  pas_a_jour: 'fr-badge--error',
};

const COL3 = 'fr-col-12 fr-col-md-3';
const ETAT_OPTIONS = ETATS_CAMPAGNE.map((e) => ({ value: e, label: ETAT_CAMPAGNE_LABELS[e] }));

/** "a." … "e.": the parts' letters (their full names are given above the table). */
const LETTRE = (i: number) => PARTIE_LABELS[PARTIES[i]!].slice(0, 2);

export function RegionScreen({ region }: { region: string }) {
  const { user } = useApp();
  const nom = regionNom(region);
  if (user.role === 'agent' || (user.role === 'sgar' && user.region !== region)) {
    return (
      <>
        <h1>Accès refusé</h1>
        <p>
          {user.role === 'agent'
            ? 'Les tableaux de bord régionaux sont réservés aux SGAR et à la DAECT.'
            : `Vous ne pouvez consulter que le tableau de bord de votre région${user.region ? ` (${regionNom(user.region) ?? user.region})` : ''}.`}
        </p>
        {user.role === 'sgar' && user.region && (
          <p>
            <a href={href(`/tableau-de-bord/region/${user.region}`)}>Tableau de bord de votre région</a>
          </p>
        )}
      </>
    );
  }
  if (!nom) {
    return (
      <>
        <h1>Région inconnue</h1>
        <p>Aucune région ne porte le code « {region} ».</p>
      </>
    );
  }
  return <RegionTable region={region} nom={nom} />;
}

function RegionTable({ region, nom }: { region: string; nom: string }) {
  const { setCollectiviteId } = useApp();
  const collectivites = useRecords('collectivite');
  const campagnes = useRecords('campagne');
  const attestations = useRecords('attestationCampagne');
  const partenariats = useRecords('partenariat');
  const fiches = useRecords('ficheProjet');
  const { avis, revisions } = useAvisRevisions();
  const campagne = useMemo(() => (campagnes ? campagneCourante(campagnes, todayIso()) : null), [campagnes]);
  const rows = useMemo(
    () =>
      collectivites && campagnes && attestations && partenariats && fiches && avis && revisions
        ? regionRows({
            region,
            collectivites,
            campagne,
            attestations,
            partenariats,
            fiches,
            avis,
            ficheRevisions: revisions,
          })
        : undefined,
    [region, collectivites, campagnes, campagne, attestations, partenariats, fiches, avis, revisions],
  );
  const [f, setF] = useState<RegionFiltres>(SANS_FILTRE);
  const [tri, setTri] = useState<{ col: Colonne; sens: Sens }>({ col: 'nom', sens: 'ascending' });
  const index = useMemo(() => (rows ? rechercheIndex(rows) : new Map<string, string>()), [rows]);
  const shown = useMemo(
    () => (rows ? trier(filtrer(rows, f, index), tri.col, tri.sens) : []),
    [rows, f, index, tri.col, tri.sens],
  );
  const departements = useMemo(
    () =>
      [...new Set((rows ?? []).map((r) => r.departement).filter((d): d is string => !!d))]
        .sort((a, b) => a.localeCompare(b, 'fr', { numeric: true }))
        .map((d) => ({ value: d, label: d })),
    [rows],
  );
  const types = useMemo(
    () =>
      [...new Set((rows ?? []).map((r) => r.type))]
        .map((t) => ({ value: t, label: COLLECTIVITE_TYPE_LABELS[t] }))
        .sort((a, b) => a.label.localeCompare(b.label, 'fr')),
    [rows],
  );
  const drawn = rows !== undefined;
  useEffect(() => {
    if (drawn) performance.mark('atlas-region-rendered');
  }, [drawn]);

  const title = <h1>Tableau de bord régional — {nom}</h1>;
  if (!rows) {
    return (
      <>
        {title}
        <p role="status">Chargement du tableau de bord…</p>
      </>
    );
  }
  const t = totaux(rows);
  const set = (patch: Partial<RegionFiltres>) => setF((old) => ({ ...old, ...patch }));
  const filtered = JSON.stringify(f) !== JSON.stringify(SANS_FILTRE);
  const sortButton = (col: Colonne, label: ReactNode, titre?: string) => {
    const active = tri.col === col;
    return (
      <button
        type="button"
        className={`fr-btn fr-btn--tertiary-no-outline fr-btn--sm fr-btn--icon-right ${
          active
            ? tri.sens === 'ascending'
              ? 'fr-icon-arrow-up-line'
              : 'fr-icon-arrow-down-line'
            : 'fr-icon-arrow-up-down-line'
        }`}
        title={titre}
        onClick={() => setTri({ col, sens: active && tri.sens === 'ascending' ? 'descending' : 'ascending' })}
      >
        {label}
      </button>
    );
  };
  const th = (col: Colonne, label: ReactNode, opts: { num?: boolean; titre?: string } = {}) => (
    <th scope="col" className={opts.num ? 'num' : undefined} aria-sort={tri.col === col ? tri.sens : 'none'}>
      {sortButton(col, label, opts.titre)}
    </th>
  );

  return (
    <>
      {title}
      <p>
        {campagne
          ? `Campagne ${campagne.annee} : du ${formatDate(campagne.dateOuverture)} au ${formatDate(campagne.dateCloture)}.`
          : 'Aucune campagne de mise à jour n’est connue : aucune partie ne peut être vérifiée.'}{' '}
        Les données sont celles de ce poste, à jour de la dernière synchronisation.
      </p>
      <ul className="fr-grid-row fr-grid-row--gutters fr-raw-list fr-mb-2w" aria-label="Totaux de la région">
        {ETATS_CAMPAGNE.map((e) => (
          <li key={e} className="fr-col-12 fr-col-md-4">
            <div className="fr-tile fr-tile--sm" data-testid={`region-total-${e}`}>
              <div className="fr-tile__body">
                <p className="fr-tile__title fr-h3 fr-mb-0">{formatInt(t[e])}</p>
                <p className="fr-tile__desc">
                  {ETAT_CAMPAGNE_LABELS[e]} (sur {formatInt(rows.length)})
                </p>
              </div>
            </div>
          </li>
        ))}
      </ul>
      <form
        className="fr-grid-row fr-grid-row--gutters fr-grid-row--bottom"
        aria-label="Filtres du tableau"
        onSubmit={(e) => e.preventDefault()}
      >
        <div className="fr-col-12 fr-col-md-4">
          <ChampRecherche
            id="region-recherche"
            label="Rechercher une collectivité"
            hint="Nom ou code officiel"
            value={f.q}
            onChange={(q) => set({ q })}
          />
        </div>
        <FiltresSelects
          idPrefix="region"
          values={f}
          onChange={set}
          filtres={[
            {
              key: 'departement',
              label: 'Département',
              tous: 'Tous',
              options: departements,
              col: 'fr-col-12 fr-col-md-2',
            },
            { key: 'type', label: 'Type de collectivité', tous: 'Tous les types', options: types, col: COL3 },
            { key: 'etat', label: 'État de la campagne', tous: 'Tous les états', options: ETAT_OPTIONS, col: COL3 },
          ]}
        />
        <div className="fr-col-12">
          <div className="fr-checkbox-group fr-checkbox-group--sm">
            <input
              type="checkbox"
              id="region-a-instruire"
              checked={f.aInstruireSeulement}
              onChange={(e) => set({ aInstruireSeulement: e.target.checked })}
            />
            <label className="fr-label" htmlFor="region-a-instruire">
              Seulement les collectivités ayant des fiches-projets à instruire
            </label>
          </div>
        </div>
      </form>
      <div className="fr-grid-row fr-grid-row--middle fr-mt-2w">
        <p role="status" className="fr-mb-0 fr-mr-2w" data-testid="region-nombre">
          {formatInt(shown.length)} collectivité{shown.length > 1 ? 's' : ''} affichée{shown.length > 1 ? 's' : ''} sur{' '}
          {formatInt(rows.length)}
          {shown.length === 0 && filtered ? ' : aucune ne correspond aux filtres.' : ''}
        </p>
        {filtered && (
          <button
            type="button"
            className="fr-btn fr-btn--tertiary fr-btn--sm fr-mr-2w"
            onClick={() => setF(SANS_FILTRE)}
          >
            Effacer les filtres
          </button>
        )}
        <button
          type="button"
          className="fr-btn fr-btn--secondary fr-btn--sm fr-btn--icon-left fr-icon-download-line"
          disabled={shown.length === 0}
          onClick={() =>
            exportRegion(shown, region).catch((e) =>
              showToast({ message: userMessage(e, 'L’export n’a pas pu être enregistré.') }),
            )
          }
        >
          Exporter le tableau affiché (CSV)
        </button>
      </div>
      <p className="fr-text--sm fr-mt-2w" id="region-legende">
        Parties vérifiées : le jour et l’heure de chaque vérification et qui l’a faite ; parties :{' '}
        {PARTIES.map((p) => PARTIE_LABELS[p]).join(' ; ')}. Dernière mise à jour :{' '}
        {DERNIERE_MAJ_DEFINITION.charAt(0).toLowerCase() + DERNIERE_MAJ_DEFINITION.slice(1)}
      </p>
      <div className="atlas-table-wrap">
        <table
          className="atlas-table atlas-table--whole-words"
          data-testid="region-table"
          aria-describedby="region-legende"
        >
          <caption className="fr-sr-only">
            Collectivités de la région {nom} : état de la campagne en cours (tri par colonne avec les boutons des
            en-têtes)
          </caption>
          <thead>
            <tr>
              {th('nom', 'Collectivité')}
              {th('code', 'Code')}
              {th('departement', 'Dépt')}
              {th('type', 'Type')}
              {th('etat', 'État')}
              {th('parties', 'Parties vérifiées')}
              {th('derniereMiseAJour', 'Dernière mise à jour', { titre: DERNIERE_MAJ_DEFINITION })}
              {th('avertissements', 'Avertissements', { num: true })}
              {th('aInstruire', 'Fiches à instruire', { num: true })}
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr key={r.id} data-testid="region-ligne">
                <th scope="row">
                  <button
                    type="button"
                    className="fr-link"
                    onClick={() => {
                      setCollectiviteId(r.id);
                      navigate('/');
                    }}
                  >
                    {r.nom}
                  </button>
                </th>
                <td>{r.code}</td>
                <td>{r.departement ?? '—'}</td>
                <td>{COLLECTIVITE_TYPE_LABELS[r.type]}</td>
                <td>
                  <span className={`fr-badge fr-badge--sm fr-badge--no-icon ${BADGE[r.etat]}`}>
                    {ETAT_CAMPAGNE_LABELS[r.etat]}
                  </span>
                </td>
                <td>
                  <span className="fr-text--sm">{r.verifiees} sur 5</span>
                  <ul className="fr-raw-list fr-text--xs fr-mb-0">
                    {r.parties.map(
                      (p, i) =>
                        p.attestation && (
                          <li key={p.partie}>
                            {LETTRE(i)} {formatDateTime(p.attestation.verifieeLe)}, {p.attestation.par}
                          </li>
                        ),
                    )}
                    {r.verifiees < PARTIES.length && (
                      <li>
                        Non vérifiée{PARTIES.length - r.verifiees > 1 ? 's' : ''} :{' '}
                        {r.parties
                          .map((p, i) => (p.attestation ? null : LETTRE(i).charAt(0)))
                          .filter(Boolean)
                          .join(', ')}
                      </li>
                    )}
                  </ul>
                </td>
                <td>{r.derniereMiseAJour ? formatDateTime(r.derniereMiseAJour) : 'Jamais'}</td>
                <td className="num">{formatInt(r.avertissements)}</td>
                <td className="num">{formatInt(r.aInstruire)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
