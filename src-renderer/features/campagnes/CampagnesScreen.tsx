// DAECT (and SGAR, read only): the update campaigns — year, dates, state, and how many collectivités of the
// scope are à jour or partly so in each — and the form creating the next year's campaign. A campaign is a
// national record written like any other (repository, outbox, sync); the counts are read from this
// device's copy with the shared rule (campagneEtat.ts), so an SGAR sees its région's, the DAECT the nation's.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Campagne } from '../../../src-shared/domain/campagne';
import {
  attestationsParCollectivite,
  bilanCampagne,
  jourEnFrance,
  phaseCampagne,
  PHASE_CAMPAGNE_LABELS,
  type BilanCampagne,
  type PhaseCampagne,
} from '../../../src-shared/domain/campagneEtat';
import { useApp } from '../../core/context';
import { useRecords } from '../../core/data';
import { href } from '../../core/router';
import { NEW_ID } from '../../ui/crud';
import { Champ, FormActions, FormAlerts, FormScope, useEntityForm, type EntityForm } from '../../ui/entityForm';
import { formatDate, formatInt } from '../../ui/format';
import { showToast } from '../../ui/toast';
import { anneeSuivante, datesProposees } from './campagnes';

export const PHASE_BADGES: Record<PhaseCampagne, string> = {
  a_venir: 'fr-badge fr-badge--info fr-badge--no-icon',
  ouverte: 'fr-badge fr-badge--success fr-badge--no-icon',
  close: 'fr-badge fr-badge--no-icon',
};

/** The bilan of each campaign over the collectivités of this device's copy (the person's scope). */
export function useBilans(campagnes: readonly Campagne[] | undefined): {
  bilans: Map<string, BilanCampagne> | undefined;
  total: number | undefined;
} {
  const collectivites = useRecords('collectivite');
  const attestations = useRecords('attestationCampagne');
  const bilans = useMemo(() => {
    if (!campagnes || !collectivites || !attestations) return undefined;
    const ids = collectivites.map((c) => c.id);
    const par = attestationsParCollectivite(attestations);
    return new Map(campagnes.map((c) => [c.id, bilanCampagne(c, ids, par)]));
  }, [campagnes, collectivites, attestations]);
  return { bilans, total: collectivites?.length };
}

export function CampagnesScreen() {
  const { user } = useApp();
  const campagnes = useRecords('campagne');
  const { bilans, total } = useBilans(campagnes);
  const [creating, setCreating] = useState(false);
  // After a creation, the focus goes to the new campaign's row once the copy shows it; after a cancel, back
  // to the button that opened the form (the form is gone: the focus must not fall to the page's start).
  const [focus, setFocus] = useState<number | 'bouton' | null>(null);
  const focusRef = useRef<HTMLElement | null>(null);
  useEffect(() => {
    const el = focusRef.current;
    if (focus !== null && el?.isConnected) {
      el.focus();
      focusRef.current = null;
      setFocus(null);
    }
  });
  const today = jourEnFrance(new Date());
  if (user.role === 'agent') return <ReservedToState />;
  const sorted = [...(campagnes ?? [])].sort((a, b) => b.annee - a.annee);
  const daect = user.role === 'daect';
  const next = anneeSuivante(sorted, today);
  return (
    <>
      <h1>Campagnes de mise à jour</h1>
      <p>
        Chaque année, une campagne invite les collectivités à vérifier et attester les cinq parties de leurs pages de
        l’Atlas entre sa date d’ouverture et sa date de clôture (incluses).{' '}
        {daect
          ? 'Créez la campagne de l’année, ajustez ses dates ou clôturez-la depuis sa page.'
          : 'Consultation seule : seule la DAECT crée les campagnes et fixe leurs dates.'}
      </p>
      <p className="fr-text--sm" data-testid="perimetre-campagnes">
        {total === undefined
          ? 'Lecture des données de ce poste…'
          : `Les chiffres portent sur les ${formatInt(total)} collectivités de votre périmètre ${
              user.region ? '(votre région) ' : ''
            }présentes sur ce poste.`}
      </p>
      {campagnes === undefined ? (
        <p role="status">Lecture des campagnes…</p>
      ) : sorted.length === 0 ? (
        <p>Aucune campagne n’est connue sur ce poste.</p>
      ) : (
        <div className="atlas-table-wrap">
          <table className="atlas-table" data-testid="liste-campagnes">
            <caption className="fr-sr-only">Campagnes de mise à jour</caption>
            <thead>
              <tr>
                <th scope="col">Année</th>
                <th scope="col">Ouverture</th>
                <th scope="col">Clôture</th>
                <th scope="col">État</th>
                <th scope="col" className="num">
                  Collectivités à jour
                </th>
                <th scope="col" className="num">
                  Partiellement à jour
                </th>
              </tr>
            </thead>
            <tbody>
              {sorted.map((c) => {
                const phase = phaseCampagne(c, today);
                const b = bilans?.get(c.id);
                return (
                  <tr key={c.id} data-testid={`campagne-${c.annee}`}>
                    <th scope="row">
                      <a
                        href={href(`/campagnes/${c.annee}`)}
                        ref={focus === c.annee ? (e) => void (focusRef.current = e) : undefined}
                      >
                        Campagne {c.annee}
                      </a>
                    </th>
                    <td>{formatDate(c.dateOuverture)}</td>
                    <td>{formatDate(c.dateCloture)}</td>
                    <td>
                      <span className={PHASE_BADGES[phase]}>{PHASE_CAMPAGNE_LABELS[phase]}</span>
                    </td>
                    <td className="num">{b ? formatInt(b.aJour) : '…'}</td>
                    <td className="num">{b ? formatInt(b.partiel) : '…'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {daect && campagnes !== undefined && (
        <section className="fr-mt-4w" aria-labelledby="nouvelle-campagne-titre">
          <h2 id="nouvelle-campagne-titre">Nouvelle campagne</h2>
          {creating ? (
            <NouvelleCampagne
              annee={next}
              dates={datesProposees(sorted, next)}
              onDone={(annee) => {
                setCreating(false);
                setFocus(annee ?? 'bouton');
              }}
            />
          ) : (
            <button
              type="button"
              className="fr-btn"
              ref={focus === 'bouton' ? (e) => void (focusRef.current = e) : undefined}
              onClick={() => setCreating(true)}
            >
              Créer la campagne {next}
            </button>
          )}
        </section>
      )}
    </>
  );
}

export function ReservedToState() {
  return (
    <>
      <h1>Campagnes de mise à jour</h1>
      <p>Cette page est réservée à la DAECT et aux services de l’État en région (SGAR).</p>
      <p>
        <a href={href('/')}>Retour au tableau de bord</a>
      </p>
    </>
  );
}

export interface CampagneValues {
  annee: string;
  dateOuverture: string;
  dateCloture: string;
}

/** A campaign's two dates side by side, then its save button and « Annuler » (which drops the draft). */
export function DatesEtActions(p: {
  form: EntityForm<CampagneValues>;
  save: string;
  /** Annuler also puts the fields back as they were (the form stays mounted with the record). */
  reset?: boolean;
  onCancel(): void;
}) {
  const f = p.form;
  return (
    <>
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-6">
          <Champ name="dateOuverture" />
        </div>
        <div className="fr-col-12 fr-col-md-6">
          <Champ name="dateCloture" />
        </div>
      </div>
      <FormActions form={f} save={p.save} className="fr-mt-2w">
        <button
          type="button"
          className="fr-btn fr-btn--secondary"
          onClick={() => {
            if (p.reset) f.form.reset();
            void f.edit.saved();
            p.onCancel();
          }}
        >
          Annuler
        </button>
      </FormActions>
    </>
  );
}

function NouvelleCampagne({
  annee,
  dates,
  onDone,
}: {
  annee: number;
  dates: { dateOuverture: string; dateCloture: string };
  /** With the year created, or nothing on a cancel. */
  onDone(annee?: number): void;
}) {
  const f = useEntityForm({
    entity: 'campagne',
    idPrefix: 'nouvelle-campagne',
    record: undefined,
    toValues: () => ({ annee: String(annee), ...dates }),
    toRecord: (v: CampagneValues) => ({
      id: NEW_ID,
      annee: v.annee.trim() === '' ? undefined : Number(v.annee),
      dateOuverture: v.dateOuverture,
      dateCloture: v.dateCloture,
    }),
    draftKey: 'campagne:nouvelle',
    onSaved: (_id, v) => {
      showToast({ message: `Campagne ${v.annee} créée : elle sera envoyée à la prochaine synchronisation.` });
      onDone(Number(v.annee));
    },
  });
  return (
    <div className="fr-card fr-p-3w">
      <p className="fr-text--sm">
        Les dates sont des jours en France (heure de Paris), inclus : les attestations sont acceptées du jour
        d’ouverture au jour de clôture. Les champs marqués d’un astérisque (*) sont obligatoires.
      </p>
      <FormAlerts form={f} />
      <FormScope form={f}>
        <form id={f.formId} onSubmit={f.onSubmit} noValidate aria-labelledby="nouvelle-campagne-titre">
          <Champ name="annee" hint="Une seule campagne par année." />
          <DatesEtActions form={f} save="Créer la campagne" onCancel={() => onDone()} />
        </form>
      </FormScope>
    </div>
  );
}
