import {
  NATURE_LABELS,
  STATUT_PARTENARIAT_LABELS,
  TYPE_PARTENAIRE_LABELS,
  type Partenariat,
} from '../../../src-shared/domain/partenariat';
import { DISPOSITIF_LABELS, STATUT_PROJET_LABELS, type FicheProjet } from '../../../src-shared/domain/ficheProjet';
import { FINANCEURS } from '../../../src-shared/reference/financeurs';
import { libelleOf, type EntreeReference } from '../../../src-shared/domain/entreeReference';
import { nomPays } from '../../../src-shared/reference/pays';
import { fieldColumn } from '../../../src-shared/registry';
import { saveFile } from '../../core/platform';
import { toCsv } from '../../ui/csv';
import { formatDate } from '../../ui/format';
import { showToast } from '../../ui/toast';

async function save(name: string, csv: string) {
  const r = await saveFile(name, csv, [{ name: 'CSV', extensions: ['csv'] }]);
  if (r.saved) showToast({ message: `Export enregistré${r.path ? ` : ${r.path}` : ''}.` });
}

const pHeader = (field: keyof Partenariat) => fieldColumn('partenariat', field);
const fHeader = (field: keyof FicheProjet) => fieldColumn('ficheProjet', field);

function partenariatsCsv(rows: readonly Partenariat[]): string {
  return toCsv(rows, [
    { header: pHeader('nature'), value: (p) => NATURE_LABELS[p.nature] },
    { header: pHeader('pays'), value: (p) => nomPays(p.pays) },
    { header: pHeader('nomPartenaire'), value: (p) => p.nomPartenaire },
    {
      header: pHeader('typePartenaire'),
      value: (p) => (p.typePartenaire ? TYPE_PARTENAIRE_LABELS[p.typePartenaire] : ''),
    },
    { header: pHeader('jumelage'), value: (p) => p.jumelage },
    {
      header: pHeader('dateConvention'),
      value: (p) => (p.dateConvention ? formatDate(p.dateConvention) : ''),
    },
    { header: pHeader('statut'), value: (p) => STATUT_PARTENARIAT_LABELS[p.statut] },
    { header: pHeader('latitude'), value: (p) => p.latitude },
    { header: pHeader('longitude'), value: (p) => p.longitude },
  ]);
}

/** `thematiques`: the synced list (retired entries included: an old fiche keeps its label). */
function fichesCsv(
  rows: readonly FicheProjet[],
  partenaires: ReadonlyMap<string, Partenariat>,
  thematiques: readonly EntreeReference[],
): string {
  const fin = new Map<string, string>(FINANCEURS.map((f) => [f.code, f.label]));
  return toCsv(rows, [
    { header: fHeader('intitule'), value: (f) => f.intitule },
    { header: 'Partenaire', value: (f) => partenaires.get(f.partenariatId)?.nomPartenaire ?? '' },
    {
      header: pHeader('pays'),
      value: (f) => {
        const p = partenaires.get(f.partenariatId);
        return p ? nomPays(p.pays) : '';
      },
    },
    { header: fHeader('statut'), value: (f) => STATUT_PROJET_LABELS[f.statut] },
    { header: fHeader('dateDebut'), value: (f) => formatDate(f.dateDebut) },
    { header: fHeader('dateFin'), value: (f) => (f.dateFin ? formatDate(f.dateFin) : '') },
    { header: fHeader('thematiques'), value: (f) => f.thematiques.map((t) => libelleOf(thematiques, t)).join(', ') },
    { header: fHeader('coutTotal'), value: (f) => f.coutTotal },
    { header: fHeader('participationCollectivite'), value: (f) => f.participationCollectivite },
    {
      header: fHeader('cofinancements'),
      value: (f) =>
        f.cofinancements
          .map((c) => `${fin.get(c.financeur) ?? c.financeur} : ${String(c.montant).replace('.', ',')} €`)
          .join(' ; '),
    },
    { header: fHeader('odd'), value: (f) => f.odd.join(', ') },
    { header: fHeader('dispositifUnPourCent'), value: (f) => DISPOSITIF_LABELS[f.dispositifUnPourCent] },
    { header: fHeader('description'), value: (f) => f.description },
  ]);
}

export const exportPartenariats = (rows: readonly Partenariat[], name: string) => save(name, partenariatsCsv(rows));
export const exportFiches = (
  rows: readonly FicheProjet[],
  partenaires: ReadonlyMap<string, Partenariat>,
  thematiques: readonly EntreeReference[],
) => save('fiches-projets.csv', fichesCsv(rows, partenaires, thematiques));
