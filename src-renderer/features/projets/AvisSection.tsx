// The avis of the services of the State on a fiche-projet (issue 15): every avis with who gave it and when,
// marked when the fiche changed after it; and, for the SGAR of the région and the DAECT, the form of their
// own avis (one per author and fiche: the registry gives avis no natural key). The avis is written like any
// record — repository, outbox, sync — and its author, date and the version of the fiche it concerns are
// filled in at the save.
import type { BaseSyntheticEvent } from 'react';
import type { Avis } from '../../../src-shared/domain/avis';
import { AVIS_LABELS, STATUT_INSTRUCTION_LABELS } from '../../../src-shared/domain/avis';
import { todayParis } from '../../../src-shared/domain/fields';
import type { FicheProjet } from '../../../src-shared/domain/ficheProjet';
import { useApp } from '../../core/context';
import { avisAnterieur } from '../instruction/aInstruire';
import { useRecords, useServerRevision } from '../../core/data';
import { NEW_ID } from '../../ui/crud';
import { Champ, FormActions, FormAlerts, FormScope, useEntityForm } from '../../ui/entityForm';
import { str } from '../../ui/form';
import { formatDate } from '../../ui/format';
import { showToast } from '../../ui/toast';

export const AVIS_ANTERIEUR = 'Cet avis porte sur une version antérieure de la fiche';

interface AvisValues {
  avis: string;
  statutInstruction: string;
  commentaire: string;
  // Filled in at the save (not fields the person types).
  auteur: string;
  date: string;
  ficheRevision: string;
}

function avisToValues(a?: Avis): AvisValues {
  return {
    avis: a?.avis ?? '',
    statutInstruction: a?.statutInstruction ?? '',
    commentaire: a?.commentaire ?? '',
    auteur: a?.auteur ?? '',
    date: a?.date ?? '',
    ficheRevision: a?.ficheRevision == null ? '' : String(a.ficheRevision),
  };
}

export function AvisSection({ fiche }: { fiche: FicheProjet }) {
  const { user, visionneuse } = useApp();
  const avis = useRecords('avis', { ficheProjetId: fiche.id });
  const ficheRevision = useServerRevision('ficheProjet', fiche.id);
  if (!avis) return null;
  const mayGive = !visionneuse && (user.role === 'sgar' || user.role === 'daect');
  const mine = mayGive ? avis.find((a) => a.auteur === user.nom) : undefined;
  if (!avis.length && !mayGive) return null;
  const sorted = [...avis].sort((a, b) => b.date.localeCompare(a.date) || a.auteur.localeCompare(b.auteur));
  return (
    <section className="fr-mt-4w" aria-labelledby="avis-titre">
      <h2 id="avis-titre">Avis des services de l’État</h2>
      {sorted.length === 0 && <p>Aucun avis n’a encore été donné sur cette fiche-projet.</p>}
      {sorted.map((a) => (
        <div key={a.id} className="fr-callout fr-mb-2w" data-testid="avis">
          <p className="fr-callout__title">
            {AVIS_LABELS[a.avis]} — {STATUT_INSTRUCTION_LABELS[a.statutInstruction]}
          </p>
          <p className="fr-callout__text atlas-value">{a.commentaire ?? 'Sans commentaire.'}</p>
          <p className="fr-text--sm fr-mb-0">
            Avis donné par {a.auteur}, le {formatDate(a.date)}.
          </p>
          {avisAnterieur(a, ficheRevision) && (
            <p className="fr-badge fr-badge--warning fr-badge--no-icon fr-mt-1w">{AVIS_ANTERIEUR}</p>
          )}
        </div>
      ))}
      {mayGive && (
        <AvisForm
          key={mine?.id ?? 'nouveau'}
          fiche={fiche}
          avis={mine}
          auteur={user.nom}
          ficheRevision={ficheRevision ?? null}
        />
      )}
    </section>
  );
}

function AvisForm({
  fiche,
  avis,
  auteur,
  ficheRevision,
}: {
  fiche: FicheProjet;
  avis: Avis | undefined;
  auteur: string;
  ficheRevision: number | null;
}) {
  const f = useEntityForm({
    entity: 'avis',
    idPrefix: 'avis',
    record: avis,
    toValues: avisToValues,
    toRecord: (v: AvisValues) => ({
      id: avis?.id ?? NEW_ID,
      collectiviteId: fiche.collectiviteId,
      ficheProjetId: fiche.id,
      avis: v.avis || undefined,
      statutInstruction: v.statutInstruction || undefined,
      commentaire: str(v.commentaire),
      auteur: v.auteur,
      date: v.date,
      ficheRevision: v.ficheRevision === '' ? null : Number(v.ficheRevision),
    }),
    draftKey: `avis:${avis?.id ?? `nouveau-${fiche.id}`}`,
    onSaved: () =>
      showToast({
        message: avis
          ? 'Avis modifié : il sera envoyé à la prochaine synchronisation.'
          : 'Avis enregistré : il sera envoyé à la prochaine synchronisation.',
      }),
  });
  const { setValue } = f.form;
  // Who, when and on which version of the fiche: set at each save, so changing an avis renews them.
  const onSubmit = (e?: BaseSyntheticEvent) => {
    setValue('auteur', auteur);
    setValue('date', todayParis());
    setValue('ficheRevision', ficheRevision === null ? '' : String(ficheRevision));
    return f.onSubmit(e);
  };
  return (
    <div className="fr-mt-3w">
      <h3 className="fr-h5" id="avis-form-titre">
        {avis ? 'Modifier votre avis' : 'Donner votre avis'}
      </h3>
      <p className="fr-text--sm">
        Votre nom et la date du jour sont ajoutés à l’enregistrement. Les champs marqués d’un astérisque (*) sont
        obligatoires.
      </p>
      <FormAlerts form={f} />
      <FormScope form={f}>
        <form id={f.formId} onSubmit={onSubmit} noValidate aria-labelledby="avis-form-titre">
          <Champ name="avis" placeholder="Choisissez un avis" />
          <Champ name="statutInstruction" placeholder="Choisissez un statut" />
          <Champ name="commentaire" rows={4} />
          <FormActions form={f} save={avis ? 'Enregistrer l’avis modifié' : 'Enregistrer l’avis'} />
        </form>
      </FormScope>
    </div>
  );
}
