// a. Élus et cadres territoriaux: list, add, edit, delete (with undo); e-mail checked by the shared schema.
import { CONTACT_CATEGORIE_LABELS, type Contact } from '../../../src-shared/domain/contact';
import { useApp, useCollectiviteId } from '../../core/context';
import { useRecords } from '../../core/data';
import { useRecordOrNull } from '../../ui/useRecordOrNull';
import { href, navigate } from '../../core/router';
import { NEW_ID } from '../../ui/crud';
import { RecordTable, type Column } from '../../ui/recordTable';
import { Champ, FormActions, EntityFormFrame, useEntityForm } from '../../ui/entityForm';
import { str } from '../../ui/form';
import { exportContacts } from './export';
import { compareFr } from '../../ui/incomplete';

interface ContactValues {
  categorie: string;
  civilite: string;
  prenom: string;
  nom: string;
  fonction: string;
  courriel: string;
  telephone: string;
}

function toValues(c: Contact | undefined): ContactValues {
  return {
    categorie: c?.categorie ?? '',
    civilite: c?.civilite ?? '',
    prenom: c?.prenom ?? '',
    nom: c?.nom ?? '',
    fonction: c?.fonction ?? '',
    courriel: c?.courriel ?? '',
    telephone: c?.telephone ?? '',
  };
}

const COLUMNS: Column<Contact>[] = [
  {
    header: 'Nom',
    cell: (c) => (
      <>
        {c.civilite ? `${c.civilite} ` : ''}
        {c.prenom} {c.nom}
      </>
    ),
  },
  { header: 'Catégorie', cell: (c) => CONTACT_CATEGORIE_LABELS[c.categorie] },
  { header: 'Fonction', cell: (c) => c.fonction },
  { header: 'Courriel', cell: (c) => c.courriel },
  { header: 'Téléphone', cell: (c) => c.telephone ?? '—' },
];

export function ContactsScreen({ editId }: { editId: string | null }) {
  const collectiviteId = useCollectiviteId();
  const { canWrite } = useApp();
  const contacts = useRecords('contact', { collectiviteId }) ?? [];
  const sorted = [...contacts].sort((a, b) => compareFr(a.nom, b.nom) || compareFr(a.prenom, b.prenom));
  return (
    <>
      <h1>a. Élus et cadres territoriaux</h1>
      <p>
        Les élus et cadres chargés de l’action extérieure de la collectivité. Vérifiez en particulier les adresses
        électroniques.
      </p>
      {editId && <ContactFormLoader id={editId === 'nouveau' ? null : editId} collectiviteId={collectiviteId} />}
      {!editId && (
        <div className="atlas-actions fr-mb-3w">
          {canWrite && (
            <a className="fr-btn fr-icon-add-line fr-btn--icon-left" href={href('/contacts/nouveau')}>
              Ajouter un élu ou un cadre
            </a>
          )}
          <button
            type="button"
            className="fr-btn fr-btn--secondary fr-icon-download-line fr-btn--icon-left"
            onClick={() => void exportContacts(sorted)}
          >
            Exporter en CSV
          </button>
        </div>
      )}
      <RecordTable
        entity="contact"
        caption={`Liste des élus et cadres (${sorted.length})`}
        captionId="contacts-caption"
        columns={COLUMNS}
        rows={sorted}
        empty="Aucun élu ni cadre enregistré pour l’instant."
        editPath={(c) => `/contacts/${c.id}`}
        name={(c) => `${c.prenom} ${c.nom}`}
      />
    </>
  );
}

function ContactFormLoader({ id, collectiviteId }: { id: string | null; collectiviteId: string }) {
  const rec = useRecordOrNull('contact', id);
  if (id && rec === undefined) return <p role="status">Chargement…</p>;
  if (id && !rec)
    return (
      <div className="fr-alert fr-alert--warning fr-mb-3w">
        <p>Ce contact n’existe plus (il a peut-être été supprimé).</p>
      </div>
    );
  return <ContactForm key={id ?? 'new'} contact={rec ?? undefined} collectiviteId={collectiviteId} />;
}

function ContactForm({ contact, collectiviteId }: { contact?: Contact; collectiviteId: string }) {
  const f = useEntityForm({
    entity: 'contact',
    idPrefix: 'contact',
    record: contact,
    toValues,
    toRecord: (v: ContactValues) => ({
      id: contact?.id ?? NEW_ID,
      collectiviteId,
      categorie: v.categorie || undefined,
      civilite: str(v.civilite),
      prenom: v.prenom,
      nom: v.nom,
      fonction: v.fonction,
      courriel: v.courriel,
      telephone: v.telephone,
    }),
    draftKey: `contact:${contact?.id ?? 'nouveau'}:${collectiviteId}`,
    onSaved: () => navigate('/contacts', { force: true }),
  });
  return (
    <section className="fr-card fr-p-3w fr-mb-4w" aria-labelledby={`${f.formId}-title`}>
      <h2 id={`${f.formId}-title`}>
        {contact ? `Modifier ${contact.prenom} ${contact.nom}` : 'Ajouter un élu ou un cadre'}
      </h2>
      <p className="fr-hint-text">Les champs marqués d’un astérisque (*) sont obligatoires.</p>
      <EntityFormFrame form={f}>
        <Champ name="categorie" />
        <Champ name="civilite" placeholder="Non précisée" />
        <Champ name="prenom" autoComplete="off" />
        <Champ name="nom" />
        <Champ name="fonction" hint="Par exemple : adjointe au maire chargée des relations internationales" />
        <Champ name="courriel" hint="Format attendu : prenom.nom@mairie-exemple.fr" />
        <Champ name="telephone" />
        <FormActions form={f} cancelTo="/contacts" />
      </EntityFormFrame>
    </section>
  );
}
