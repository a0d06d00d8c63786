// b. Associations et réseaux: a network of the reference list, or a free name; adhérent / utilisé.
import { type Adhesion } from '../../../src-shared/domain/adhesion';
import { useApp, useCollectiviteId } from '../../core/context';
import { entityDef } from '../../../src-shared/registry';
import { useRecords, useReference, type Reference } from '../../core/data';
import { listErrors } from '../../../src-shared/domain/entreeReference';
import { href, navigate } from '../../core/router';
import { NEW_ID } from '../../ui/crud';
import { RecordTable } from '../../ui/recordTable';
import { Champ, FormActions, EntityFormFrame, useEntityForm } from '../../ui/entityForm';
import { str } from '../../ui/form';
import { useRecordOrNull } from '../../ui/useRecordOrNull';
import { compareFr } from '../../ui/incomplete';

/** A network of the list by its label (« (retiré) » after a retired one's), else the free name. */
const reseauLabel = (a: Adhesion, reseaux: Reference | undefined) =>
  a.reseauCode ? (reseaux?.libelle(a.reseauCode) ?? a.reseauCode) : (a.reseauNom ?? '—');
const ouiNon = (b: boolean) => (b ? 'Oui' : 'Non');

export function ReseauxScreen({ editId }: { editId: string | null }) {
  const collectiviteId = useCollectiviteId();
  const { canWrite } = useApp();
  const reseaux = useReference('reseau');
  const rows = (useRecords('adhesion', { collectiviteId }) ?? []).sort((a, b) =>
    compareFr(reseauLabel(a, reseaux), reseauLabel(b, reseaux)),
  );
  return (
    <>
      <h1>b. Associations et réseaux</h1>
      <p>
        Les associations et réseaux de collectivités auxquels vous adhérez ou que vous mobilisez pour vos actions
        extérieures.
      </p>
      {editId && <AdhesionLoader id={editId === 'nouveau' ? null : editId} collectiviteId={collectiviteId} />}
      {!editId && canWrite && (
        <p>
          <a className="fr-btn fr-icon-add-line fr-btn--icon-left" href={href('/reseaux/nouveau')}>
            Ajouter un réseau
          </a>
        </p>
      )}
      <RecordTable
        entity="adhesion"
        caption={`Réseaux (${rows.length})`}
        columns={[
          { header: 'Réseau', cell: (a) => reseauLabel(a, reseaux) },
          { header: 'Adhérent', cell: (a) => ouiNon(a.adherent) },
          { header: 'Utilisé pour les actions', cell: (a) => ouiNon(a.utilisePourActions) },
          { header: 'Depuis', cell: (a) => a.depuis ?? '—' },
        ]}
        rows={rows}
        empty="Aucun réseau enregistré pour l’instant."
        editPath={(a) => `/reseaux/${a.id}`}
        name={(a) => reseauLabel(a, reseaux)}
      />
    </>
  );
}

function AdhesionLoader({ id, collectiviteId }: { id: string | null; collectiviteId: string }) {
  const rec = useRecordOrNull('adhesion', id);
  if (rec === undefined) return <p role="status">Chargement…</p>;
  if (id && !rec)
    return (
      <div className="fr-alert fr-alert--warning fr-mb-3w">
        <p>Cette adhésion n’existe plus.</p>
      </div>
    );
  return <AdhesionForm key={id ?? 'new'} adhesion={rec ?? undefined} collectiviteId={collectiviteId} />;
}

interface AdhesionValues {
  reseauCode: string;
  reseauNom: string;
  adherent: boolean;
  utilisePourActions: boolean;
  depuis: string;
}

function adhesionToValues(adhesion: Adhesion | undefined): AdhesionValues {
  return {
    reseauCode: adhesion ? (adhesion.reseauCode ?? '__autre') : '',
    reseauNom: adhesion?.reseauNom ?? '',
    adherent: adhesion?.adherent ?? true,
    utilisePourActions: adhesion?.utilisePourActions ?? false,
    depuis: adhesion?.depuis != null ? String(adhesion.depuis) : '',
  };
}

function AdhesionForm({ adhesion, collectiviteId }: { adhesion?: Adhesion; collectiviteId: string }) {
  const others = (useRecords('adhesion', { collectiviteId }) ?? []).filter((a) => a.id !== adhesion?.id);
  const reseaux = useReference('reseau');
  const unique = entityDef('adhesion').unique!;
  /** The collectivité's other adhésion to the same network of the list (one per network: registry `unique`). */
  const twinOf = (code: unknown) => (typeof code === 'string' ? others.find((a) => a.reseauCode === code) : undefined);
  const f = useEntityForm({
    entity: 'adhesion',
    idPrefix: 'adhesion',
    record: adhesion,
    toValues: adhesionToValues,
    toRecord: (v: AdhesionValues) => ({
      id: adhesion?.id ?? NEW_ID,
      collectiviteId,
      reseauCode: v.reseauCode && v.reseauCode !== '__autre' ? v.reseauCode : null,
      reseauNom: v.reseauCode === '__autre' || !v.reseauCode ? str(v.reseauNom) : null,
      adherent: v.adherent,
      utilisePourActions: v.utilisePourActions,
      depuis: v.depuis.trim() === '' ? null : Number(v.depuis),
    }),
    draftKey: `adhesion:${adhesion?.id ?? 'nouveau'}:${collectiviteId}`,
    onSaved: () => navigate('/reseaux', { force: true }),
    // The list rule of the server on the device's copy of the list (a retired réseau stays on the adhésion
    // that had it), and one adhésion per network of the list.
    check: (rec) => [
      ...(reseaux
        ? listErrors(
            entityDef('adhesion').lists ?? [],
            rec,
            'all',
            () => reseaux.entries,
            adhesion as Record<string, unknown> | undefined,
          )
        : []),
      ...(twinOf(rec.reseauCode)
        ? [
            {
              field: 'reseauCode',
              message: unique.message(String(rec.reseauCode), reseaux?.libelle(String(rec.reseauCode))),
            },
          ]
        : []),
    ],
  });
  const code = f.form.watch('reseauCode');
  const twin = f.errors.reseauCode ? twinOf(code) : undefined;
  return (
    <section className="fr-card fr-p-3w fr-mb-4w" aria-labelledby={`${f.formId}-title`}>
      <h2 id={`${f.formId}-title`}>{adhesion ? 'Modifier l’adhésion' : 'Ajouter un réseau'}</h2>
      <p className="fr-hint-text">Les champs marqués d’un astérisque (*) sont obligatoires.</p>
      <EntityFormFrame form={f}>
        {/* Required in effect: a network of the list, or the name of another (checked with the record). */}
        <Champ
          name="reseauCode"
          required
          hint="Choisissez dans la liste ; s’il n’y figure pas, choisissez « Autre réseau » et saisissez son nom."
          options={[
            ...(reseaux?.choices(adhesion?.reseauCode ? [adhesion.reseauCode] : []) ?? []),
            { value: '__autre', label: 'Autre réseau (saisir son nom)' },
          ]}
          after={
            twin && (
              <p className="fr-mt-1w">
                <a href={href(`/reseaux/${twin.id}`)}>Ouvrir l’adhésion existante à {reseauLabel(twin, reseaux)}</a>
              </p>
            )
          }
        />
        {(code === '__autre' || code === '') && <Champ name="reseauNom" />}
        <Champ name="adherent" />
        <Champ name="utilisePourActions" />
        <Champ name="depuis" hint="Par exemple : 2012" />
        <FormActions form={f} cancelTo="/reseaux" />
      </EntityFormFrame>
    </section>
  );
}
