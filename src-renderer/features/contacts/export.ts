import { CONTACT_CATEGORIE_LABELS, type Contact } from '../../../src-shared/domain/contact';
import { saveFile } from '../../core/platform';
import { toCsv } from '../../ui/csv';
import { showToast } from '../../ui/toast';

/** Contacts are personal data: the file says so in its name and holds only the Atlas fields. */
export async function exportContacts(rows: readonly Contact[]): Promise<void> {
  const csv = toCsv(rows, [
    { header: 'Catégorie', value: (c) => CONTACT_CATEGORIE_LABELS[c.categorie] },
    { header: 'Civilité', value: (c) => c.civilite },
    { header: 'Prénom', value: (c) => c.prenom },
    { header: 'Nom', value: (c) => c.nom },
    { header: 'Titre / fonction', value: (c) => c.fonction },
    { header: 'Courriel', value: (c) => c.courriel },
    { header: 'Téléphone', value: (c) => c.telephone },
  ]);
  const r = await saveFile('elus-et-cadres-donnees-personnelles.csv', csv, [{ name: 'CSV', extensions: ['csv'] }]);
  if (r.saved)
    showToast({
      message: `Export enregistré${r.path ? ` : ${r.path}` : ''}. Ce fichier contient des données personnelles : ne le diffusez pas.`,
    });
}
