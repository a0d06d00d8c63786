// a. Élus et cadres territoriaux: list, add, edit, delete (with undo); e-mail checked by the shared schema.
import { CONTACT_CATEGORIE_LABELS, type Contact } from '../../../src-shared/domain/contact';
import { useApp, useCollectiviteId } from '../../core/context';
import { useRecords } from '../../core/data';
import { useRecordOrNull } from '../../ui/useRecordOrNull';
import { href, navigate } from '../../core/router';
import { NEW_ID, removeWithUndo } from '../../ui/crud';
import { Champ, FormActions, EntityFormFrame, useEntityForm } from '../../ui/entityForm';
import { str } from '../../ui/form';
import { StatusBadge } from '../../ui/StatusBadge';
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

export function ContactsScreen({ editId }: { editId: string | null }) {
  const collectiviteId = useCollectiviteId();
  const { canWrite, visionneuse } = useApp();
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
      <div className="atlas-table-wrap">
        <table className="atlas-table" aria-describedby="contacts-caption">
          <caption id="contacts-caption" className="fr-sr-only">
            Liste des élus et cadres ({sorted.length})
          </caption>
          <thead>
            <tr>
              <th scope="col">Nom</th>
              <th scope="col">Catégorie</th>
              <th scope="col">Fonction</th>
              <th scope="col">Courriel</th>
              <th scope="col">Téléphone</th>
              {!visionneuse && <th scope="col">État</th>}
              {canWrite && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {sorted.map((c) => (
              <tr key={c.id}>
                <td>
                  {c.civilite ? `${c.civilite} ` : ''}
                  {c.prenom} {c.nom}
                </td>
                <td>{CONTACT_CATEGORIE_LABELS[c.categorie]}</td>
                <td>{c.fonction}</td>
                <td>{c.courriel}</td>
                <td>{c.telephone ?? '—'}</td>
                {!visionneuse && (
                  <td>
                    <StatusBadge entity="contact" id={c.id} />
                  </td>
                )}
                {canWrite && (
                  <td>
                    <div className="atlas-actions">
                      <a className="fr-btn fr-btn--sm fr-btn--secondary" href={href(`/contacts/${c.id}`)}>
                        Modifier
                        <span className="fr-sr-only">
                          {' '}
                          {c.prenom} {c.nom}
                        </span>
                      </a>
                      <button
                        type="button"
                        className="fr-btn fr-btn--sm fr-btn--tertiary"
                        onClick={() => void removeWithUndo('contact', c.id, `${c.prenom} ${c.nom}`)}
                      >
                        Supprimer
                        <span className="fr-sr-only">
                          {' '}
                          {c.prenom} {c.nom}
                        </span>
                      </button>
                    </div>
                  </td>
                )}
              </tr>
            ))}
            {!sorted.length && (
              <tr>
                <td colSpan={5 + (visionneuse ? 0 : 1) + (canWrite ? 1 : 0)}>
                  Aucun élu ni cadre enregistré pour l’instant.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
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
