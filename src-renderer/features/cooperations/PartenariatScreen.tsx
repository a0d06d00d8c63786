// One partnership: its form (partner name with the capitals hint and one-click fix, jumelage,
// convention, statut, location picked on the map), its fiches-projets, and for an action extérieure
// the one-step conversion into a coopération décentralisée (fiches kept).
import { useState } from 'react';
import { NATURES, NATURE_LABELS, type Partenariat } from '../../../src-shared/domain/partenariat';
import { partenariatWarnings, quoteShort, toProperCase } from '../../../src-shared/domain/warnings';
import { nomPays, PAYS_PARTENAIRES, TERRITOIRES_FRANCAIS } from '../../../src-shared/reference/pays';
import { fieldLabel } from '../../../src-shared/registry';
import { useApp, useCollectiviteId } from '../../core/context';
import { repository, useRecords, ValidationError } from '../../core/data';
import { href, navigate } from '../../core/router';
import { NEW_ID, removeWithUndo } from '../../ui/crud';
import { Champ, FormActions, EntityFormFrame, useEntityForm } from '../../ui/entityForm';
import { userMessage } from '../../ui/errors';
import { WarningNotice, str } from '../../ui/form';
import { parseAmount, todayIso } from '../../ui/format';
import { StatusBadge } from '../../ui/StatusBadge';
import { StateField } from '../../ui/stateField';
import { IncompleteNotice } from '../../ui/incomplete';
import { RepriseNotice, useAVerifier } from '../../ui/reprise';
import { useRecordOrNull } from '../../ui/useRecordOrNull';
import { LocationPicker } from '../carte/LocationPicker';
import { FichesList } from '../projets/FichesList';
import { NATURE_PAGE } from './labels';
import type { Nature } from './types';

/** Partner countries only: France and its territories are not offered (the schema refuses them). */
const PAYS_OPTIONS = PAYS_PARTENAIRES.map((p) => ({ value: p.code, label: p.nom }));
/** A record stored before that rule keeps showing its country, marked, until someone picks the real one. */
function paysOptions(current: unknown) {
  if (typeof current !== 'string' || !TERRITOIRES_FRANCAIS.has(current)) return PAYS_OPTIONS;
  return [
    { value: current, label: `${nomPays(current)} (n’est pas un pays partenaire : à corriger)` },
    ...PAYS_OPTIONS,
  ];
}

export function PartenariatScreen({ id, nature }: { id: string; nature: string | null }) {
  const collectiviteId = useCollectiviteId();
  const isNew = id === 'nouveau';
  const rec = useRecordOrNull('partenariat', isNew ? null : id);
  const aVerifier = useAVerifier(collectiviteId);
  if (rec === undefined) return <p role="status">Chargement…</p>;
  if (!isNew && !rec) {
    return (
      <>
        <h1>Partenariat introuvable</h1>
        <p>Ce partenariat n’existe plus (il a peut-être été supprimé).</p>
        <p>
          <a href={href('/cooperations')}>Retour aux coopérations</a>
        </p>
      </>
    );
  }
  const n: Nature =
    rec?.nature ??
    ((NATURES as readonly string[]).includes(nature ?? '') ? (nature as Nature) : 'cooperation_decentralisee');
  return (
    <>
      <IncompleteNotice entity="partenariat" record={rec} />
      <RepriseNotice marque={!!rec && aVerifier.partenariat(rec)} />
      <PartenariatView
        key={rec?.id ?? 'new'}
        partenariat={rec ?? undefined}
        nature={n}
        collectiviteId={collectiviteId}
      />
    </>
  );
}

interface PValues {
  pays: string;
  nomPartenaire: string;
  typePartenaire: string;
  jumelage: boolean;
  dateConvention: string;
  statut: string;
  latitude: string;
  longitude: string;
}

function partenariatToValues(partenariat: Partenariat | undefined): PValues {
  return {
    pays: partenariat?.pays ?? '',
    nomPartenaire: partenariat?.nomPartenaire ?? '',
    typePartenaire: partenariat?.typePartenaire ?? '',
    jumelage: partenariat?.jumelage ?? false,
    dateConvention: partenariat?.dateConvention ?? '',
    // A new one opens on the schema's default (« Active »), shown as chosen: the list has no empty entry.
    statut: partenariat?.statut ?? 'active',
    latitude: partenariat?.latitude != null ? String(partenariat.latitude).replace('.', ',') : '',
    longitude: partenariat?.longitude != null ? String(partenariat.longitude).replace('.', ',') : '',
  };
}

function PartenariatView({
  partenariat,
  nature,
  collectiviteId,
}: {
  partenariat?: Partenariat;
  nature: Nature;
  collectiviteId: string;
}) {
  const { canWrite } = useApp();
  const page = NATURE_PAGE[nature];
  const f = useEntityForm({
    entity: 'partenariat',
    idPrefix: 'partenariat',
    record: partenariat,
    toValues: partenariatToValues,
    toRecord: (v: PValues) => ({
      id: partenariat?.id ?? NEW_ID,
      collectiviteId,
      nature,
      pays: v.pays || undefined,
      nomPartenaire: v.nomPartenaire,
      typePartenaire: str(v.typePartenaire),
      jumelage: v.jumelage,
      // An action extérieure has no convention: the form does not show the field and keeps what the
      // record holds (null for a new one; a date typed before, if any, is left as it was).
      dateConvention: nature === 'action_exterieure' ? (partenariat?.dateConvention ?? null) : str(v.dateConvention),
      statut: v.statut || undefined,
      latitude: parseAmount(v.latitude),
      longitude: parseAmount(v.longitude),
    }),
    draftKey: `partenariat:${partenariat?.id ?? `nouveau-${nature}`}:${collectiviteId}`,
    onSaved: (saved) => navigate(partenariat ? page.route : `/partenariats/${saved}`, { force: true }),
  });
  const { watch, setValue } = f.form;
  const edit = f.edit;
  const nom = watch('nomPartenaire');
  const warnings = partenariatWarnings({ nomPartenaire: nom ?? '' });
  const lat = parseAmount(watch('latitude'));
  const lon = parseAmount(watch('longitude'));
  return (
    <>
      <nav className="fr-breadcrumb" aria-label="vous êtes ici :">
        <ol className="fr-breadcrumb__list">
          <li>
            <a className="fr-breadcrumb__link" href={href(page.route)}>
              {page.title}
            </a>
          </li>
          <li>
            <a className="fr-breadcrumb__link" aria-current="page">
              {partenariat?.nomPartenaire ?? page.nouveau}
            </a>
          </li>
        </ol>
      </nav>
      <h1>
        {partenariat ? partenariat.nomPartenaire : page.add}{' '}
        {partenariat && <StatusBadge entity="partenariat" id={partenariat.id} />}
      </h1>
      <p className="fr-text--sm">{NATURE_LABELS[nature]}. Les champs marqués d’un astérisque (*) sont obligatoires.</p>
      <EntityFormFrame form={f}>
        <fieldset disabled={!canWrite} className="fr-fieldset">
          <div className="fr-fieldset__element">
            <Champ name="pays" options={paysOptions(partenariat?.pays)} />
          </div>
          <div className="fr-fieldset__element">
            <Champ
              name="nomPartenaire"
              hint="Orthographe exacte, pas tout en majuscules (par exemple : Saint-Louis du Sénégal)"
              after={
                <WarningNotice
                  warnings={warnings}
                  action={
                    warnings.length ? (
                      <button
                        type="button"
                        className="fr-btn fr-btn--sm fr-btn--secondary fr-mt-1w"
                        onClick={() =>
                          setValue('nomPartenaire', toProperCase(nom), { shouldDirty: true, shouldValidate: true })
                        }
                      >
                        Corriger en « {quoteShort(toProperCase(nom))} »
                      </button>
                    ) : undefined
                  }
                />
              }
            />
          </div>
          <div className="fr-fieldset__element">
            <Champ name="typePartenaire" placeholder="Non précisé" />
          </div>
          <div className="fr-fieldset__element">
            <Champ name="jumelage" hint="Cochez pour un jumelage, y compris européen." />
          </div>
          {nature === 'cooperation_decentralisee' && (
            <div className="fr-fieldset__element">
              {/* Required for a coopération décentralisée (checked with the record); an action extérieure has none. */}
              <Champ name="dateConvention" required />
            </div>
          )}
          <div className="fr-fieldset__element">
            <Champ name="statut" />
          </div>
          <div className="fr-fieldset__element">
            <h2 className="fr-h6 fr-mb-1w">Localisation (facultative)</h2>
            <p className="fr-text--sm">
              Cliquez sur la carte pour placer le partenaire, ou saisissez ses coordonnées. Sans localisation, il est
              placé au centre du pays.
            </p>
            <LocationPicker
              lat={lat}
              lon={lon}
              onPick={(la, lo) => {
                setValue('latitude', String(la).replace('.', ','), { shouldDirty: true });
                setValue('longitude', String(lo).replace('.', ','), { shouldDirty: true });
              }}
            />
            <div className="fr-grid-row fr-grid-row--gutters">
              <div className="fr-col-6">
                <Champ name="latitude" />
              </div>
              <div className="fr-col-6">
                <Champ name="longitude" />
              </div>
            </div>
          </div>
          {canWrite && (
            <FormActions form={f} cancelTo={page.route} className="fr-fieldset__element">
              {partenariat && (
                <button
                  type="button"
                  className="fr-btn fr-btn--tertiary"
                  onClick={async () => {
                    // With fiches-projets, a modal asks first (removeWithUndo); the draft goes once it is decided.
                    if (
                      await removeWithUndo('partenariat', partenariat.id, partenariat.nomPartenaire, {
                        before: edit.saved,
                      })
                    )
                      navigate(page.route, { force: true });
                  }}
                >
                  Supprimer le partenariat
                </button>
              )}
            </FormActions>
          )}
        </fieldset>
      </EntityFormFrame>
      {partenariat && partenariat.nature === 'action_exterieure' && canWrite && (
        <Conversion partenariat={partenariat} />
      )}
      {partenariat && <PartenariatFiches partenariat={partenariat} />}
    </>
  );
}

function Conversion({ partenariat }: { partenariat: Partenariat }) {
  const [open, setOpen] = useState(false);
  const [date, setDate] = useState('');
  const [error, setError] = useState<string | null>(null);
  const convert = async () => {
    try {
      await repository.update('partenariat', partenariat.id, {
        nature: 'cooperation_decentralisee',
        dateConvention: date || null,
      });
      setOpen(false);
      navigate(`/partenariats/${partenariat.id}`, { force: true });
    } catch (e) {
      setError(
        e instanceof ValidationError
          ? e.errors.map((x) => x.message).join(' ')
          : userMessage(e, 'La conversion a échoué.'),
      );
    }
  };
  return (
    <section className="fr-callout fr-my-4w" aria-labelledby="conversion-titre">
      <h2 id="conversion-titre" className="fr-callout__title">
        Cette action est désormais conventionnée ?
      </h2>
      <p className="fr-callout__text">
        Convertissez-la en coopération décentralisée : ses fiches-projets sont conservées.
      </p>
      {!open && (
        <button
          type="button"
          className="fr-btn"
          onClick={() => {
            setOpen(true);
            setDate(todayIso());
          }}
        >
          Convertir en coopération décentralisée
        </button>
      )}
      {open && (
        <div>
          <StateField
            id="conversion-date"
            errorId="conversion-erreur"
            label={fieldLabel('partenariat', 'dateConvention')}
            required
            type="date"
            value={date}
            onChange={setDate}
            error={error}
          />
          <div className="atlas-actions">
            <button type="button" className="fr-btn" onClick={() => void convert()}>
              Confirmer la conversion
            </button>
            <button
              type="button"
              className="fr-btn fr-btn--secondary"
              onClick={() => {
                setOpen(false);
                setError(null);
              }}
            >
              Annuler
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

function PartenariatFiches({ partenariat }: { partenariat: Partenariat }) {
  const { canWrite } = useApp();
  const fiches = useRecords('ficheProjet', { partenariatId: partenariat.id }) ?? [];
  const aVerifier = useAVerifier(partenariat.collectiviteId);
  return (
    <section className="fr-mt-6w" aria-labelledby="fiches-titre">
      <h2 id="fiches-titre">Fiches-projets de ce partenariat</h2>
      {canWrite && (
        <p>
          <a
            className="fr-btn fr-icon-add-line fr-btn--icon-left"
            href={href(`/partenariats/${partenariat.id}/fiches/nouvelle`)}
          >
            Ajouter une fiche-projet
          </a>
        </p>
      )}
      <FichesList fiches={fiches} aVerifier={aVerifier.fiche} />
    </section>
  );
}
