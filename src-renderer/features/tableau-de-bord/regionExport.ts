// The regional dashboard's table as a CSV for French Excel (';', UTF-8 with BOM: ui/csv.ts), saved through
// the platform like the other exports: the rows shown, in the order shown.
import { PARTIES, PARTIE_LABELS } from '../../../src-shared/domain/campagne';
import { COLLECTIVITE_TYPE_LABELS } from '../../../src-shared/domain/collectivite';
import { saveFile } from '../../core/platform';
import { toCsv, type CsvColumn } from '../../ui/csv';
import { formatDateTime } from '../../ui/format';
import { showToast } from '../../ui/toast';
import { etatLabel, type RegionRow } from './regionRows';

export function regionCsv(rows: readonly RegionRow[]): string {
  const columns: CsvColumn<RegionRow>[] = [
    { header: 'Collectivité', value: (r) => r.nom },
    { header: 'Code officiel', value: (r) => r.code },
    { header: 'Département', value: (r) => r.departement },
    { header: 'Type', value: (r) => COLLECTIVITE_TYPE_LABELS[r.type] },
    { header: 'État de la campagne', value: (r) => etatLabel(r.etat) },
    { header: 'Parties vérifiées', value: (r) => r.verifiees },
  ];
  PARTIES.forEach((p, i) => {
    columns.push({
      header: `${PARTIE_LABELS[p]} — vérifiée le`,
      value: (r) => {
        const a = r.parties[i]?.attestation;
        return a ? formatDateTime(a.verifieeLe) : 'non vérifiée';
      },
    });
    columns.push({ header: `${PARTIE_LABELS[p]} — par`, value: (r) => r.parties[i]?.attestation?.par ?? '' });
  });
  columns.push(
    { header: 'Dernière attestation', value: (r) => (r.derniereMiseAJour ? formatDateTime(r.derniereMiseAJour) : '') },
    { header: 'Avertissements de qualité', value: (r) => r.avertissements },
    { header: 'Fiches-projets à instruire', value: (r) => r.aInstruire },
  );
  return toCsv(rows, columns);
}

export async function exportRegion(rows: readonly RegionRow[], region: string): Promise<void> {
  const r = await saveFile(`tableau-de-bord-region-${region}.csv`, regionCsv(rows), [
    { name: 'CSV', extensions: ['csv'] },
  ]);
  if (r.saved) showToast({ message: `Export enregistré${r.path ? ` : ${r.path}` : ''}.` });
}
