// One campaign (#/campagnes/<année>): its dates and state; for the DAECT, changing its dates and closing it
// early; for everyone of the State, per part how many collectivités of the scope attested it, and the
// collectivités with their attestations (searchable, shown 100 at a time: the DAECT's scope has ~4,800).
// A campaign that ran before the current one is history: read only.
import { useEffect, useMemo, useRef, useState } from 'react';
import { PARTIES, PARTIE_LABELS, type Campagne } from '../../../src-shared/domain/campagne';
import {
  attestationsParCollectivite,
  clotureAnticipee,
  ETAT_CAMPAGNE_LABELS,
  etatCollectivite,
  jourEnFrance,
  jourEnLettres,
  phaseCampagne,
  PHASE_CAMPAGNE_LABELS,
  type EtatCampagne,
  type EtatCollectivite,
} from '../../../src-shared/domain/campagneEtat';
import { useApp } from '../../core/context';
import { repository, useRecords } from '../../core/data';
import { href } from '../../core/router';
import { askConfirm } from '../../ui/confirm';
import { FormAlerts, FormScope, useEntityForm } from '../../ui/entityForm';
import { userMessage } from '../../ui/errors';
import { formatDateTime, formatInt } from '../../ui/format';
import { AfficherPlus, Options, SelectGroup, useAfficherPlus } from '../../ui/liste';
import { showToast } from '../../ui/toast';
import { countSentence, searchCollectivites, searchIndex, type ChoixItem } from '../campagne/choix';
import { RechercheCollectivite } from '../campagne/RechercheCollectivite';
import { campagneModifiable } from './campagnes';
import { DatesEtActions, PHASE_BADGES, ReservedToState, useBilans, type CampagneValues } from './CampagnesScreen';

const PAGE_SIZE = 100;

const ETAT_BADGES: Record<EtatCampagne, string> = {
  a_jour: 'fr-badge fr-badge--success fr-badge--sm',
  partiel: 'fr-badge fr-badge--warning fr-badge--sm',
  pas_a_jour: 'fr-badge fr-badge--sm',
};

export function CampagneDetailScreen({ annee }: { annee: string }) {
  const { user } = useApp();
  const campagnes = useRecords('campagne');
  if (user.role === 'agent') return <ReservedToState />;
  if (campagnes === undefined) return <p role="status">Lecture des campagnes…</p>;
  const c = campagnes.find((x) => String(x.annee) === annee);
  if (!c)
    return (
      <>
        <h1>Campagne inconnue</h1>
        <p>Aucune campagne {annee} n’est connue sur ce poste.</p>
        <p>
          <a href={href('/campagnes')}>Retour aux campagnes</a>
        </p>
      </>
    );
  return <Detail key={c.id} campagne={c} campagnes={campagnes} />;
}

function Detail({ campagne: c, campagnes }: { campagne: Campagne; campagnes: Campagne[] }) {
  const { user } = useApp();
  const today = jourEnFrance(new Date());
  const phase = phaseCampagne(c, today);
  const daect = user.role === 'daect';
  const modifiable = daect && campagneModifiable(c, campagnes, today);
  const [editing, setEditing] = useState(false);
  // The dates form closed (saved or cancelled): the focus goes back to the button that opened it.
  const modifier = useRef<HTMLButtonElement>(null);
  const [backToButton, setBackToButton] = useState(false);
  useEffect(() => {
    if (backToButton && !editing) {
      modifier.current?.focus();
      setBackToButton(false);
    }
  }, [backToButton, editing]);
  const { bilans, total } = useBilans(useMemo(() => [c], [c]));
  const bilan = bilans?.get(c.id);
  const cloture = clotureAnticipee(c, today);

  const cloturer = async () => {
    if (!cloture) return;
    const ok = await askConfirm({
      title: `Clôturer la campagne ${c.annee} ?`,
      body: (
        <>
          <p>
            La date de clôture passera du {jourEnLettres(c.dateCloture)} à aujourd’hui, {jourEnLettres(cloture)}. Les
            attestations faites aujourd’hui restent valables ; à partir de demain, elles seront refusées.
          </p>
          <p>Vous pourrez rouvrir la campagne en modifiant sa date de clôture.</p>
        </>
      ),
      confirm: 'Clôturer la campagne',
    });
    if (!ok) return;
    try {
      await repository.update('campagne', c.id, { dateCloture: cloture });
      showToast({
        message: `Campagne ${c.annee} clôturée ce soir : elle sera envoyée à la prochaine synchronisation.`,
      });
    } catch (e) {
      showToast({ message: userMessage(e, 'La campagne n’a pas pu être clôturée.') });
    }
  };

  return (
    <>
      <nav role="navigation" className="fr-breadcrumb" aria-label="vous êtes ici :">
        <ol className="fr-breadcrumb__list">
          <li>
            <a className="fr-breadcrumb__link" href={href('/campagnes')}>
              Campagnes
            </a>
          </li>
          <li>
            <a className="fr-breadcrumb__link" aria-current="page">
              Campagne {c.annee}
            </a>
          </li>
        </ol>
      </nav>
      <h1>Campagne {c.annee}</h1>
      <p data-testid="dates-campagne">
        <span className={PHASE_BADGES[phase]} data-testid="etat-campagne">
          {PHASE_CAMPAGNE_LABELS[phase]}
        </span>{' '}
        Ouverture le {jourEnLettres(c.dateOuverture)}, clôture le {jourEnLettres(c.dateCloture)} (jours inclus, heure de
        Paris).
      </p>
      {!modifiable && (
        <p className="fr-text--sm" data-testid="lecture-seule">
          {daect
            ? 'Campagne passée : consultation seule.'
            : 'Consultation seule : seule la DAECT fixe les dates des campagnes.'}
        </p>
      )}
      {modifiable && !editing && (
        <div className="atlas-actions fr-mb-3w">
          <button type="button" ref={modifier} className="fr-btn fr-btn--secondary" onClick={() => setEditing(true)}>
            Modifier les dates
          </button>
          {cloture && (
            <button type="button" className="fr-btn fr-btn--tertiary" onClick={() => void cloturer()}>
              Clôturer la campagne
            </button>
          )}
        </div>
      )}
      {modifiable && editing && (
        <DatesForm
          campagne={c}
          onDone={() => {
            setEditing(false);
            setBackToButton(true);
          }}
        />
      )}

      <h2>Attestations</h2>
      {bilan === undefined || total === undefined ? (
        <p role="status">Lecture des attestations de ce poste…</p>
      ) : (
        <>
          <p data-testid="bilan-campagne">
            Sur les {formatInt(total)} collectivités de votre périmètre : {formatInt(bilan.aJour)} à jour,{' '}
            {formatInt(bilan.partiel)} partiellement à jour, {formatInt(bilan.pasAJour)} pas à jour.
          </p>
          <div className="atlas-table-wrap">
            <table className="atlas-table" data-testid="attestations-par-partie">
              <caption>Collectivités ayant attesté chaque partie pendant la campagne</caption>
              <thead>
                <tr>
                  <th scope="col">Partie</th>
                  <th scope="col" className="num">
                    Collectivités
                  </th>
                </tr>
              </thead>
              <tbody>
                {PARTIES.map((p) => (
                  <tr key={p}>
                    <th scope="row">{PARTIE_LABELS[p]}</th>
                    <td className="num">
                      {formatInt(bilan.parPartie[p])} sur {formatInt(total)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <CollectivitesCampagne campagne={c} />
        </>
      )}
    </>
  );
}

function DatesForm({ campagne: c, onDone }: { campagne: Campagne; onDone(): void }) {
  const f = useEntityForm({
    entity: 'campagne',
    idPrefix: 'dates-campagne',
    record: c,
    toValues: (r) => ({
      annee: String(r?.annee ?? c.annee),
      dateOuverture: r?.dateOuverture ?? '',
      dateCloture: r?.dateCloture ?? '',
    }),
    toRecord: (v: CampagneValues) => ({
      id: c.id,
      annee: c.annee,
      dateOuverture: v.dateOuverture,
      dateCloture: v.dateCloture,
    }),
    draftKey: `campagne:${c.id}`,
    onSaved: () => {
      showToast({
        message: `Dates de la campagne ${c.annee} modifiées : elles seront envoyées à la prochaine synchronisation.`,
      });
      onDone();
    },
  });
  return (
    <section className="fr-card fr-p-3w fr-mb-3w" aria-labelledby="dates-campagne-titre">
      <h2 id="dates-campagne-titre" className="fr-h5">
        Modifier les dates de la campagne {c.annee}
      </h2>
      <p className="fr-text--sm">
        Jours en France (heure de Paris), inclus. Avancer la clôture avant aujourd’hui ferme la campagne ; la reculer la
        rouvre. Les champs marqués d’un astérisque (*) sont obligatoires.
      </p>
      <FormAlerts form={f} />
      <FormScope form={f}>
        <form id={f.formId} onSubmit={f.onSubmit} noValidate aria-labelledby="dates-campagne-titre">
          <DatesEtActions form={f} save="Enregistrer les dates" reset onCancel={onDone} />
        </form>
      </FormScope>
    </section>
  );
}

type Filtre = EtatCampagne | 'toutes';
const ETAT_OPTIONS = (Object.keys(ETAT_CAMPAGNE_LABELS) as EtatCampagne[]).map((e) => ({
  value: e,
  label: ETAT_CAMPAGNE_LABELS[e],
}));

/** The collectivités of the scope with their state and their attestations in this campaign. */
function CollectivitesCampagne({ campagne: c }: { campagne: Campagne }) {
  const collectivites = useRecords('collectivite');
  const attestations = useRecords('attestationCampagne', { campagneId: c.id });
  const [q, setQ] = useState('');
  const [filtre, setFiltre] = useState<Filtre>('toutes');
  const plus = useAfficherPlus(PAGE_SIZE);
  const index = useMemo(() => searchIndex<ChoixItem>(collectivites ?? []), [collectivites]);
  const etats = useMemo(() => {
    const par = attestationsParCollectivite(attestations ?? []);
    return new Map((collectivites ?? []).map((x) => [x.id, etatCollectivite(c, par.get(x.id) ?? [])]));
  }, [c, collectivites, attestations]);
  const list = useMemo(
    () => searchCollectivites(index, q).filter((x) => filtre === 'toutes' || etats.get(x.id)?.etat === filtre),
    [index, q, filtre, etats],
  );
  if (!collectivites || !attestations) return null;
  const shown = list.slice(0, plus.limit);
  const filtered = q.trim() !== '' || filtre !== 'toutes';
  return (
    <section className="fr-mt-4w" aria-labelledby="collectivites-campagne-titre">
      <h2 id="collectivites-campagne-titre">Collectivités</h2>
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-8">
          <RechercheCollectivite id="campagne-collectivites-filtre" value={q} onChange={plus.withReset(setQ)} />
        </div>
        <div className="fr-col-12 fr-col-md-4">
          <SelectGroup
            id="campagne-collectivites-etat"
            label="État de la collectivité"
            value={filtre}
            onChange={plus.withReset((v: string) => setFiltre(v as Filtre))}
          >
            <option value="toutes">Toutes</option>
            <Options options={ETAT_OPTIONS} />
          </SelectGroup>
        </div>
      </div>
      <p role="status" className="fr-text--sm" data-testid="campagne-collectivites-nombre">
        {countSentence(list.length, index.length, filtered, formatInt) +
          (list.length > shown.length ? ` ; les ${formatInt(shown.length)} premières sont affichées.` : '.')}
      </p>
      {shown.length > 0 && (
        <div className="atlas-table-wrap">
          <table className="atlas-table" data-testid="campagne-collectivites">
            <caption className="fr-sr-only">Collectivités et leurs attestations pour la campagne {c.annee}</caption>
            <thead>
              <tr>
                <th scope="col" style={{ minWidth: '12rem' }}>
                  Collectivité
                </th>
                <th scope="col" style={{ minWidth: '9rem' }}>
                  État
                </th>
                {PARTIES.map((p) => (
                  <th scope="col" key={p}>
                    {PARTIE_LABELS[p]}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {shown.map((x) => (
                <Ligne key={x.id} nom={x.nom} etat={etats.get(x.id)!} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <AfficherPlus plus={plus} total={list.length} de="collectivités" className="fr-btn fr-btn--secondary fr-mt-1w" />
    </section>
  );
}

function Ligne({ nom, etat }: { nom: string; etat: EtatCollectivite }) {
  return (
    <tr>
      <th scope="row">{nom}</th>
      <td>
        <span className={ETAT_BADGES[etat.etat]}>{ETAT_CAMPAGNE_LABELS[etat.etat]}</span>
      </td>
      {etat.parties.map(({ partie, attestation: a }) => (
        <td key={partie}>
          {a ? (
            <>
              {formatDateTime(a.verifieeLe)}
              <br />
              <span className="fr-text--xs">par {a.par}</span>
            </>
          ) : (
            <>
              —<span className="fr-sr-only">non attestée</span>
            </>
          )}
        </td>
      ))}
    </tr>
  );
}
