import { CONTACT_CATEGORIE_LABELS, type Contact } from '../../../src-shared/domain/contact';
import { fieldColumn } from '../../../src-shared/registry';
import { saveFile } from '../../core/platform';
import { toCsv } from '../../ui/csv';
import { showToast } from '../../ui/toast';

/** Contacts are personal data: the file says so in its name and holds only the Atlas fields. */
export async function exportContacts(rows: readonly Contact[]): Promise<void> {
  const header = (field: keyof Contact) => fieldColumn('contact', field);
  const csv = toCsv(rows, [
    { header: header('categorie'), value: (c) => CONTACT_CATEGORIE_LABELS[c.categorie] },
    { header: header('civilite'), value: (c) => c.civilite },
    { header: header('prenom'), value: (c) => c.prenom },
    { header: header('nom'), value: (c) => c.nom },
    { header: header('fonction'), value: (c) => c.fonction },
    { header: header('courriel'), value: (c) => c.courriel },
    { header: header('telephone'), value: (c) => c.telephone },
  ]);
  const r = await saveFile('elus-et-cadres-donnees-personnelles.csv', csv, [{ name: 'CSV', extensions: ['csv'] }]);
  if (r.saved)
    showToast({
      message: `Export enregistré${r.path ? ` : ${r.path}` : ''}. Ce fichier contient des données personnelles : ne le diffusez pas.`,
    });
}
