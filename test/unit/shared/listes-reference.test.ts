// Issue 15: the rules of the reference lists, the same on the server and in the forms — a code must be an
// entry of its list, a retired entry stays only where the record already had it — and how forms and screens
// say an entry (the current ones proposed, a retired one kept on its record, marked « (retiré) »).
import { describe, expect, it } from 'vitest';
import {
  choicesFor,
  codeFromLabel,
  entreeReferenceSchema,
  libelleAffiche,
  listErrors,
  sortEntries,
} from '../../../src-shared/domain/entreeReference';
import { entityDef, REGISTRY } from '../../../src-shared/registry';
import { naturalId } from '../../../src-shared/sync/ids';
import { entreesInitiales } from '../../../src-server/seed/referenceLists';
import { messagesFor } from './helpers';

const THEMATIQUES = [
  { code: 'eau', libelle: 'Eau et assainissement', retiree: false },
  { code: 'sport', libelle: 'Sport', retiree: true },
  { code: 'autre', libelle: 'Autre', retiree: false },
  { code: 'culture', libelle: 'Culture et patrimoine', retiree: false },
];
const lists = entityDef('ficheProjet').lists!;
const errors = (rec: Record<string, unknown>, written: readonly string[] | 'all', before?: Record<string, unknown>) =>
  listErrors(lists, rec, written, () => THEMATIQUES, before);

describe('the list rule of a write', () => {
  it('accepts current entries and refuses a code of no entry', () => {
    expect(errors({ thematiques: ['eau', 'culture'] }, 'all')).toEqual([]);
    expect(errors({ thematiques: ['eau', 'astrologie'] }, 'all')).toEqual([
      {
        field: 'thematiques',
        reason: 'unknown',
        message: "« Thématiques d'intervention » : choisissez une valeur de la liste.",
      },
    ]);
  });
  it('a retired entry: refused on a new record and where the write brings it in, kept where the record had it', () => {
    expect(errors({ thematiques: ['sport'] }, 'all')).toEqual([
      {
        field: 'thematiques',
        reason: 'retired',
        message: "« Thématiques d'intervention » : « Sport » a été retiré de la liste ; choisissez une autre valeur.",
      },
    ]);
    expect(errors({ thematiques: ['eau', 'sport'] }, ['thematiques'], { thematiques: ['eau'] })).toHaveLength(1);
    expect(errors({ thematiques: ['sport', 'eau'] }, ['thematiques'], { thematiques: ['sport'] })).toEqual([]);
  });
  it('checks only the fields a write sets (an old record stays editable otherwise)', () => {
    expect(errors({ thematiques: ['astrologie'], intitule: 'x' }, ['intitule'])).toEqual([]);
  });
  it('réseaux: the adhésion’s one code, null for a free name', () => {
    const reseaux = [{ code: 'cuf', libelle: 'Cités Unies France', retiree: false }];
    const check = (reseauCode: string | null) =>
      listErrors(entityDef('adhesion').lists!, { reseauCode }, 'all', () => reseaux);
    expect(check('cuf')).toEqual([]);
    expect(check(null)).toEqual([]);
    expect(check('inconnu').map((e) => e.message)).toEqual(['« Réseau » : choisissez une valeur de la liste.']);
  });
});

describe('what forms and screens show of a list', () => {
  it('the current entries by label, « Autre » last, plus the retired ones the record names, marked', () => {
    expect(choicesFor(THEMATIQUES).map((c) => c.label)).toEqual([
      'Culture et patrimoine',
      'Eau et assainissement',
      'Autre',
    ]);
    expect(choicesFor(THEMATIQUES, ['sport'])).toContainEqual({ value: 'sport', label: 'Sport (retiré)' });
    // A code this device does not know yet is shown as it is, never dropped from the record.
    expect(choicesFor(THEMATIQUES, ['nouvelle'])).toContainEqual({ value: 'nouvelle', label: 'nouvelle' });
    expect(sortEntries(THEMATIQUES).map((e) => e.code)).toEqual(['culture', 'eau', 'sport', 'autre']);
    expect(libelleAffiche(THEMATIQUES, 'sport')).toBe('Sport (retiré)');
    expect(libelleAffiche(THEMATIQUES, 'eau')).toBe('Eau et assainissement');
  });
  it('a code derived from a label: lower case, no accent, « _ » between words', () => {
    expect(codeFromLabel('Égalité femmes-hommes')).toBe('egalite_femmes_hommes');
    expect(codeFromLabel('  Cœur de ville ')).toBe('coeur_de_ville');
    expect(codeFromLabel('x'.repeat(60))).toHaveLength(40);
    for (const l of ['Tourisme solidaire', 'Réseau d’Île-de-France', 'Santé (2026)'])
      expect(entreeReferenceSchema.shape.code.safeParse(codeFromLabel(l)).success).toBe(true);
  });
});

describe('the entity', () => {
  it('national, natural key (liste, code), the DAECT only, never deleted', () => {
    expect(REGISTRY.entreeReference).toMatchObject({
      scope: 'national',
      naturalKey: ['liste', 'code'],
      writeRoles: ['daect'],
      deletable: false,
    });
  });
  it('a code of lower-case letters, digits and « _ »; a label; a région for a regional network', () => {
    const ok = {
      id: naturalId('entreeReference', ['reseau', 'x']),
      liste: 'reseau',
      code: 'x',
      libelle: 'X',
      region: '53',
      retiree: false,
    };
    expect(entreeReferenceSchema.parse(ok).region).toBe('53');
    expect(messagesFor(entreeReferenceSchema, { ...ok, code: 'Eau potable' }, 'code')).toEqual([
      '« Code » : lettres minuscules sans accent, chiffres et « _ » seulement, en commençant par une lettre ou un chiffre.',
    ]);
    expect(messagesFor(entreeReferenceSchema, { ...ok, libelle: ' ' }, 'libelle')).toEqual([
      '« Libellé » est obligatoire.',
    ]);
    expect(messagesFor(entreeReferenceSchema, { ...ok, liste: 'pays' }, 'liste')).toEqual([
      '« Liste » : choisissez une valeur de la liste.',
    ]);
  });
  it('the initial entries are valid records with their natural-key ids', () => {
    for (const liste of ['thematique', 'reseau'] as const)
      for (const e of entreesInitiales(liste)) {
        expect(entreeReferenceSchema.safeParse(e).success).toBe(true);
        expect(e.id).toBe(naturalId('entreeReference', [liste, e.code]));
      }
  });
});
