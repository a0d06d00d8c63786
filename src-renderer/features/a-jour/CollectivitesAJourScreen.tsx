// « Collectivités à jour » (DAECT: the country, filtered by région; SGAR: its région, the only one its copy
// holds): the collectivités whose five parts were attested within the campaign's dates, which decides
// co-funding eligibility. A past campaign's list can be viewed (read-only, like the current one). Exported
// as CSV for Excel and printable (the print stylesheet of ui/app.css hides the nav and the controls).
import { useEffect, useMemo, useState } from 'react';
import { campagneCourante, campagneOuverte, jourEnFrance } from '../../../src-shared/domain/campagneEtat';
import { COLLECTIVITE_TYPE_LABELS } from '../../../src-shared/domain/collectivite';
import { REGION_NOMS, regionNom } from '../../../src-shared/reference/regions';
import { useApp } from '../../core/context';
import { useRecords } from '../../core/data';
import { formatDate, formatInt } from '../../ui/format';
import { ChampRecherche, FiltreSelect, SelectGroup } from '../../ui/liste';
import { searchCollectivites, searchIndex } from '../campagne/choix';
import { collectivitesAJour } from './aJour';
import { exportAJour } from './export';

const collator = new Intl.Collator('fr');
const plural = (n: number, one: string, many: string) => `${formatInt(n)} ${n > 1 ? many : one}`;

/** A region code as a file name part: "bretagne", "ile-de-france". */
const slug = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

export function CollectivitesAJourScreen() {
  const { user } = useApp();
  const collectivites = useRecords('collectivite');
  const campagnes = useRecords('campagne');
  const attestations = useRecords('attestationCampagne');
  const today = jourEnFrance(new Date());
  const courante = useMemo(() => (campagnes ? campagneCourante(campagnes, today) : null), [campagnes, today]);
  const [choisie, setChoisie] = useState<string | null>(null);
  const campagne = (choisie && campagnes?.find((c) => c.id === choisie)) || courante;
  const [region, setRegion] = useState('');
  const [q, setQ] = useState('');

  const liste = useMemo(
    () => (collectivites && attestations ? collectivitesAJour(collectivites, attestations, campagne) : undefined),
    [collectivites, attestations, campagne],
  );
  const index = useMemo(() => searchIndex(liste ?? []), [liste]);
  const shown = useMemo(() => {
    const found = searchCollectivites(index, q);
    return region ? found.filter((c) => (c.region ?? '') === region) : found;
  }, [index, q, region]);
  useEffect(() => {
    if (liste) requestAnimationFrame(() => performance.mark('atlas-a-jour-drawn'));
  }, [liste]);

  const national = user.role === 'daect';
  const regionsOfList = useMemo(
    () =>
      Object.keys(REGION_NOMS)
        .sort((a, b) => collator.compare(REGION_NOMS[a]!, REGION_NOMS[b]!))
        .map((r) => ({ value: r, label: REGION_NOMS[r]! })),
    [],
  );
  const loading = !collectivites || !campagnes || !attestations;
  const filtered = q.trim() !== '' || region !== '';
  const scope = national
    ? region
      ? `région ${regionNom(region)}`
      : 'France entière'
    : user.region
      ? `région ${regionNom(user.region)}`
      : 'votre périmètre';
  // Campaigns that have opened (one prepared for later has nobody à jour yet), the latest first.
  const sortedCampagnes = (campagnes ?? [])
    .filter((c) => c.dateOuverture <= today || c.id === courante?.id)
    .sort((a, b) => b.annee - a.annee);
  const fileName = campagne
    ? `collectivites-a-jour-campagne-${campagne.annee}-${slug(national ? (region ? regionNom(region)! : 'france') : (regionNom(user.region) ?? 'region'))}.csv`
    : 'collectivites-a-jour.csv';

  return (
    <>
      <h1>Collectivités à jour</h1>
      <p>
        Les collectivités dont les cinq parties ont été vérifiées pendant la campagne : cette liste décide de
        l’éligibilité aux cofinancements.{' '}
        {national
          ? 'Liste nationale, que vous pouvez restreindre à une région.'
          : `Collectivités de votre région (${regionNom(user.region)}).`}
      </p>
      {loading ? (
        <p role="status">Chargement de la liste…</p>
      ) : !campagne ? (
        <p>Aucune campagne n’est encore définie : la liste apparaîtra avec la première campagne.</p>
      ) : (
        <>
          <div className="fr-grid-row fr-grid-row--gutters atlas-no-print">
            <div className="fr-col-12 fr-col-md-4">
              <SelectGroup id="a-jour-campagne" label="Campagne" value={campagne.id} onChange={setChoisie}>
                {sortedCampagnes.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.annee}
                    {c.id === courante?.id ? ' (campagne en cours)' : ''}
                  </option>
                ))}
              </SelectGroup>
            </div>
            {national && (
              <div className="fr-col-12 fr-col-md-4">
                <FiltreSelect
                  id="a-jour-region"
                  label="Région"
                  tous="Toutes les régions"
                  value={region}
                  onChange={setRegion}
                  options={regionsOfList}
                />
              </div>
            )}
            <div className="fr-col-12 fr-col-md-4">
              <ChampRecherche
                id="a-jour-recherche"
                label="Rechercher une collectivité"
                hint="Nom, code ou numéro de département"
                value={q}
                onChange={setQ}
              />
            </div>
          </div>
          <p data-testid="a-jour-campagne">
            Campagne {campagne.annee}, du {formatDate(campagne.dateOuverture)} au {formatDate(campagne.dateCloture)} (
            {campagneOuverte(campagne, today)
              ? 'ouverte : la liste peut encore s’allonger'
              : today < campagne.dateOuverture
                ? 'pas encore ouverte'
                : 'close : liste définitive'}
            ) — {scope}.
          </p>
          <p role="status" data-testid="a-jour-nombre">
            {filtered
              ? `${plural(shown.length, 'collectivité', 'collectivités')} sur ${formatInt(liste!.length)} à jour ${shown.length > 1 ? 'correspondent' : 'correspond'}.`
              : liste!.length === 0
                ? 'Aucune collectivité n’est à jour pour cette campagne.'
                : `${plural(liste!.length, 'collectivité à jour', 'collectivités à jour')}.`}
          </p>
          <div className="atlas-actions fr-mb-2w atlas-no-print">
            <button
              type="button"
              className="fr-btn fr-btn--secondary fr-icon-download-line fr-btn--icon-left"
              disabled={shown.length === 0}
              onClick={() => void exportAJour(shown, fileName)}
            >
              Exporter la liste (CSV)
            </button>
            <button
              type="button"
              className="fr-btn fr-btn--tertiary fr-icon-printer-line fr-btn--icon-left"
              onClick={() => window.print()}
            >
              Imprimer
            </button>
          </div>
          {shown.length > 0 && (
            <div className="atlas-table-wrap">
              <table className="atlas-table" data-testid="a-jour-liste">
                <caption>
                  Collectivités à jour, campagne {campagne.annee} ({scope}
                  {q.trim() ? `, recherche « ${q.trim()} »` : ''})
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Collectivité</th>
                    <th scope="col">Type</th>
                    <th scope="col">Département</th>
                    <th scope="col">Région</th>
                    <th scope="col">Dernière attestation</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((c) => (
                    <tr key={c.id}>
                      <th scope="row">{c.nom}</th>
                      <td>{COLLECTIVITE_TYPE_LABELS[c.type]}</td>
                      <td>{c.departement ?? '—'}</td>
                      <td>{regionNom(c.region) ?? '—'}</td>
                      <td>{formatDate(jourEnFrance(c.derniereAttestation))}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </>
  );
}
