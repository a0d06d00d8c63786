// « Listes de référence » (issue 15): the thématiques d'intervention and the associations et réseaux, national
// records the DAECT keeps. One table per list (code, label, state, how many records of this device's copy name
// the entry); add (code derived from the label, editable), rename, retire / restore. An entry is never deleted:
// a retired one leaves the forms' lists and keeps its label on the records that name it. Written offline like
// any change (repository → outbox → sync); others read the lists.
import { useEffect, useMemo, useRef } from 'react';
import {
  codeFromLabel,
  LISTE_LABELS,
  LISTES_REFERENCE,
  type EntreeReference,
  type ListeReference,
} from '../../../src-shared/domain/entreeReference';
import { regionNom } from '../../../src-shared/reference/regions';
import { useApp } from '../../core/context';
import { repository, useRecords, referenceOf, ValidationError } from '../../core/data';
import { href, navigate } from '../../core/router';
import { NEW_ID } from '../../ui/crud';
import { Champ, EntityFormFrame, FormActions, useEntityForm } from '../../ui/entityForm';
import { str, type FlatError } from '../../ui/form';
import { showToast } from '../../ui/toast';
import { useRecordOrNull } from '../../ui/useRecordOrNull';

/** What the records naming an entry are, per list. */
const USED_BY: Record<ListeReference, { one: string; many: string }> = {
  thematique: { one: 'fiche-projet', many: 'fiches-projets' },
  reseau: { one: 'adhésion', many: 'adhésions' },
};

const INTRO: Record<ListeReference, string> = {
  thematique: 'Proposées dans les fiches-projets (au moins une par fiche).',
  reseau: 'Proposés dans les adhésions des collectivités (partie b) ; un réseau hors liste y est saisi par son nom.',
};

const NOWRAP = { whiteSpace: 'nowrap' } as const;

const ARTICLE: Record<ListeReference, string> = { thematique: 'une thématique', reseau: 'un réseau' };

export function ListesScreen({ path }: { path: readonly string[] }) {
  const { user } = useApp();
  const mayEdit = user.role === 'daect';
  const all = useRecords('entreeReference');
  const fiches = useRecords('ficheProjet');
  const adhesions = useRecords('adhesion');
  // How many records of this device's copy name each code (the DAECT's copy is national).
  const usage = useMemo(() => {
    const count: Record<ListeReference, Map<string, number>> = { thematique: new Map(), reseau: new Map() };
    for (const f of fiches ?? [])
      for (const t of f.thematiques) count.thematique.set(t, (count.thematique.get(t) ?? 0) + 1);
    for (const a of adhesions ?? [])
      if (a.reseauCode) count.reseau.set(a.reseauCode, (count.reseau.get(a.reseauCode) ?? 0) + 1);
    return count;
  }, [fiches, adhesions]);
  const [first, second] = path;
  const adding = first === 'nouvelle' && (LISTES_REFERENCE as readonly string[]).includes(second ?? '');
  const editId = first && first !== 'nouvelle' ? first : null;
  return (
    <>
      <h1>Listes de référence</h1>
      <p>
        Les thématiques d’intervention et les associations et réseaux proposés dans les formulaires de toutes les
        collectivités. Une entrée n’est jamais supprimée : retirée, elle n’est plus proposée, mais les enregistrements
        qui la citent la gardent avec son libellé.
      </p>
      {!mayEdit && (
        <div className="fr-notice fr-notice--info fr-mb-3w">
          <div className="fr-container">
            <div className="fr-notice__body">
              <p className="fr-notice__title">Consultation : seule la DAECT modifie les listes de référence.</p>
            </div>
          </div>
        </div>
      )}
      {mayEdit && adding && <EntreeForm key={`nouvelle-${second}`} liste={second as ListeReference} />}
      {mayEdit && editId && <EntreeLoader id={editId} />}
      {all === undefined ? (
        <p role="status">Chargement des listes…</p>
      ) : (
        LISTES_REFERENCE.map((liste) => (
          <ListeTable key={liste} liste={liste} all={all} usage={usage[liste]} mayEdit={mayEdit} />
        ))
      )}
    </>
  );
}

function ListeTable({
  liste,
  all,
  usage,
  mayEdit,
}: {
  liste: ListeReference;
  all: EntreeReference[];
  usage: Map<string, number>;
  mayEdit: boolean;
}) {
  const { entries } = referenceOf(all, liste);
  const titleId = `liste-${liste}`;
  const words = USED_BY[liste];
  const toggle = async (e: EntreeReference) => {
    try {
      await repository.update('entreeReference', e.id, { retiree: !e.retiree });
      const n = usage.get(e.code) ?? 0;
      showToast({
        message: e.retiree
          ? `Entrée « ${e.libelle} » rétablie : elle est de nouveau proposée dans les formulaires.`
          : `Entrée « ${e.libelle} » retirée : elle n’est plus proposée dans les formulaires${
              n ? ` ; ${n} ${n > 1 ? words.many : words.one} la ${n > 1 ? 'gardent' : 'garde'}` : ''
            }.`,
      });
    } catch (err) {
      showToast({
        message:
          err instanceof ValidationError
            ? err.errors.map((x) => x.message).join(' ')
            : 'La modification n’a pas pu être enregistrée.',
      });
    }
  };
  return (
    <section className="fr-mb-6w" aria-labelledby={titleId} data-testid={`liste-${liste}`}>
      <h2 id={titleId}>{LISTE_LABELS[liste]}</h2>
      <p>
        {INTRO[liste]} {entries.length} entrée{entries.length > 1 ? 's' : ''}, dont{' '}
        {entries.filter((e) => e.retiree).length} retirée{entries.filter((e) => e.retiree).length > 1 ? 's' : ''}.
      </p>
      {mayEdit && (
        <p>
          <a
            className="fr-btn fr-btn--secondary fr-icon-add-line fr-btn--icon-left"
            href={href(`/listes/nouvelle/${liste}`)}
          >
            Ajouter {ARTICLE[liste]}
          </a>
        </p>
      )}
      {entries.length === 0 ? (
        <p>Aucune entrée reçue du serveur pour l’instant : synchronisez ce poste.</p>
      ) : (
        <div className="atlas-table-wrap">
          <table className="atlas-table">
            <caption className="fr-sr-only">
              {LISTE_LABELS[liste]} : libellé, code, état et nombre de {words.many} qui citent chaque entrée
            </caption>
            <thead>
              <tr>
                <th scope="col">Libellé</th>
                <th scope="col">Code</th>
                {liste === 'reseau' && <th scope="col">Région</th>}
                <th scope="col">État</th>
                <th scope="col" style={NOWRAP}>
                  {words.many.charAt(0).toUpperCase() + words.many.slice(1)}
                  <span className="fr-sr-only"> qui la citent</span>
                </th>
                {mayEdit && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id} data-testid="entree" data-code={e.code}>
                  <th scope="row" className="fr-text--regular">
                    {e.libelle}
                  </th>
                  <td>
                    <code>{e.code}</code>
                  </td>
                  {liste === 'reseau' && <td>{regionNom(e.region) ?? 'National'}</td>}
                  <td>
                    {e.retiree ? (
                      <span className="fr-badge fr-badge--sm fr-badge--warning fr-badge--no-icon" style={NOWRAP}>
                        Retirée
                      </span>
                    ) : (
                      <span className="fr-badge fr-badge--sm fr-badge--success fr-badge--no-icon" style={NOWRAP}>
                        Proposée
                      </span>
                    )}
                  </td>
                  <td>{usage.get(e.code) ?? 0}</td>
                  {mayEdit && (
                    <td>
                      <div className="atlas-actions">
                        <a className="fr-btn fr-btn--sm fr-btn--tertiary" style={NOWRAP} href={href(`/listes/${e.id}`)}>
                          Renommer<span className="fr-sr-only"> « {e.libelle} »</span>
                        </a>
                        <button
                          type="button"
                          className="fr-btn fr-btn--sm fr-btn--tertiary"
                          style={NOWRAP}
                          onClick={() => void toggle(e)}
                        >
                          {e.retiree ? 'Rétablir' : 'Retirer'}
                          <span className="fr-sr-only"> « {e.libelle} »</span>
                        </button>
                      </div>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function EntreeLoader({ id }: { id: string }) {
  const rec = useRecordOrNull('entreeReference', id);
  if (rec === undefined) return <p role="status">Chargement…</p>;
  if (!rec)
    return (
      <div className="fr-alert fr-alert--warning fr-mb-3w">
        <p>Cette entrée n’existe pas sur ce poste.</p>
      </div>
    );
  return <EntreeForm key={id} liste={rec.liste} entree={rec} />;
}

interface EntreeValues {
  libelle: string;
  code: string;
  region: string;
  retiree: boolean;
}

function EntreeForm({ liste, entree }: { liste: ListeReference; entree?: EntreeReference }) {
  const all = useRecords('entreeReference');
  const others = (all ?? []).filter((e) => e.liste === liste && e.id !== entree?.id);
  const f = useEntityForm({
    entity: 'entreeReference',
    idPrefix: 'entree',
    record: entree,
    toValues: (e): EntreeValues => ({
      libelle: e?.libelle ?? '',
      code: e?.code ?? '',
      region: e?.region ?? '',
      retiree: e?.retiree ?? false,
    }),
    toRecord: (v: EntreeValues) => ({
      id: entree?.id ?? NEW_ID,
      liste,
      code: v.code.trim(),
      libelle: v.libelle,
      region: liste === 'reseau' ? str(v.region) : null,
      retiree: v.retiree,
    }),
    draftKey: `entreeReference:${entree?.id ?? `nouvelle-${liste}`}`,
    onSaved: (_id, v) => {
      showToast({
        message: entree
          ? `Entrée renommée « ${v.libelle.trim()} » : elle sera envoyée à la prochaine synchronisation.`
          : `« ${v.libelle.trim()} » ajoutée à la liste : elle sera envoyée à la prochaine synchronisation.`,
      });
      navigate('/listes', { force: true });
    },
    // Within the list: one entry per code (its natural key) and no two entries under the same label.
    check: (rec) => {
      const errors: FlatError[] = [];
      if (!entree && others.some((e) => e.code === rec.code))
        errors.push({ field: 'code', message: '« Code » : une entrée de la liste porte déjà ce code ; modifiez-le.' });
      const label = String(rec.libelle ?? '')
        .trim()
        .toLocaleLowerCase('fr');
      if (label && others.some((e) => e.libelle.trim().toLocaleLowerCase('fr') === label))
        errors.push({ field: 'libelle', message: '« Libellé » : une entrée de la liste porte déjà ce libellé.' });
      return errors;
    },
  });
  // The code follows the label until the person types a code of their own.
  const { watch, setValue, getValues } = f.form;
  const libelle = watch('libelle');
  const derivedFrom = useRef(entree ? null : '');
  useEffect(() => {
    if (entree || derivedFrom.current === null) return;
    if (getValues('code') === codeFromLabel(derivedFrom.current)) {
      setValue('code', codeFromLabel(libelle ?? ''));
      derivedFrom.current = libelle ?? '';
    } else derivedFrom.current = null;
  }, [libelle, entree, getValues, setValue]);
  const titleId = `${f.formId}-title`;
  return (
    <section className="fr-card fr-p-3w fr-mb-4w" aria-labelledby={titleId}>
      <h2 id={titleId}>
        {entree ? `Renommer « ${entree.libelle} »` : `Ajouter ${ARTICLE[liste]} à la liste « ${LISTE_LABELS[liste]} »`}
      </h2>
      <p className="fr-hint-text">Les champs marqués d’un astérisque (*) sont obligatoires.</p>
      <EntityFormFrame form={f}>
        <Champ name="libelle" hint="Tel qu’il apparaîtra dans les formulaires, les exports et la carte." />
        {entree ? (
          <p>
            Code : <code>{entree.code}</code>{' '}
            <span className="fr-hint-text">
              Le code ne change pas : les enregistrements le citent. Le nouveau libellé s’affichera partout, y compris
              sur les enregistrements existants.
            </span>
          </p>
        ) : (
          <Champ
            name="code"
            hint="Déduit du libellé ; modifiable avant l’enregistrement, puis définitif. Lettres minuscules sans accent, chiffres et « _ »."
          />
        )}
        {liste === 'reseau' && (
          <Champ
            name="region"
            placeholder="Aucune (réseau national)"
            hint="Pour un réseau régional multi-acteurs (RRMA) ; laissez vide pour un réseau national."
          />
        )}
        <FormActions form={f} save={entree ? 'Enregistrer le libellé' : 'Ajouter'} cancelTo="/listes" />
      </EntityFormFrame>
    </section>
  );
}
