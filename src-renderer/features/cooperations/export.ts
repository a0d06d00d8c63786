import {
  NATURE_LABELS,
  STATUT_PARTENARIAT_LABELS,
  TYPE_PARTENAIRE_LABELS,
  type Partenariat,
} from '../../../src-shared/domain/partenariat';
import { DISPOSITIF_LABELS, STATUT_PROJET_LABELS, type FicheProjet } from '../../../src-shared/domain/ficheProjet';
import { FINANCEURS } from '../../../src-shared/reference/financeurs';
import { THEMATIQUES } from '../../../src-shared/reference/thematiques';
import { nomPays } from '../../../src-shared/reference/pays';
import { saveFile } from '../../core/platform';
import { toCsv } from '../../ui/csv';
import { formatDate } from '../../ui/format';
import { showToast } from '../../ui/toast';

async function save(name: string, csv: string) {
  const r = await saveFile(name, csv, [{ name: 'CSV', extensions: ['csv'] }]);
  if (r.saved) showToast({ message: `Export enregistré${r.path ? ` : ${r.path}` : ''}.` });
}

function partenariatsCsv(rows: readonly Partenariat[]): string {
  return toCsv(rows, [
    { header: 'Nature', value: (p) => NATURE_LABELS[p.nature] },
    { header: 'Pays', value: (p) => nomPays(p.pays) },
    { header: 'Nom du partenaire', value: (p) => p.nomPartenaire },
    { header: 'Type de partenaire', value: (p) => (p.typePartenaire ? TYPE_PARTENAIRE_LABELS[p.typePartenaire] : '') },
    { header: 'Jumelage', value: (p) => p.jumelage },
    {
      header: 'Date de signature de la convention',
      value: (p) => (p.dateConvention ? formatDate(p.dateConvention) : ''),
    },
    { header: 'Statut', value: (p) => STATUT_PARTENARIAT_LABELS[p.statut] },
    { header: 'Latitude', value: (p) => p.latitude },
    { header: 'Longitude', value: (p) => p.longitude },
  ]);
}

function fichesCsv(rows: readonly FicheProjet[], partenaires: ReadonlyMap<string, Partenariat>): string {
  const th = new Map<string, string>(THEMATIQUES.map((t) => [t.code, t.label]));
  const fin = new Map<string, string>(FINANCEURS.map((f) => [f.code, f.label]));
  return toCsv(rows, [
    { header: 'Intitulé', value: (f) => f.intitule },
    { header: 'Partenaire', value: (f) => partenaires.get(f.partenariatId)?.nomPartenaire ?? '' },
    {
      header: 'Pays',
      value: (f) => {
        const p = partenaires.get(f.partenariatId);
        return p ? nomPays(p.pays) : '';
      },
    },
    { header: 'Statut', value: (f) => STATUT_PROJET_LABELS[f.statut] },
    { header: 'Date de début', value: (f) => formatDate(f.dateDebut) },
    { header: 'Date de fin', value: (f) => (f.dateFin ? formatDate(f.dateFin) : '') },
    { header: 'Thématiques', value: (f) => f.thematiques.map((t) => th.get(t) ?? t).join(', ') },
    { header: 'Coût total (€)', value: (f) => f.coutTotal },
    { header: 'Participation de la collectivité (€)', value: (f) => f.participationCollectivite },
    {
      header: 'Cofinancements',
      value: (f) =>
        f.cofinancements
          .map((c) => `${fin.get(c.financeur) ?? c.financeur} : ${String(c.montant).replace('.', ',')} €`)
          .join(' ; '),
    },
    { header: 'ODD', value: (f) => f.odd.join(', ') },
    { header: 'Dispositif 1 %', value: (f) => DISPOSITIF_LABELS[f.dispositifUnPourCent] },
    { header: 'Description / objectifs', value: (f) => f.description },
  ]);
}

export const exportPartenariats = (rows: readonly Partenariat[], name: string) => save(name, partenariatsCsv(rows));
export const exportFiches = (rows: readonly FicheProjet[], partenaires: ReadonlyMap<string, Partenariat>) =>
  save('fiches-projets.csv', fichesCsv(rows, partenaires));
