// Home: the current campaign and, for each of the five parts, its state and the attestation button;
// "Vos pages de l'Atlas sont à jour" when all five are verified and clean. Quality advice (the forms'
// own warnings) is listed per part but never blocks the attestation. Coordonnées editable here.
import { useMemo, useState } from 'react';
import { PARTIES, PARTIE_LABELS, type Partie } from '../../../src-shared/domain/campagne';
import {
  campagneCourante,
  jourEnFrance,
  phaseCampagne,
  phraseDelai,
  refusAttestation,
} from '../../../src-shared/domain/campagneEtat';
import { COLLECTIVITE_TYPE_LABELS, type Collectivite } from '../../../src-shared/domain/collectivite';
import { partieDuPartenariat } from '../../../src-shared/domain/reprise';
import type { EntityName } from '../../../src-shared/registry';
import { useApp, useCollectiviteId } from '../../core/context';
import { repository, useConflicts, useRecords, useRejected } from '../../core/data';
import { href } from '../../core/router';
import { RootError } from '../../ui/crud';
import { Champ, FormScope, useEntityForm } from '../../ui/entityForm';
import { userMessage } from '../../ui/errors';
import { ErrorSummary, flattenErrors, str } from '../../ui/form';
import { formatDate, formatDateTime } from '../../ui/format';
import { showToast } from '../../ui/toast';
import { RepriseAide, RepriseBadge, useAVerifier } from '../../ui/reprise';
import { useRecordOrNull } from '../../ui/useRecordOrNull';
import { PART_ROUTES, adviceByPart, problemsByPart, type Advice } from './parts';

const PART_ENTITIES: EntityName[] = ['contact', 'adhesion', 'partenariat', 'ficheProjet', 'declarationApd', 'ligneApd'];

export function CampagneScreen() {
  const collectiviteId = useCollectiviteId();
  const { user, canWrite } = useApp();
  const campagnesRead = useRecords('campagne');
  const campagnes = campagnesRead ?? [];
  // Campaign dates are French days, on this device as on the server (which refuses attestations outside them).
  const today = jourEnFrance(new Date());
  const campagne = campagneCourante(campagnes, today);
  const phase = campagne ? phaseCampagne(campagne, today) : null;
  const refus = campagne ? refusAttestation(campagne, today) : null;
  const attestationsRead = useRecords('attestationCampagne', { collectiviteId });
  const attestations = (attestationsRead ?? []).filter((a) => a.campagneId === campagne?.id);
  const contacts = useRecords('contact', { collectiviteId });
  const adhesions = useRecords('adhesion', { collectiviteId });
  const partenariats = useRecords('partenariat', { collectiviteId });
  const fiches = useRecords('ficheProjet', { collectiviteId });
  const decls = useRecords('declarationApd', { collectiviteId });
  const lignes = useRecords('ligneApd', { collectiviteId });
  const rejected = useRejected() ?? [];
  const conflicts = useConflicts() ?? [];
  const all = useMemo(() => {
    const out: { entity: EntityName; rec: Record<string, unknown> & { id: string } }[] = [];
    const add = (entity: EntityName, rows: unknown[] | undefined) =>
      rows?.forEach((r) => out.push({ entity, rec: r as Record<string, unknown> & { id: string } }));
    add('contact', contacts);
    add('adhesion', adhesions);
    add('partenariat', partenariats);
    add('ficheProjet', fiches);
    add('declarationApd', decls);
    add('ligneApd', lignes);
    return out;
  }, [contacts, adhesions, partenariats, fiches, decls, lignes]);
  const advice = useMemo(() => adviceByPart(all), [all]);
  // An agent's device holds one collectivité: every conflict and refusal is its own. An SGAR's or the
  // DAECT's holds many (conflicts of the whole scope are pulled): only those of this collectivité's
  // records, or proposing a record for it, are its problems.
  const ownScope = user.collectiviteId === collectiviteId;
  const problems = useMemo(() => {
    const ids = new Set(all.map((x) => x.rec.id));
    const issues = [
      ...rejected.map((r) => ({ entity: r.entity, record: r.record, proposed: r.proposed })),
      ...conflicts.map((c) => ({ entity: c.entity, record: c.record, proposed: null })),
    ].filter(
      (i) =>
        PART_ENTITIES.includes(i.entity) &&
        (ownScope || ids.has(i.record) || i.proposed?.collectiviteId === collectiviteId),
    );
    return problemsByPart(all, issues);
  }, [all, rejected, conflicts, ownScope, collectiviteId]);
  // Records the Atlas import wrote and nobody verified since (edited, or their part attested): per part.
  const aVerifier = useAVerifier(collectiviteId);
  const reprises = useMemo(() => {
    const out: Partial<Record<Partie, number>> = {};
    const byId = new Map((partenariats ?? []).map((p) => [p.id, p]));
    const add = (k: Partie) => (out[k] = (out[k] ?? 0) + 1);
    for (const p of partenariats ?? []) if (aVerifier.partenariat(p)) add(partieDuPartenariat(p));
    for (const f of fiches ?? []) {
      const p = byId.get(f.partenariatId);
      if (p && aVerifier.fiche(f)) add(partieDuPartenariat(p));
    }
    return out;
  }, [partenariats, fiches, aVerifier]);
  const [busy, setBusy] = useState<Partie | null>(null);
  // While this device's copy is still being read, an empty read is not « no campaign » nor « to check ».
  const reading = [campagnesRead, attestationsRead, contacts, adhesions, partenariats, fiches, decls, lignes].some(
    (r) => r === undefined,
  );

  const attest = async (partie: Partie) => {
    if (!campagne) return;
    setBusy(partie);
    try {
      const existing = attestations.find((a) => a.partie === partie);
      const fields = { verifieeLe: new Date().toISOString(), par: user.nom };
      if (existing) await repository.update('attestationCampagne', existing.id, fields);
      else
        await repository.create('attestationCampagne', { collectiviteId, campagneId: campagne.id, partie, ...fields });
      showToast({ message: `« ${PARTIE_LABELS[partie]} » : vérification enregistrée.` });
    } catch (e) {
      showToast({ message: userMessage(e, 'La vérification n’a pas pu être enregistrée.') });
    } finally {
      setBusy(null);
    }
  };

  const states = PARTIES.map((p) => {
    const att = attestations.find((a) => a.partie === p);
    return { p, att, n: problems.byPart[p], ok: !!att && problems.byPart[p] === 0 };
  });
  const allOk = campagne !== null && states.every((s) => s.ok) && problems.unassigned === 0;

  if (reading)
    return (
      <>
        <h1>Tableau de bord</h1>
        <p role="status">Lecture des données de ce poste…</p>
      </>
    );
  return (
    <>
      <h1>{campagne ? `Campagne de mise à jour ${campagne.annee}` : 'Tableau de bord'}</h1>
      {campagne && phase === 'ouverte' ? (
        <>
          <p>
            Campagne ouverte du {formatDate(campagne.dateOuverture)} au {formatDate(campagne.dateCloture)}. Vérifiez
            chacune des cinq parties de vos pages de l’Atlas, corrigez-les si besoin, puis attestez-les.
          </p>
          <p className="fr-text--lead" data-testid="delai-campagne">
            {phraseDelai(campagne, today)}
          </p>
        </>
      ) : campagne ? (
        // Closed, or not open yet: no attestation button, and the reason in one sentence (the server's).
        <div className="fr-alert fr-alert--info fr-mb-3w" data-testid="delai-campagne">
          <h2 className="fr-alert__title">{phraseDelai(campagne, today)}</h2>
          <p>
            {phase === 'close'
              ? 'Les attestations ne sont plus acceptées. Vous pouvez toujours mettre à jour vos données ; elles seront à attester lors de la prochaine campagne.'
              : 'Les attestations ne sont pas encore acceptées. Vous pouvez déjà mettre à jour vos données.'}
          </p>
        </div>
      ) : (
        <div className="fr-alert fr-alert--info fr-mb-3w">
          <p>
            Aucune campagne de mise à jour n’est connue sur ce poste. Synchronisez pour la recevoir ; vous pouvez déjà
            mettre à jour vos données.
          </p>
        </div>
      )}
      {problems.unassigned > 0 && (
        <div className="fr-alert fr-alert--error fr-mb-3w" data-testid="problemes-sync">
          <h2 className="fr-alert__title">
            {problems.unassigned} modification{problems.unassigned > 1 ? 's' : ''} à reprendre
          </h2>
          <p>
            Le serveur a refusé des modifications, ou un conflit attend votre choix.{' '}
            <a href={href('/synchronisation')}>Voir la synchronisation</a>
          </p>
        </div>
      )}
      {allOk && (
        <div className="fr-alert fr-alert--success fr-mb-4w" role="status" data-testid="atlas-a-jour">
          <h2 className="fr-alert__title">Vos pages de l’Atlas sont à jour</h2>
          <p>
            Les cinq parties sont vérifiées pour la campagne {campagne.annee}. Pour rappel, cette mise à jour
            conditionne l’accès aux cofinancements du ministère (appels à projets de la DAECT).
          </p>
        </div>
      )}
      <ul className="fr-grid-row fr-grid-row--gutters fr-raw-list fr-mb-4w" aria-label="Les cinq parties">
        {states.map(({ p, att, n }) => (
          <li key={p} className="fr-col-12 fr-col-md-6 fr-col-lg-4">
            <div className="fr-card fr-p-3w" data-testid={`partie-${p}`} style={{ height: '100%' }}>
              <h2 className="fr-h5">
                <a href={href(PART_ROUTES[p])}>{PARTIE_LABELS[p]}</a>
              </h2>
              <p data-testid="etat-partie">
                {n > 0 ? (
                  <span className="fr-badge fr-badge--error">
                    {n} problème{n > 1 ? 's' : ''} à corriger
                  </span>
                ) : att ? (
                  <span className="fr-badge fr-badge--success">
                    Vérifiée le {formatDateTime(att.verifieeLe)} par {att.par}
                  </span>
                ) : (
                  <span className="fr-badge fr-badge--info">À vérifier</span>
                )}
              </p>
              {!!reprises[p] && (
                <div data-testid="reprise-partie">
                  <p className="fr-mb-0">
                    <RepriseBadge />{' '}
                    <span className="fr-text--sm">
                      {reprises[p]} enregistrement{reprises[p]! > 1 ? 's' : ''}
                    </span>
                  </p>
                  <RepriseAide />
                </div>
              )}
              <AdviceList items={advice[p]} />
              {canWrite && campagne && refus && (
                <p className="fr-text--sm fr-mb-0" data-testid="attestation-fermee">
                  {phase === 'close'
                    ? `Campagne ${campagne.annee} close : cette partie ne peut plus être attestée.`
                    : `Cette partie pourra être attestée à l’ouverture de la campagne ${campagne.annee}.`}
                </p>
              )}
              {canWrite && campagne && !refus && (
                <button
                  type="button"
                  className="fr-btn fr-btn--sm"
                  disabled={busy === p}
                  onClick={() => void attest(p)}
                >
                  J’ai vérifié cette partie<span className="fr-sr-only"> : {PARTIE_LABELS[p]}</span>
                </button>
              )}
            </div>
          </li>
        ))}
      </ul>
      <p>
        <a className="fr-link" href={href('/fiches')}>
          Voir toutes les fiches-projets
        </a>
      </p>
      <Coordonnees collectiviteId={collectiviteId} />
    </>
  );
}

/** The part's quality advice: a count, then each piece with a link to its record's form. */
function AdviceList({ items }: { items: Advice[] }) {
  if (!items.length) return null;
  const n = items.length;
  return (
    <details className="fr-mb-2w" data-testid="conseils-partie">
      <summary className="fr-text--sm fr-mb-1w">
        <span className="fr-badge fr-badge--warning fr-badge--sm">
          {n} conseil{n > 1 ? 's' : ''}
        </span>
        <span>
          {' '}
          de qualité : facultatif{n > 1 ? 's' : ''}, n’empêche{n > 1 ? 'nt' : ''} pas d’attester
        </span>
      </summary>
      <ul className="fr-text--sm fr-mb-0">
        {items.map((a) => (
          <li key={`${a.entity}:${a.id}:${a.warning.code}`}>
            <a href={href(a.to)}>{a.label}</a> : {a.warning.message}
          </li>
        ))}
      </ul>
    </details>
  );
}

interface CValues {
  adresse: string;
  codePostal: string;
  commune: string;
  telephone: string;
  courriel: string;
  siteWeb: string;
}

function Coordonnees({ collectiviteId }: { collectiviteId: string }) {
  const c = useRecordOrNull('collectivite', collectiviteId);
  if (c === undefined) return null;
  if (!c) return <p>Les informations de la collectivité arriveront à la prochaine synchronisation.</p>;
  return <CoordonneesForm key={c.id} collectivite={c} />;
}

function coordonneesToValues(c: Collectivite): CValues {
  return {
    adresse: c.adresse ?? '',
    codePostal: c.codePostal ?? '',
    commune: c.commune ?? '',
    telephone: c.telephone ?? '',
    courriel: c.courriel ?? '',
    siteWeb: c.siteWeb ?? '',
  };
}

function CoordonneesForm({ collectivite }: { collectivite: Collectivite }) {
  const { canWrite } = useApp();
  const [open, setOpen] = useState(false);
  const f = useEntityForm({
    entity: 'collectivite',
    idPrefix: 'coord',
    record: collectivite,
    toValues: (c) => coordonneesToValues(c ?? collectivite),
    // Only the coordonnées come from the form; the rest of the record is taken as it is (the save sends what changed).
    toRecord: (v: CValues) => ({
      ...collectivite,
      adresse: str(v.adresse),
      codePostal: v.codePostal,
      commune: str(v.commune),
      telephone: v.telephone,
      courriel: v.courriel,
      siteWeb: v.siteWeb,
    }),
    draftKey: `collectivite:${collectivite.id}`,
    onSaved: (_id, v) => {
      f.form.reset(v);
      setOpen(false);
      showToast({ message: 'Coordonnées enregistrées.' });
    },
  });
  const { formId, edit, errors, form } = f;
  return (
    <section className="fr-mt-4w" aria-labelledby={`${formId}-t`}>
      <h2 id={`${formId}-t`}>Coordonnées de la collectivité</h2>
      <p>
        {collectivite.nom} — {COLLECTIVITE_TYPE_LABELS[collectivite.type]}
        {collectivite.departement ? ` (département ${collectivite.departement})` : ''}
      </p>
      {!open && (
        <>
          <p className="atlas-value">
            {[collectivite.adresse, [collectivite.codePostal, collectivite.commune].filter(Boolean).join(' ')]
              .filter(Boolean)
              .join('\n') || 'Adresse non renseignée'}
            {'\n'}
            {collectivite.telephone ?? ''} {collectivite.courriel ?? ''} {collectivite.siteWeb ?? ''}
          </p>
          {canWrite && (
            <button type="button" className="fr-btn fr-btn--secondary" onClick={() => setOpen(true)}>
              Modifier les coordonnées
            </button>
          )}
        </>
      )}
      {(open || edit.offer) && (
        <FormScope form={f}>
          <form id={formId} onSubmit={f.onSubmit} noValidate className="fr-card fr-p-3w">
            {edit.offer && (
              <div className="fr-alert fr-alert--info fr-mb-2w" role="status">
                <p>Un brouillon non enregistré existe.</p>
                <div className="atlas-actions">
                  <button
                    type="button"
                    className="fr-btn fr-btn--sm"
                    onClick={() => {
                      edit.offer?.restore();
                      setOpen(true);
                    }}
                  >
                    Reprendre le brouillon
                  </button>
                  <button type="button" className="fr-btn fr-btn--sm fr-btn--secondary" onClick={edit.offer.discard}>
                    Ignorer le brouillon
                  </button>
                </div>
              </div>
            )}
            <ErrorSummary formId={formId} errors={flattenErrors(errors)} focusKey={f.submits} />
            <RootError message={errors.root?.message} />
            {/* No field is required here; saying so plainly is the RGAA's point (11.10). */}
            <p className="fr-hint-text">Tous les champs sont facultatifs : renseignez ceux que vous connaissez.</p>
            <Champ name="adresse" autoComplete="street-address" />
            <div className="fr-grid-row fr-grid-row--gutters">
              <div className="fr-col-12 fr-col-md-4">
                <Champ name="codePostal" autoComplete="postal-code" />
              </div>
              <div className="fr-col-12 fr-col-md-8">
                <Champ name="commune" />
              </div>
            </div>
            <Champ name="telephone" />
            <Champ name="courriel" />
            <Champ name="siteWeb" hint="Commençant par https://" />
            <div className="atlas-actions">
              <button type="submit" className="fr-btn" disabled={form.formState.isSubmitting}>
                Enregistrer les coordonnées
              </button>
              <button
                type="button"
                className="fr-btn fr-btn--secondary"
                onClick={() => {
                  form.reset();
                  void edit.saved();
                  setOpen(false);
                }}
              >
                Annuler
              </button>
            </div>
          </form>
        </FormScope>
      )}
    </section>
  );
}
