// Ids and the field-level three-way merge shared by server and device.
import fc from 'fast-check';
import { validate as uuidValidate, version as uuidVersion } from 'uuid';
import { describe, expect, it } from 'vitest';
import { ATLAS_NAMESPACE, collectiviteId, naturalId, newId } from '../../../src-shared/sync/ids';
import {
  deleteVerdict,
  mergeCreateCollision,
  mergeField,
  mergeUpdate,
  sameValue,
  type StoredRecord,
} from '../../../src-shared/sync/merge';

describe('ids', () => {
  it('newId is a time-ordered UUIDv7, unique', () => {
    const ids = Array.from({ length: 1000 }, () => newId());
    expect(new Set(ids).size).toBe(1000);
    for (const id of ids.slice(0, 10)) {
      expect(uuidValidate(id)).toBe(true);
      expect(uuidVersion(id)).toBe(7);
    }
    expect([...ids].sort()).toEqual(ids);
  });
  it('naturalId is deterministic: two offline creations of the same APD year meet', () => {
    const c = collectiviteId('commune:69123');
    const a = naturalId('declarationApd', [c, 2024]);
    expect(naturalId('declarationApd', [c, 2024])).toBe(a);
    expect(uuidVersion(a)).toBe(5);
    expect(naturalId('declarationApd', [c, 2023])).not.toBe(a);
    expect(naturalId('attestationCampagne', [c, 2024])).not.toBe(a);
    expect(naturalId('declarationApd', [collectiviteId('commune:69266'), 2024])).not.toBe(a);
  });
  it('collectiviteId is stable across releases (pinned value)', () => {
    // Pinned: changing the namespace or the key format would orphan every stored collectivité.
    expect(ATLAS_NAMESPACE).toBe('6f1d8d2e-3c55-4a43-9d4e-0f2a7d1b5c90');
    expect(collectiviteId('commune:69123')).toBe(naturalId('collectivite', ['commune:69123']));
    expect(collectiviteId('commune:69123')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});

describe('sameValue', () => {
  it('compares JSON structurally', () => {
    expect(sameValue(['eau', 'sante'], ['eau', 'sante'])).toBe(true);
    expect(sameValue(['eau', 'sante'], ['sante', 'eau'])).toBe(false);
    expect(sameValue({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(sameValue({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(sameValue([1], { 0: 1 })).toBe(false);
    expect(sameValue(1, '1')).toBe(false);
  });
  it('treats undefined as null and ignores undefined keys', () => {
    expect(sameValue(undefined, null)).toBe(true);
    expect(sameValue({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(sameValue(null, 0)).toBe(false);
  });
  it('is reflexive and symmetric (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        expect(sameValue(a, structuredClone(a))).toBe(true);
        expect(sameValue(a, b)).toBe(sameValue(b, a));
      }),
    );
  });
});

const stored = (over: Partial<StoredRecord> = {}): StoredRecord => ({
  fields: { nom: 'Martin', courriel: 'a@ville.fr', telephone: null },
  fieldRevs: { nom: 10, courriel: 20, telephone: 5 },
  rev: 20,
  deleted: false,
  ...over,
});

describe('mergeField / mergeUpdate', () => {
  it('apply: nobody changed the field since the base', () => {
    expect(mergeField({ value: 'Martin', rev: 10 }, { value: 'Durand', base: 10 })).toBe('apply');
    expect(mergeField({ value: 'Martin', rev: 10 }, { value: 'Durand', base: 15 })).toBe('apply');
  });
  it('same: the field already holds the value, whatever the revisions', () => {
    expect(mergeField({ value: 'Durand', rev: 30 }, { value: 'Durand', base: 10 })).toBe('same');
  });
  it('conflict: changed elsewhere since the base, to another value', () => {
    expect(mergeField({ value: 'Dupont', rev: 30 }, { value: 'Durand', base: 10 })).toBe('conflict');
  });
  it('two devices editing different fields both win', () => {
    const r = mergeUpdate(stored(), {
      nom: { value: 'Durand', base: 10 },
      telephone: { value: '01 02 03 04 05', base: 5 },
    });
    expect(r).toEqual({ apply: { nom: 'Durand', telephone: '01 02 03 04 05' }, same: [], conflicts: [] });
  });
  it('the same field edited on both sides is a conflict that keeps the server value', () => {
    const r = mergeUpdate(stored(), { courriel: { value: 'b@ville.fr', base: 12 }, nom: { value: 'Martin', base: 1 } });
    expect(r.apply).toEqual({});
    expect(r.same).toEqual(['nom']);
    expect(r.conflicts).toEqual([{ field: 'courriel', serverValue: 'a@ville.fr', proposedValue: 'b@ville.fr' }]);
  });
  it('a field the record never had counts as null at revision 0', () => {
    expect(mergeUpdate(stored(), { civilite: { value: 'Mme', base: 0 } }).apply).toEqual({ civilite: 'Mme' });
    expect(mergeUpdate(stored(), { civilite: { value: null, base: 0 } }).same).toEqual(['civilite']);
  });
});

describe('mergeCreateCollision (natural key met)', () => {
  const existing = stored({ fields: { annee: 2024, commentaire: null, collectiviteId: 'c' } });
  it('equal fields merge, missing ones are filled', () => {
    const r = mergeCreateCollision(existing, { annee: 2024, commentaire: 'Premier envoi', collectiviteId: 'c' });
    expect(r).toEqual({ apply: { commentaire: 'Premier envoi' }, same: ['annee', 'collectiviteId'], conflicts: [] });
  });
  it('a proposed null never erases a value', () => {
    const r = mergeCreateCollision(stored(), { nom: 'Martin', courriel: null });
    expect(r).toEqual({ apply: {}, same: ['nom', 'courriel'], conflicts: [] });
  });
  it('different values are conflicts', () => {
    const r = mergeCreateCollision(stored(), { nom: 'Durand' });
    expect(r.conflicts).toEqual([{ field: 'nom', serverValue: 'Martin', proposedValue: 'Durand' }]);
  });
});

describe('deleteVerdict', () => {
  it('apply when nothing changed since the device saw the record', () => {
    expect(deleteVerdict(stored(), 20)).toBe('apply');
    expect(deleteVerdict(stored(), 25)).toBe('apply');
  });
  it('conflict when the record changed since (edit vs delete)', () => {
    expect(deleteVerdict(stored(), 19)).toBe('conflict');
  });
  it('same when already deleted', () => {
    expect(deleteVerdict(stored({ deleted: true }), 0)).toBe('same');
  });
});
