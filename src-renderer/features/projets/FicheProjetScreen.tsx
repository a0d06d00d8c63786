// The full fiche-projet form (every field of the domain doc), its avis (AvisSection: given by the SGAR and
// the DAECT, read-only for agents) and a printable A4 version. Only the collectivité (and the DAECT) edits
// a fiche: anyone else reads it, and is told so.
import { useFieldArray } from 'react-hook-form';
import type { Contact } from '../../../src-shared/domain/contact';
import { DISPOSITIF_LABELS, STATUT_PROJET_LABELS, type FicheProjet } from '../../../src-shared/domain/ficheProjet';
import type { Partenariat } from '../../../src-shared/domain/partenariat';
import { ficheProjetWarnings } from '../../../src-shared/domain/warnings';
import { FINANCEURS } from '../../../src-shared/reference/financeurs';
import { ODD } from '../../../src-shared/reference/odd';
import { nomPays } from '../../../src-shared/reference/pays';
import { useApp, useCollectiviteId } from '../../core/context';
import { useRecords, useReference, type Reference } from '../../core/data';
import { href, navigate } from '../../core/router';
import { entityDef, fieldLabel } from '../../../src-shared/registry';
import { listErrors } from '../../../src-shared/domain/entreeReference';
import { NEW_ID, removeWithUndo } from '../../ui/crud';
import { Champ, FormActions, EntityFormFrame, useEntityForm } from '../../ui/entityForm';
import { FieldChangedNote, WarningNotice, fieldId } from '../../ui/form';
import { formatDate, formatEuro, parseAmount } from '../../ui/format';
import { AvisSection } from './AvisSection';
import { StatusBadge } from '../../ui/StatusBadge';
import { IncompleteNotice } from '../../ui/incomplete';
import { RepriseNotice, useAVerifier } from '../../ui/reprise';
import { useRecordOrNull } from '../../ui/useRecordOrNull';
import { ficheToRecord, ficheToValues, type FValues } from './values';

/** What a person who may not edit the fiche reads above its fields. */
export const CONSULTATION = 'Consultation : seule la collectivité modifie ses fiches-projets.';

export function FicheProjetScreen({ partenariatId, ficheId }: { partenariatId: string; ficheId: string }) {
  const collectiviteId = useCollectiviteId();
  const isNew = ficheId === 'nouvelle';
  const partenariat = useRecordOrNull('partenariat', partenariatId);
  const fiche = useRecordOrNull('ficheProjet', isNew ? null : ficheId);
  const aVerifier = useAVerifier(collectiviteId);
  if (partenariat === undefined || fiche === undefined) return <p role="status">Chargement…</p>;
  if (!partenariat || (!isNew && !fiche)) {
    return (
      <>
        <h1>Fiche-projet introuvable</h1>
        <p>Elle a peut-être été supprimée.</p>
        <p>
          <a href={href('/cooperations')}>Retour aux coopérations</a>
        </p>
      </>
    );
  }
  return (
    <>
      <IncompleteNotice entity="partenariat" record={partenariat} />
      <IncompleteNotice entity="ficheProjet" record={fiche} />
      <RepriseNotice marque={!!fiche && aVerifier.fiche(fiche)} />
      <FicheForm
        key={fiche?.id ?? 'new'}
        fiche={fiche ?? undefined}
        partenariat={partenariat}
        collectiviteId={collectiviteId}
      />
    </>
  );
}

function FicheForm({
  fiche,
  partenariat,
  collectiviteId,
}: {
  fiche?: FicheProjet;
  partenariat: Partenariat;
  collectiviteId: string;
}) {
  const { canWrite } = useApp();
  const contacts = useRecords('contact', { collectiviteId }) ?? [];
  const thematiques = useReference('thematique');
  const back = `/partenariats/${partenariat.id}`;
  const f = useEntityForm({
    entity: 'ficheProjet',
    idPrefix: 'fiche',
    record: fiche,
    toValues: ficheToValues,
    toRecord: (v: FValues) =>
      ficheToRecord(v, { id: fiche?.id ?? NEW_ID, collectiviteId, partenariatId: partenariat.id }),
    draftKey: `ficheProjet:${fiche?.id ?? `nouvelle-${partenariat.id}`}`,
    onSaved: () => navigate(back, { force: true }),
    // The list rule of the server, on the device's copy of the list: a retired thématique stays on the fiche
    // that had it, a new one must be current (the server decides, this says it before the sync).
    check: (rec) =>
      thematiques
        ? listErrors(
            entityDef('ficheProjet').lists ?? [],
            rec,
            'all',
            () => thematiques.entries,
            fiche as Record<string, unknown> | undefined,
          )
        : [],
  });
  const { formId, edit, errors } = f;
  const { register, watch, control } = f.form;
  const cofs = useFieldArray({ control, name: 'cofinancements' });
  const values = watch();
  const totalCof = (values.cofinancements ?? []).reduce((s, c) => s + (parseAmount(c.montant) || 0), 0);
  const participation = parseAmount(values.participationCollectivite) || 0;
  const cout = parseAmount(values.coutTotal);
  const warnings = ficheProjetWarnings({
    description: values.description ?? '',
    thematiques: (values.thematiques ?? []) as FicheProjet['thematiques'],
    statut: (values.statut || undefined) as FicheProjet['statut'] | undefined,
    dateDebut: values.dateDebut || undefined,
    coutTotal: cout !== null && Number.isFinite(cout) ? cout : null,
    participationCollectivite: participation,
    cofinancements: [{ financeur: 'autre', montant: totalCof }] as FicheProjet['cofinancements'],
  });
  const cofErrors = errors.cofinancements;
  return (
    <>
      <nav className="fr-breadcrumb atlas-no-print" aria-label="vous êtes ici :">
        <ol className="fr-breadcrumb__list">
          <li>
            <a
              className="fr-breadcrumb__link"
              href={href(partenariat.nature === 'cooperation_decentralisee' ? '/cooperations' : '/actions')}
            >
              {partenariat.nature === 'cooperation_decentralisee'
                ? 'Coopérations décentralisées'
                : 'Autres actions extérieures'}
            </a>
          </li>
          <li>
            <a className="fr-breadcrumb__link" href={href(back)}>
              {partenariat.nomPartenaire}
            </a>
          </li>
          <li>
            <a className="fr-breadcrumb__link" aria-current="page">
              {fiche?.intitule ?? 'Nouvelle fiche-projet'}
            </a>
          </li>
        </ol>
      </nav>
      <div className="atlas-no-print">
        <h1>
          {fiche ? fiche.intitule : 'Nouvelle fiche-projet'}{' '}
          {fiche && <StatusBadge entity="ficheProjet" id={fiche.id} />}
        </h1>
        <p className="fr-text--sm">
          Partenaire : {partenariat.nomPartenaire} ({nomPays(partenariat.pays)}).
          {canWrite && ' Les champs marqués d’un astérisque (*) sont obligatoires.'}
        </p>
        {!canWrite && (
          <div className="fr-notice fr-notice--info fr-mb-3w" id="fiche-consultation">
            <div className="fr-container">
              <div className="fr-notice__body">
                <p className="fr-notice__title">{CONSULTATION}</p>
              </div>
            </div>
          </div>
        )}
        {fiche && (
          <p>
            <button
              type="button"
              className="fr-btn fr-btn--secondary fr-icon-printer-line fr-btn--icon-left"
              onClick={() => window.print()}
            >
              Imprimer la fiche
            </button>
          </p>
        )}
        <EntityFormFrame form={f}>
          <fieldset
            disabled={!canWrite}
            aria-describedby={canWrite ? undefined : 'fiche-consultation'}
            className="fr-fieldset"
            style={{ display: 'block' }}
          >
            <Champ name="intitule" />
            <Champ
              name="description"
              rows={6}
              after={<WarningNotice warnings={warnings.filter((w) => w.field === 'description')} />}
            />
            <Champ
              name="thematiques"
              hint="Au moins une"
              columns
              options={thematiques?.choices(fiche?.thematiques ?? []) ?? []}
            />
            <WarningNotice warnings={warnings.filter((w) => w.field === 'thematiques')} />
            <Champ name="statut" />
            <div className="fr-grid-row fr-grid-row--gutters">
              <div className="fr-col-12 fr-col-md-6">
                <Champ
                  name="dateDebut"
                  after={<WarningNotice warnings={warnings.filter((w) => w.field === 'dateDebut')} />}
                />
              </div>
              <div className="fr-col-12 fr-col-md-6">
                <Champ name="dateFin" />
              </div>
            </div>
            <h2 className="fr-h5 fr-mt-3w">Financement</h2>
            <div className="fr-grid-row fr-grid-row--gutters">
              <div className="fr-col-12 fr-col-md-6">
                <Champ name="coutTotal" hint="Par exemple : 12 500,00" />
              </div>
              <div className="fr-col-12 fr-col-md-6">
                <Champ name="participationCollectivite" />
              </div>
            </div>
            <div className="atlas-table-wrap">
              <table className="atlas-table" id={fieldId(formId, 'cofinancements')} tabIndex={-1}>
                <caption className="fr-text--bold">{fieldLabel('ficheProjet', 'cofinancements')}</caption>
                <thead>
                  <tr>
                    <th scope="col">Financeur</th>
                    <th scope="col" className="num">
                      Montant (€)
                    </th>
                    {canWrite && <th scope="col">Action</th>}
                  </tr>
                </thead>
                <tbody>
                  {cofs.fields.map((f, i) => {
                    const fe = Array.isArray(cofErrors) ? cofErrors[i] : undefined;
                    return (
                      <tr key={f.id}>
                        <td>
                          <label className="fr-sr-only" htmlFor={fieldId(formId, `cofinancements.${i}.financeur`)}>
                            Financeur de la ligne {i + 1}
                          </label>
                          <select
                            className="fr-select"
                            id={fieldId(formId, `cofinancements.${i}.financeur`)}
                            {...register(`cofinancements.${i}.financeur`)}
                            aria-invalid={fe?.financeur ? true : undefined}
                          >
                            <option value="">Choisissez</option>
                            {FINANCEURS.map((x) => (
                              <option key={x.code} value={x.code}>
                                {x.label}
                              </option>
                            ))}
                          </select>
                          {fe?.financeur && <p className="fr-error-text">{fe.financeur.message}</p>}
                        </td>
                        <td className="num">
                          <label className="fr-sr-only" htmlFor={fieldId(formId, `cofinancements.${i}.montant`)}>
                            Montant de la ligne {i + 1} (€)
                          </label>
                          <input
                            className="fr-input"
                            inputMode="decimal"
                            id={fieldId(formId, `cofinancements.${i}.montant`)}
                            {...register(`cofinancements.${i}.montant`)}
                            aria-invalid={fe?.montant ? true : undefined}
                          />
                          {fe?.montant && <p className="fr-error-text">{fe.montant.message}</p>}
                        </td>
                        {canWrite && (
                          <td>
                            <button
                              type="button"
                              className="fr-btn fr-btn--sm fr-btn--tertiary"
                              onClick={() => cofs.remove(i)}
                            >
                              Retirer<span className="fr-sr-only"> la ligne {i + 1}</span>
                            </button>
                          </td>
                        )}
                      </tr>
                    );
                  })}
                </tbody>
                <tfoot>
                  <tr>
                    <th scope="row">Total des cofinancements</th>
                    <td className="num" data-testid="total-cofinancements">
                      {formatEuro(totalCof)}
                    </td>
                    <td />
                  </tr>
                  <tr>
                    <th scope="row">Total avec la participation de la collectivité</th>
                    <td className="num">{formatEuro(totalCof + participation)}</td>
                    <td>
                      {cout !== null && Number.isFinite(cout) && Math.abs(totalCof + participation - cout) > 0.005 && (
                        <span className="fr-text--sm">
                          Écart avec le coût total : {formatEuro(cout - totalCof - participation)}
                        </span>
                      )}
                    </td>
                  </tr>
                </tfoot>
              </table>
            </div>
            <FieldChangedNote
              formId={formId}
              name="cofinancements"
              label={fieldLabel('ficheProjet', 'cofinancements')}
              show={(v) =>
                Array.isArray(v) && v.length
                  ? v
                      .map(
                        (c: { financeur: string; montant: string }) =>
                          `${FINANCEURS.find((x) => x.code === c.financeur)?.label ?? c.financeur}\u00a0: ${c.montant}\u00a0€`,
                      )
                      .join(' ; ')
                  : 'aucun'
              }
            />
            <WarningNotice warnings={warnings.filter((w) => w.field === 'cofinancements')} />
            {typeof cofErrors?.message === 'string' && (
              <p className="fr-error-text" id={`${fieldId(formId, 'cofinancements')}-error`}>
                {cofErrors.message}
              </p>
            )}
            {canWrite && (
              <button
                type="button"
                className="fr-btn fr-btn--sm fr-btn--secondary fr-icon-add-line fr-btn--icon-left fr-mb-3w"
                onClick={() => cofs.append({ financeur: '', montant: '' })}
              >
                Ajouter un cofinancement
              </button>
            )}
            <h2 className="fr-h5">Mise en œuvre</h2>
            <Champ name="operateurs" hint="Associations, ONG, établissements…" rows={2} />
            <Champ name="beneficiaires" rows={2} />
            <Champ
              name="odd"
              columns
              options={ODD.map((o) => ({ value: String(o.numero), label: `${o.numero}. ${o.label}` }))}
            />
            <Champ name="dispositifUnPourCent" />
            <Champ
              name="referentContactId"
              placeholder="Aucun référent"
              hint="Choisi parmi les élus et cadres (partie a)"
              options={contacts.map((c) => ({ value: c.id, label: `${c.prenom} ${c.nom} — ${c.fonction}` }))}
            />
            <Champ name="siteWeb" hint="Commençant par https://" />
            {canWrite && (
              <FormActions form={f} save="Enregistrer la fiche-projet" cancelTo={back}>
                {fiche && (
                  <button
                    type="button"
                    className="fr-btn fr-btn--tertiary"
                    onClick={async () => {
                      if (await removeWithUndo('ficheProjet', fiche.id, fiche.intitule, { before: edit.saved }))
                        navigate(back, { force: true });
                    }}
                  >
                    Supprimer la fiche-projet
                  </button>
                )}
              </FormActions>
            )}
          </fieldset>
        </EntityFormFrame>
        {fiche && <AvisSection fiche={fiche} />}
      </div>
      {fiche && <FichePrint fiche={fiche} partenariat={partenariat} contacts={contacts} thematiques={thematiques} />}
    </>
  );
}

/** One clean A4 page (see the print stylesheet in ui/app.css). */
function FichePrint({
  fiche,
  partenariat,
  contacts,
  thematiques,
}: {
  fiche: FicheProjet;
  partenariat: Partenariat;
  contacts: Contact[];
  thematiques: Reference | undefined;
}) {
  const fin = new Map<string, string>(FINANCEURS.map((f) => [f.code, f.label]));
  const ref = contacts.find((c) => c.id === fiche.referentContactId);
  return (
    <article className="atlas-print-only atlas-fiche-print" aria-hidden="true">
      <p>Atlas français de la coopération décentralisée — fiche-projet</p>
      <h1>{fiche.intitule}</h1>
      <dl>
        <dt>Partenaire</dt>
        <dd>
          {partenariat.nomPartenaire} ({nomPays(partenariat.pays)})
        </dd>
        <dt>Statut</dt>
        <dd>{STATUT_PROJET_LABELS[fiche.statut]}</dd>
        <dt>Période</dt>
        <dd>
          du {formatDate(fiche.dateDebut)}
          {fiche.dateFin ? ` au ${formatDate(fiche.dateFin)}` : ''}
        </dd>
        <dt>Thématiques</dt>
        <dd>{fiche.thematiques.map((t) => thematiques?.libelle(t) ?? t).join(', ')}</dd>
        <dt>Description / objectifs</dt>
        <dd className="atlas-value">{fiche.description}</dd>
        <dt>Coût total</dt>
        <dd>{formatEuro(fiche.coutTotal)}</dd>
        <dt>Participation de la collectivité</dt>
        <dd>{formatEuro(fiche.participationCollectivite)}</dd>
        <dt>Cofinancements</dt>
        <dd>
          {fiche.cofinancements.length
            ? fiche.cofinancements
                .map((c) => `${fin.get(c.financeur) ?? c.financeur} : ${formatEuro(c.montant)}`)
                .join(' ; ')
            : 'Aucun'}
        </dd>
        <dt>Opérateurs</dt>
        <dd>{fiche.operateurs ?? '—'}</dd>
        <dt>Bénéficiaires</dt>
        <dd>{fiche.beneficiaires ?? '—'}</dd>
        <dt>ODD</dt>
        <dd>{fiche.odd.length ? fiche.odd.join(', ') : '—'}</dd>
        <dt>Dispositif « 1 % »</dt>
        <dd>{DISPOSITIF_LABELS[fiche.dispositifUnPourCent]}</dd>
        <dt>Référent</dt>
        <dd>{ref ? `${ref.prenom} ${ref.nom} (${ref.fonction})` : '—'}</dd>
        <dt>Site web</dt>
        <dd>{fiche.siteWeb ?? '—'}</dd>
      </dl>
    </article>
  );
}
