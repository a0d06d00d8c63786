// The field catalogue: every entity field carries its label and type from its builder, through the
// wrappers (`.nullable()`, `.default()`, `z.preprocess`, refinements) the schemas put around it.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  bool,
  date,
  describeField,
  enumOf,
  fieldInfoOf,
  int,
  optionalText,
  text,
  year,
} from '../../../src-shared/domain/fields';
import { ENTITY_NAMES, entityFields, fieldColumn, fieldInfo, fieldLabel } from '../../../src-shared/registry';

describe('fieldInfoOf', () => {
  it('reads the label and type through wrappers and refinements', () => {
    expect(fieldInfoOf(text('Nom', { max: 100 }))).toEqual({
      label: 'Nom',
      type: 'text',
      required: true,
      column: 'Nom',
    });
    expect(fieldInfoOf(optionalText('Commentaire', { max: 2_000 }))).toMatchObject({
      label: 'Commentaire',
      type: 'longText',
      required: false,
    });
    expect(fieldInfoOf(int('Année', 2000, 2100).refine((y) => y > 0))).toMatchObject({ type: 'integer' });
    expect(fieldInfoOf(year('Depuis', 1900, 2100).nullable().default(null))).toMatchObject({
      label: 'Depuis',
      type: 'year',
      required: false,
    });
    expect(fieldInfoOf(z.preprocess((v) => v, date('Date').nullable()).default(null))).toMatchObject({
      type: 'date',
      required: false,
    });
  });
  it('gives choices their labels, and lets the outermost description win', () => {
    const s = describeField(enumOf('Statut', ['a', 'b'], { a: 'Actif', b: 'Bloqué' }).default('a'), {
      display: "Statut d'ensemble",
    });
    expect(fieldInfoOf(s)).toEqual({
      label: 'Statut d’ensemble',
      type: 'choice',
      required: false,
      column: 'Statut d’ensemble',
      choices: [
        { value: 'a', label: 'Actif' },
        { value: 'b', label: 'Bloqué' },
      ],
      // A default fills the field: the form's list has no empty entry.
      defaultValue: 'a',
    });
    expect(fieldInfoOf(bool('Adhérent', { display: 'La collectivité est adhérente' }))).toEqual({
      label: 'La collectivité est adhérente',
      type: 'boolean',
      required: false,
      column: 'La collectivité est adhérente',
    });
  });
  it('keeps the messages the label was given', () => {
    const r = bool('Adhérent', { display: 'La collectivité est adhérente' }).safeParse('x');
    expect(r.success ? '' : r.error.issues[0]!.message).toBe('« Adhérent » doit être coché ou décoché.');
  });
  it('knows nothing of a schema no builder made', () => expect(fieldInfoOf(z.string())).toBeUndefined());
});

describe('the catalogue', () => {
  it('describes every field of every entity', () => {
    for (const e of ENTITY_NAMES)
      for (const f of entityFields(e))
        expect(fieldInfo(e, f), `${e}.${f}`).toMatchObject({ label: expect.any(String) });
  });
  it('words fields as the forms do', () => {
    expect(fieldLabel('contact', 'fonction')).toBe('Titre / fonction');
    expect(fieldLabel('ficheProjet', 'thematiques')).toBe('Thématiques d’intervention');
    expect(fieldLabel('ficheProjet', 'odd')).toBe('Objectifs de développement durable (ODD)');
    expect(fieldLabel('avis', 'statutInstruction')).toBe('Statut d’instruction');
    expect(fieldLabel('attestationCampagne', 'verifieeLe')).toBe('Vérifiée le');
    expect(fieldInfo('ficheProjet', 'cofinancements.0.montant')).toMatchObject({ type: 'amount' });
    expect(fieldLabel('contact', 'inconnu')).toBe('inconnu');
    expect(fieldColumn('ficheProjet', 'coutTotal')).toBe('Coût total (€)');
    expect(fieldColumn('ficheProjet', 'dispositifUnPourCent')).toBe('Dispositif 1 %');
  });
  it('knows which fields are required and what they hold', () => {
    expect(fieldInfo('contact', 'prenom')).toMatchObject({ required: true, type: 'text' });
    expect(fieldInfo('contact', 'telephone')).toMatchObject({ required: false, type: 'phone' });
    expect(fieldInfo('contact', 'categorie')?.choices).toEqual([
      { value: 'elu', label: 'Élu' },
      { value: 'cadre', label: 'Cadre territorial' },
    ]);
  });
});

describe('export headings', () => {
  // The fiches export's header line, as the browser test of cooperations reads it.
  it('keeps the columns of the fiches-projets export', () => {
    const fields = ['intitule', 'statut', 'dateDebut', 'dateFin', 'thematiques', 'coutTotal'] as const;
    const more = ['participationCollectivite', 'cofinancements', 'odd', 'dispositifUnPourCent', 'description'] as const;
    expect([...fields, ...more].map((f) => fieldColumn('ficheProjet', f)).join(';')).toBe(
      'Intitulé;Statut;Date de début;Date de fin;Thématiques;Coût total (€);Participation de la collectivité (€);Cofinancements;ODD;Dispositif 1 %;Description / objectifs',
    );
  });
});
