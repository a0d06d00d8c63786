// « Fiches à instruire » (issue 15), for the SGAR (its région) and the DAECT (the country): the fiches-projets
// of the scope on which no avis was given, or changed since the avis (the rule of aInstruire.ts, shared with
// the regional dashboard's count), filtered by thématique, pays and statut d'instruction. A row opens the
// fiche, after choosing its collectivité as the chooser does. The first rows are drawn, « Afficher plus »
// adds more: a national list can hold thousands of fiches.
import { useMemo, useState } from 'react';
import { AVIS_LABELS, STATUT_INSTRUCTION_LABELS } from '../../../src-shared/domain/avis';
import { nomPays } from '../../../src-shared/reference/pays';
import { regionNom } from '../../../src-shared/reference/regions';
import { useApp } from '../../core/context';
import { useRecords, useReference } from '../../core/data';
import { navigate } from '../../core/router';
import { formatDate, formatInt } from '../../ui/format';
import { AfficherPlus, FiltresSelects, useAfficherPlus } from '../../ui/liste';
import { useAvisRevisions } from './useAvisRevisions';
import { MOTIF_INSTRUCTION_LABELS, fichesAInstruire, filtrerAInstruire, type FiltresInstruction } from './aInstruire';

const PAGE = 100;
const COL = 'fr-col-12 fr-col-md-4';
const STATUTS = [
  { value: 'sans_avis', label: 'Sans avis' },
  ...Object.entries(STATUT_INSTRUCTION_LABELS).map(([value, label]) => ({ value, label })),
];

export function AInstruireScreen() {
  const { user } = useApp();
  if (user.role === 'agent') {
    return (
      <>
        <h1>Accès refusé</h1>
        <p>La liste des fiches-projets à instruire est réservée aux SGAR et à la DAECT.</p>
      </>
    );
  }
  return <AInstruireListe />;
}

function AInstruireListe() {
  const { user, setCollectiviteId } = useApp();
  const fiches = useRecords('ficheProjet');
  // The thématiques are the DAECT's synced list (issue 15): a retired one still names the fiches that have it.
  const thematiques = useReference('thematique');
  const { avis, revisions } = useAvisRevisions();
  const partenariats = useRecords('partenariat');
  const collectivites = useRecords('collectivite');
  const list = useMemo(() => {
    if (!fiches || !avis || !partenariats || !collectivites || !revisions) return undefined;
    const noms = new Map(collectivites.map((c) => [c.id, c.nom]));
    return fichesAInstruire({
      fiches,
      avis,
      revisions,
      partenariats,
      collectiviteNom: (id) => noms.get(id) ?? 'Collectivité inconnue',
    });
  }, [fiches, avis, partenariats, collectivites, revisions]);
  const [f, setF] = useState<FiltresInstruction>({ thematique: '', pays: '', statut: '' });
  const plus = useAfficherPlus<HTMLButtonElement>(PAGE);
  const shown = useMemo(() => (list ? filtrerAInstruire(list, f) : []), [list, f]);
  const pays = useMemo(
    () =>
      [...new Set((list ?? []).map((x) => x.pays).filter((p): p is string => !!p))]
        .map((p) => ({ value: p, label: nomPays(p) }))
        .sort((a, b) => a.label.localeCompare(b.label, 'fr')),
    [list],
  );
  const themes = (thematiques?.entries ?? []).map((t) => ({ value: t.code, label: thematiques!.libelle(t.code) }));
  const set = (patch: Partial<FiltresInstruction>) => {
    setF((old) => ({ ...old, ...patch }));
    plus.reset();
  };
  const scope =
    user.role === 'sgar' && user.region ? `de la région ${regionNom(user.region) ?? user.region}` : 'de France';

  if (!list) {
    return (
      <>
        <h1>Fiches à instruire</h1>
        <p role="status">Chargement des fiches-projets…</p>
      </>
    );
  }
  const page = shown.slice(0, plus.limit);
  const filtered = f.thematique !== '' || f.pays !== '' || f.statut !== '';
  return (
    <>
      <h1>Fiches à instruire</h1>
      <p>
        Les fiches-projets des collectivités {scope} sur lesquelles aucun avis n’a été donné, ou modifiées depuis l’avis
        donné (l’avis porte alors sur une version antérieure de la fiche). Les données sont celles de ce poste, à jour
        de la dernière synchronisation.
      </p>
      <form
        className="fr-grid-row fr-grid-row--gutters"
        aria-label="Filtres des fiches à instruire"
        onSubmit={(e) => e.preventDefault()}
      >
        <FiltresSelects
          idPrefix="instruction"
          values={f}
          onChange={set}
          filtres={[
            { key: 'thematique', label: 'Thématique', tous: 'Toutes les thématiques', options: themes, col: COL },
            { key: 'pays', label: 'Pays', tous: 'Tous les pays', options: pays, col: COL },
            { key: 'statut', label: 'Statut d’instruction', tous: 'Tous les statuts', options: STATUTS, col: COL },
          ]}
        />
      </form>
      <p role="status" className="fr-mt-2w" data-testid="instruction-nombre">
        {shown.length === 0
          ? filtered
            ? `Aucune fiche-projet à instruire ne correspond aux filtres (${formatInt(list.length)} à instruire en tout).`
            : 'Aucune fiche-projet à instruire : chaque fiche a un avis sur sa version actuelle.'
          : `${formatInt(shown.length)} fiche${shown.length > 1 ? 's' : ''}-projet${shown.length > 1 ? 's' : ''} à instruire${
              filtered ? ` sur ${formatInt(list.length)}` : ''
            }${shown.length > page.length ? ` ; les ${formatInt(page.length)} premières sont affichées` : ''}.`}
      </p>
      {page.length > 0 && (
        <div className="atlas-table-wrap">
          <table className="atlas-table atlas-table--whole-words" data-testid="instruction-table">
            <caption className="fr-sr-only">Fiches-projets à instruire</caption>
            <thead>
              <tr>
                <th scope="col">Fiche-projet</th>
                <th scope="col">Collectivité</th>
                <th scope="col">Partenaire et pays</th>
                <th scope="col">Thématiques</th>
                <th scope="col">Motif</th>
                <th scope="col">Dernier avis</th>
              </tr>
            </thead>
            <tbody>
              {page.map((x, i) => (
                <tr key={x.fiche.id} data-testid="instruction-ligne">
                  <th scope="row">
                    <button
                      type="button"
                      className="fr-link"
                      ref={plus.focusRef(i)}
                      onClick={() => {
                        setCollectiviteId(x.fiche.collectiviteId);
                        navigate(`/partenariats/${x.fiche.partenariatId}/fiches/${x.fiche.id}`);
                      }}
                    >
                      {x.fiche.intitule}
                    </button>
                  </th>
                  <td>{x.collectiviteNom}</td>
                  <td>
                    {x.partenaire ?? '—'}
                    {x.pays ? ` (${nomPays(x.pays)})` : ''}
                  </td>
                  <td>{x.fiche.thematiques.map((t) => thematiques?.libelle(t) ?? t).join(', ')}</td>
                  <td>
                    <span
                      className={`fr-badge fr-badge--sm fr-badge--no-icon ${x.motif === 'modifiee' ? 'fr-badge--warning' : 'fr-badge--info'}`}
                    >
                      {MOTIF_INSTRUCTION_LABELS[x.motif]}
                    </span>
                  </td>
                  <td>
                    {x.avis
                      ? `${AVIS_LABELS[x.avis.avis]} — ${STATUT_INSTRUCTION_LABELS[x.avis.statutInstruction]}, par ${x.avis.auteur} le ${formatDate(x.avis.date)}`
                      : 'Aucun'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <AfficherPlus
        plus={plus}
        total={shown.length}
        de="fiches-projets"
        className="fr-btn fr-btn--secondary fr-mt-2w"
      />
    </>
  );
}
