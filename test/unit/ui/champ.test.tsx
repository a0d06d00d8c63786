// <Champ name="…" /> draws from the field catalogue the very markup the screens wrote by hand before
// (same label, ids, required mark, input type, options): browser tests find fields by label and id.
import type { ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { DISPOSITIFS_UN_POUR_CENT, DISPOSITIF_LABELS } from '../../../src-shared/domain/ficheProjet';
import { TYPES_PARTENAIRE, TYPE_PARTENAIRE_LABELS } from '../../../src-shared/domain/partenariat';
import { CATEGORIES_APD } from '../../../src-shared/reference/categoriesApd';
import { THEMATIQUES_INITIALES } from '../../../src-server/seed/referenceLists';
import type { EntityName } from '../../../src-shared/registry';
import { Champ, ChampContext, type ChampProps, type ChampScope } from '../../../src-renderer/ui/champ';
import { CheckboxField, CheckboxGroup, SelectField, TextField } from '../../../src-renderer/ui/form';

const reg = (name: string) => ({
  name,
  onChange: async () => undefined,
  onBlur: async () => undefined,
  ref: () => undefined,
});

function scope(entity: EntityName, errors: Record<string, string> = {}): ChampScope {
  return { entity, formId: 'f1', register: reg, error: (n) => errors[n] };
}

function champ(entity: EntityName, p: ChampProps, errors?: Record<string, string>): string {
  return renderToStaticMarkup(
    <ChampContext.Provider value={scope(entity, errors)}>
      <Champ {...p} />
    </ChampContext.Provider>,
  );
}

const html = (el: ReactElement) => renderToStaticMarkup(el);

// What a screen wrote by hand: the form `f1`, the field registered as the scope registers it.
type HandWritten<C extends (p: never) => unknown> = Omit<Parameters<C>[0], 'formId' | 'reg'> & { name: string };
const textField = (p: HandWritten<typeof TextField>) => html(<TextField formId="f1" reg={reg(p.name)} {...p} />);
const selectField = (p: HandWritten<typeof SelectField>) => html(<SelectField formId="f1" reg={reg(p.name)} {...p} />);
const checkboxField = (p: HandWritten<typeof CheckboxField>) =>
  html(<CheckboxField formId="f1" reg={reg(p.name)} {...p} />);
const checkboxGroup = (p: HandWritten<typeof CheckboxGroup>) =>
  html(<CheckboxGroup formId="f1" reg={reg(p.name)} {...p} />);

describe('Champ', () => {
  it('draws contact fields as the contact form did', () => {
    expect(
      champ('contact', { name: 'categorie' }, { categorie: '« Catégorie » : choisissez une valeur de la liste.' }),
    ).toBe(
      selectField({
        name: 'categorie',
        label: 'Catégorie',
        required: true,
        error: '« Catégorie » : choisissez une valeur de la liste.',
        options: [
          { value: 'elu', label: 'Élu' },
          { value: 'cadre', label: 'Cadre territorial' },
        ],
      }),
    );
    expect(champ('contact', { name: 'civilite', placeholder: 'Non précisée' })).toBe(
      selectField({
        name: 'civilite',
        label: 'Civilité',
        options: [
          { value: 'M.', label: 'Monsieur' },
          { value: 'Mme', label: 'Madame' },
        ],
        placeholder: 'Non précisée',
      }),
    );
    expect(champ('contact', { name: 'prenom' })).toBe(
      textField({ name: 'prenom', label: 'Prénom', required: true, autoComplete: 'off' }),
    );
    expect(champ('contact', { name: 'courriel', hint: 'Format attendu' })).toBe(
      textField({
        name: 'courriel',
        label: 'Courriel',
        required: true,
        type: 'email',
        inputMode: 'email',
        hint: 'Format attendu',
      }),
    );
    expect(champ('contact', { name: 'telephone' })).toBe(
      textField({ name: 'telephone', label: 'Téléphone', type: 'tel', inputMode: 'tel' }),
    );
  });

  it('draws checkboxes with their sentence, amounts with their unit, dates as dates, paragraphs as text areas', () => {
    expect(champ('adhesion', { name: 'adherent' })).toBe(
      checkboxField({ name: 'adherent', label: 'La collectivité est adhérente' }),
    );
    expect(champ('ficheProjet', { name: 'coutTotal', hint: 'Par exemple : 12 500,00' })).toBe(
      textField({ name: 'coutTotal', label: 'Coût total (€)', inputMode: 'decimal', hint: 'Par exemple : 12 500,00' }),
    );
    expect(champ('ficheProjet', { name: 'dateDebut' })).toBe(
      textField({ name: 'dateDebut', label: 'Date de début', required: true, type: 'date' }),
    );
    expect(champ('ficheProjet', { name: 'description', rows: 6 })).toBe(
      textField({ name: 'description', label: 'Description / objectifs', required: true, textarea: true, rows: 6 }),
    );
    // The thématiques are the DAECT's synced list (issue 15): the screen gives them, the catalogue the rest.
    const thematiques = THEMATIQUES_INITIALES.map((t) => ({ value: t.code, label: t.libelle }));
    expect(
      champ('ficheProjet', { name: 'thematiques', hint: 'Au moins une', columns: true, options: thematiques }),
    ).toBe(
      checkboxGroup({
        name: 'thematiques',
        label: 'Thématiques d’intervention',
        required: true,
        hint: 'Au moins une',
        columns: true,
        options: thematiques,
      }),
    );
  });

  it('lets a screen override what it words or draws otherwise', () => {
    const options = [{ value: 'cuf', label: 'Cités Unies France' }];
    expect(champ('adhesion', { name: 'reseauCode', required: true, hint: 'Choisissez', options })).toBe(
      selectField({ name: 'reseauCode', label: 'Réseau', required: true, hint: 'Choisissez', options }),
    );
    expect(champ('adhesion', { name: 'depuis', hint: 'Par exemple : 2012' })).toBe(
      textField({ name: 'depuis', label: 'Depuis (année)', inputMode: 'numeric', hint: 'Par exemple : 2012' }),
    );
    expect(champ('partenariat', { name: 'dateConvention', required: true })).toBe(
      textField({ name: 'dateConvention', label: 'Date de signature de la convention', type: 'date', required: true }),
    );
    expect(champ('partenariat', { name: 'typePartenaire', placeholder: 'Non précisé' })).toBe(
      selectField({
        name: 'typePartenaire',
        label: 'Type de partenaire',
        options: TYPES_PARTENAIRE.map((t) => ({ value: t, label: TYPE_PARTENAIRE_LABELS[t] })),
        placeholder: 'Non précisé',
      }),
    );
    // A choice the schema fills by default has no empty entry (before: « Aucun » twice, issue 14).
    expect(champ('ficheProjet', { name: 'dispositifUnPourCent', placeholder: 'Aucun' })).toBe(
      selectField({
        name: 'dispositifUnPourCent',
        label: 'Base du dispositif « 1 % »',
        options: DISPOSITIFS_UN_POUR_CENT.map((d) => ({ value: d, label: DISPOSITIF_LABELS[d] })),
        placeholder: false,
      }),
    );
    expect(champ('ligneApd', { name: 'categorie' }, { categorie: 'x' })).toBe(
      selectField({
        name: 'categorie',
        label: 'Catégorie',
        required: true,
        options: CATEGORIES_APD.map((c) => ({ value: c.code, label: c.label })),
        error: 'x',
      }),
    );
    expect(champ('ligneApd', { name: 'montant' })).toBe(
      textField({ name: 'montant', label: 'Montant (€)', required: true, inputMode: 'decimal' }),
    );
    expect(champ('collectivite', { name: 'codePostal', autoComplete: 'postal-code' })).toBe(
      textField({ name: 'codePostal', label: 'Code postal', inputMode: 'numeric', autoComplete: 'postal-code' }),
    );
  });

  it('refuses a field the catalogue does not know', () => {
    expect(() => champ('contact', { name: 'inconnu' })).toThrow(/contact\.inconnu/);
  });
});
