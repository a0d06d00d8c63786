// e. Aide publique au développement: one declaration per year, lines by pays and catégorie,
// totals per year, country and category computed (never typed). A line is edited in the same form as
// it is added, prefilled, in place of the "add" form (one form at a time: one draft, one leave guard).
import { fieldLabel } from '../../../src-shared/registry';
import { useEffect, useRef, useState } from 'react';
import { totalApd, type DeclarationApd, type LigneApd } from '../../../src-shared/domain/declarationApd';
import { CATEGORIES_APD } from '../../../src-shared/reference/categoriesApd';
import { MULTI_PAYS, PAYS, nomPays } from '../../../src-shared/reference/pays';
import { useApp, useCollectiviteId } from '../../core/context';
import { repository, useRecords, ValidationError } from '../../core/data';
import { href, navigate } from '../../core/router';
import { NEW_ID, removeWithUndo } from '../../ui/crud';
import { RowActions } from '../../ui/recordTable';
import { StateField } from '../../ui/stateField';
import { askConfirm } from '../../ui/confirm';
import { Champ, FormActions, FormAlerts, FormScope, useEntityForm } from '../../ui/entityForm';
import { hasUnsavedEdits } from '../../ui/editState';
import { amountToInput, formatEuro, parseAmount } from '../../ui/format';
import { StatusBadge } from '../../ui/StatusBadge';
import { showToast } from '../../ui/toast';
import { compareFr } from '../../ui/incomplete';

const CAT = new Map<string, string>(CATEGORIES_APD.map((c) => [c.code, c.label]));
const PAYS_OPTIONS = [
  { value: MULTI_PAYS, label: 'Multi-pays' },
  ...PAYS.map((p) => ({ value: p.code, label: p.nom })),
];

function sumBy(lignes: LigneApd[], key: (l: LigneApd) => string): [string, number][] {
  const m = new Map<string, LigneApd[]>();
  for (const l of lignes) m.set(key(l), [...(m.get(key(l)) ?? []), l]);
  return [...m.entries()].map(([k, ls]) => [k, totalApd(ls)] as [string, number]).sort((a, b) => b[1] - a[1]);
}

export function ApdScreen({ annee }: { annee: number | null }) {
  const collectiviteId = useCollectiviteId();
  const { canWrite, visionneuse } = useApp();
  const declarations = (useRecords('declarationApd', { collectiviteId }) ?? []).sort((a, b) => b.annee - a.annee);
  const lignes = useRecords('ligneApd', { collectiviteId }) ?? [];
  const [newYear, setNewYear] = useState(String(new Date().getFullYear() - 1));
  const [yearError, setYearError] = useState<string | null>(null);
  const current = annee !== null ? declarations.find((d) => d.annee === annee) : undefined;

  const createYear = async () => {
    setYearError(null);
    const y = Number(newYear);
    const existing = declarations.find((d) => d.annee === y);
    if (existing) {
      navigate(`/apd/${y}`);
      return;
    }
    try {
      await repository.create('declarationApd', {
        collectiviteId,
        // An empty input is sent as it is: the year builder says « obligatoire » (Number('') would be 0).
        annee: newYear.trim() === '' ? newYear : y,
        commentaire: null,
      });
      navigate(`/apd/${y}`);
    } catch (e) {
      setYearError(e instanceof ValidationError ? e.errors.map((x) => x.message).join(' ') : 'Création impossible.');
    }
  };

  return (
    <>
      <h1>e. Aide publique au développement</h1>
      <p>
        Une déclaration par année : les montants consacrés à l’aide publique au développement, par pays et par
        catégorie. Les totaux sont calculés automatiquement.
      </p>
      <div className="atlas-table-wrap fr-mb-3w">
        <table className="atlas-table">
          <caption>Déclarations par année</caption>
          <thead>
            <tr>
              <th scope="col">Année</th>
              <th scope="col" className="num">
                Lignes
              </th>
              <th scope="col" className="num">
                Total
              </th>
              {!visionneuse && <th scope="col">État</th>}
            </tr>
          </thead>
          <tbody>
            {declarations.map((d) => {
              const ls = lignes.filter((l) => l.declarationApdId === d.id);
              return (
                <tr key={d.id}>
                  <td>
                    <a href={href(`/apd/${d.annee}`)} aria-current={d.annee === annee ? 'page' : undefined}>
                      Déclaration {d.annee}
                    </a>
                  </td>
                  <td className="num">{ls.length}</td>
                  <td className="num">{formatEuro(totalApd(ls))}</td>
                  {!visionneuse && (
                    <td>
                      <StatusBadge entity="declarationApd" id={d.id} />
                    </td>
                  )}
                </tr>
              );
            })}
            {!declarations.length && (
              <tr>
                <td colSpan={visionneuse ? 3 : 4}>Aucune déclaration pour l’instant.</td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {canWrite && (
        <div className="fr-mb-4w">
          <StateField
            id="apd-annee"
            errorId="apd-annee-erreur"
            label={fieldLabel('declarationApd', 'annee')}
            required
            inputMode="numeric"
            value={newYear}
            onChange={setNewYear}
            error={yearError}
            style={{ maxWidth: '20rem' }}
          />
          <button type="button" className="fr-btn fr-btn--secondary" onClick={() => void createYear()}>
            Ouvrir ou créer la déclaration de cette année
          </button>
        </div>
      )}
      {annee !== null && !current && <p>Aucune déclaration pour {annee}.</p>}
      {current && (
        <Declaration declaration={current} lignes={lignes.filter((l) => l.declarationApdId === current.id)} />
      )}
    </>
  );
}

function ligneLabel(l: Pick<LigneApd, 'pays' | 'categorie'>): string {
  return `${nomPays(l.pays)}, ${CAT.get(l.categorie) ?? l.categorie}`;
}

function Declaration({ declaration, lignes }: { declaration: DeclarationApd; lignes: LigneApd[] }) {
  const { canWrite } = useApp();
  const [editingId, setEditingId] = useState<string | null>(null);
  // A line deleted while being edited (here or by a sync) closes its form.
  const editing = editingId ? lignes.find((l) => l.id === editingId) : undefined;
  const startEdit = async (id: string) => {
    if (id === editingId) return;
    if (
      hasUnsavedEdits() &&
      !(await askConfirm({
        title: 'Abandonner la saisie en cours ?',
        body: <p>Vous avez une saisie non enregistrée dans le formulaire de ligne. Votre brouillon reste conservé.</p>,
        confirm: 'Abandonner la saisie',
        cancel: 'Continuer la saisie',
      }))
    )
      return;
    setEditingId(id);
  };
  // Back to the row's "Modifier" button, so keyboard users stay where they were.
  const endEdit = (id: string) => {
    setEditingId(null);
    requestAnimationFrame(() => document.getElementById(`apd-modifier-${id}`)?.focus());
  };
  const sorted = [...lignes].sort(
    (a, b) => compareFr(nomPays(a.pays), nomPays(b.pays)) || compareFr(CAT.get(a.categorie), CAT.get(b.categorie)),
  );
  return (
    <section aria-labelledby="apd-decl-titre">
      <h2 id="apd-decl-titre">
        Déclaration {declaration.annee} <StatusBadge entity="declarationApd" id={declaration.id} />
      </h2>
      <div className="atlas-table-wrap">
        <table className="atlas-table">
          <caption className="fr-sr-only">Lignes de la déclaration {declaration.annee}</caption>
          <thead>
            <tr>
              <th scope="col">Pays</th>
              <th scope="col">Catégorie</th>
              <th scope="col" className="num">
                Montant
              </th>
              {canWrite && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {sorted.map((l) => (
              <tr key={l.id}>
                <td>{nomPays(l.pays)}</td>
                <td>{CAT.get(l.categorie) ?? l.categorie}</td>
                <td className="num">{formatEuro(l.montant)}</td>
                {canWrite && (
                  <td>
                    <RowActions
                      label={`la ligne ${ligneLabel(l)}`}
                      edit={{ id: `apd-modifier-${l.id}`, onClick: () => void startEdit(l.id) }}
                      onDelete={() => void removeWithUndo('ligneApd', l.id)}
                    />
                  </td>
                )}
              </tr>
            ))}
            {!sorted.length && (
              <tr>
                <td colSpan={canWrite ? 4 : 3}>Aucune ligne.</td>
              </tr>
            )}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={2}>
                Total {declaration.annee}
              </th>
              <td className="num" data-testid="total-apd">
                {formatEuro(totalApd(lignes))}
              </td>
              {canWrite && <td />}
            </tr>
          </tfoot>
        </table>
      </div>
      {canWrite && (
        <LigneForm
          key={editing?.id ?? 'nouvelle'}
          declaration={declaration}
          ligne={editing}
          onDone={editing ? () => endEdit(editing.id) : undefined}
        />
      )}
      <div className="fr-grid-row fr-grid-row--gutters fr-mt-4w">
        <TotalTable caption="Total par pays" header="Pays" totals={sumBy(lignes, (l) => l.pays)} label={nomPays} />
        <TotalTable
          caption="Total par catégorie"
          header="Catégorie"
          totals={sumBy(lignes, (l) => l.categorie)}
          label={(k) => CAT.get(k) ?? k}
        />
      </div>
      {canWrite && (
        <p className="fr-mt-3w">
          <button
            type="button"
            className="fr-btn fr-btn--tertiary"
            onClick={async () => {
              // With lines, a modal asks first (removeWithUndo).
              if (await removeWithUndo('declarationApd', declaration.id, String(declaration.annee))) navigate('/apd');
            }}
          >
            Supprimer la déclaration {declaration.annee}
          </button>
        </p>
      )}
    </section>
  );
}

/** The declaration's total by one key (pays, catégorie), largest first. */
function TotalTable(p: { caption: string; header: string; totals: [string, number][]; label(key: string): string }) {
  return (
    <div className="fr-col-12 fr-col-md-6">
      <table className="atlas-table">
        <caption>{p.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{p.header}</th>
            <th scope="col" className="num">
              Total
            </th>
          </tr>
        </thead>
        <tbody>
          {p.totals.map(([k, v]) => (
            <tr key={k}>
              <td>{p.label(k)}</td>
              <td className="num">{formatEuro(v)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

interface LValues {
  pays: string;
  categorie: string;
  montant: string;
}

const EMPTY: LValues = { pays: '', categorie: '', montant: '' };

function ligneToValues(ligne: LigneApd | undefined): LValues {
  return ligne ? { pays: ligne.pays, categorie: ligne.categorie, montant: amountToInput(ligne.montant) } : EMPTY;
}

/** Adds a line, or, given `ligne`, edits it (prefilled; `onDone` closes the edit after a save or a cancel). */
function LigneForm({
  declaration,
  ligne,
  onDone,
}: {
  declaration: DeclarationApd;
  ligne?: LigneApd;
  onDone?: () => void;
}) {
  const titleRef = useRef<HTMLHeadingElement>(null);
  const f = useEntityForm({
    entity: 'ligneApd',
    idPrefix: 'ligneapd',
    record: ligne,
    toValues: ligneToValues,
    toRecord: (v: LValues) => ({
      id: ligne?.id ?? NEW_ID,
      collectiviteId: declaration.collectiviteId,
      declarationApdId: declaration.id,
      pays: v.pays || undefined,
      categorie: v.categorie || undefined,
      montant: parseAmount(v.montant) ?? undefined,
    }),
    draftKey: ligne ? `ligneApd:${ligne.id}` : `ligneApd:nouvelle:${declaration.id}`,
    onSaved: () => {
      showToast({ message: ligne ? 'Ligne modifiée.' : 'Ligne ajoutée.' });
      if (onDone) onDone();
      else {
        // The form stays open for the next line: a new record next time.
        f.form.reset(EMPTY);
        f.edit.renew();
      }
    },
  });
  const { formId, edit } = f;
  // Opening an edit moves focus to the form, whose title names the line.
  const editedId = ligne?.id;
  useEffect(() => {
    if (editedId) titleRef.current?.focus();
  }, [editedId]);
  const cancel = async () => {
    await edit.saved();
    onDone?.();
  };
  return (
    <FormScope form={f}>
      <form
        id={formId}
        onSubmit={f.onSubmit}
        noValidate
        className="fr-card fr-p-3w fr-mt-3w"
        aria-labelledby={`${formId}-t`}
      >
        <h3 id={`${formId}-t`} ref={titleRef} tabIndex={-1} className="fr-h6">
          {ligne ? `Modifier la ligne ${ligneLabel(ligne)}` : 'Ajouter une ligne'}
        </h3>
        <FormAlerts form={f} />
        <p className="fr-hint-text">Les champs marqués d’un astérisque (*) sont obligatoires.</p>
        <div className="fr-grid-row fr-grid-row--gutters">
          <div className="fr-col-12 fr-col-md-4">
            <Champ name="pays" options={PAYS_OPTIONS} />
          </div>
          <div className="fr-col-12 fr-col-md-5">
            <Champ name="categorie" />
          </div>
          <div className="fr-col-12 fr-col-md-3">
            <Champ name="montant" />
          </div>
        </div>
        <FormActions form={f} save={ligne ? 'Enregistrer la ligne' : 'Ajouter la ligne'} className="fr-mt-2w">
          {ligne && (
            <button type="button" className="fr-btn fr-btn--secondary" onClick={() => void cancel()}>
              Annuler la modification
            </button>
          )}
        </FormActions>
      </form>
    </FormScope>
  );
}
