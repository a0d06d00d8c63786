import { jourEnFrance } from '../../../src-shared/domain/campagneEtat';
import { COLLECTIVITE_TYPE_LABELS } from '../../../src-shared/domain/collectivite';
import { regionNom } from '../../../src-shared/reference/regions';
import { saveFile } from '../../core/platform';
import { toCsv } from '../../ui/csv';
import { formatDate } from '../../ui/format';
import { showToast } from '../../ui/toast';
import type { CollectiviteAJour } from './aJour';

/** The list as shown (filters applied), for Excel in French settings. */
export function aJourCsv(rows: readonly CollectiviteAJour[]): string {
  return toCsv(rows, [
    { header: 'Collectivité', value: (c) => c.nom },
    { header: 'Code officiel', value: (c) => c.code },
    { header: 'Type', value: (c) => COLLECTIVITE_TYPE_LABELS[c.type] },
    { header: 'Département', value: (c) => c.departement },
    { header: 'Région', value: (c) => regionNom(c.region) },
    { header: 'Dernière attestation', value: (c) => formatDate(jourEnFrance(c.derniereAttestation)) },
  ]);
}

export async function exportAJour(rows: readonly CollectiviteAJour[], fileName: string): Promise<void> {
  const r = await saveFile(fileName, aJourCsv(rows), [{ name: 'CSV', extensions: ['csv'] }]);
  if (r.saved) showToast({ message: `Export enregistré${r.path ? ` : ${r.path}` : ''}.` });
}
