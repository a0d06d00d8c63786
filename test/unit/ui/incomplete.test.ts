// A record missing fields a screen expects: the screen says which, sorts never throw.
import { describe, expect, it } from 'vitest';
import { compareFr, incompleteFields } from '../../../src-renderer/ui/incomplete';
import { nomPays } from '../../../src-shared/reference/pays';
import { COLL, contactFields, partenariatFields } from '../renderer/fixtures';

describe('incomplete records', () => {
  it('names the required fields a partial record lacks, and nothing for a whole one', () => {
    const id = '01a23000-0000-7000-8000-000000000001';
    expect(incompleteFields('contact', { id, ...contactFields() })).toEqual([]);
    // What the multi-page bug stored: a partenariat with only its statut.
    const partial = { id, collectiviteId: COLL, statut: 'active' };
    const missing = incompleteFields('partenariat', partial);
    expect(missing).toEqual(expect.arrayContaining(['Pays', 'Nature']));
    expect(missing.some((l) => /partenaire/i.test(l))).toBe(true);
    expect(incompleteFields('partenariat', { id, ...partenariatFields(), nomPartenaire: '' })).toEqual([]);
  });

  it('sorts and names tolerate missing values', () => {
    const rows = [{ nom: 'Brest' }, { nom: undefined }, { nom: 'Auray' }] as { nom?: string }[];
    expect(rows.sort((a, b) => compareFr(a.nom, b.nom)).map((r) => r.nom)).toEqual([undefined, 'Auray', 'Brest']);
    expect(nomPays(undefined)).toBe('Pays inconnu');
    expect(nomPays('NE')).toBe('Niger');
  });
});
