// The entity registry agrees with the schemas and the domain; reference lists are complete and French.
import { describe, expect, it } from 'vitest';
import {
  CATEGORIES_APD,
  ENTITY_NAMES,
  ENTITY_ORDER,
  FINANCEURS,
  MULTI_PAYS,
  ODD,
  PAYS,
  PAYS_CODES,
  REGISTRY,
  entityDef,
  entityFields,
  isEntityName,
  nomPays,
  scopeOf,
} from '../../../src-shared';
import { RESEAUX_INITIAUX, THEMATIQUES_INITIALES } from '../../../src-server/seed/referenceLists';

describe('entity registry', () => {
  it('covers the entities of the domain, each with its schema', () => {
    expect([...ENTITY_NAMES].sort()).toEqual(Object.keys(REGISTRY).sort());
    for (const name of ENTITY_NAMES) {
      expect(entityDef(name).name).toBe(name);
      expect(entityFields(name)).toContain('id');
    }
  });
  it('scoped entities carry a collectiviteId; the national ones do not', () => {
    for (const name of ENTITY_NAMES) {
      const def = entityDef(name);
      if (def.scope === 'collectivite' && name !== 'collectivite')
        expect(entityFields(name), name).toContain('collectiviteId');
      if (def.scope === 'national') expect(entityFields(name), name).not.toContain('collectiviteId');
    }
    expect(scopeOf('contact', { collectiviteId: 'c1' })).toBe('c1');
    expect(scopeOf('collectivite', { id: 'c1' })).toBe('c1');
    expect(scopeOf('campagne', { id: 'x' })).toBeNull();
  });
  it('parents, references and natural keys name real fields; parents come first in ENTITY_ORDER', () => {
    expect([...ENTITY_ORDER].sort()).toEqual([...ENTITY_NAMES].sort());
    for (const name of ENTITY_NAMES) {
      const def = entityDef(name);
      for (const k of def.naturalKey ?? []) expect(entityFields(name), `${name}.${k}`).toContain(k);
      for (const ref of [...(def.parent ? [def.parent] : []), ...(def.references ?? [])]) {
        expect(entityFields(name), `${name}.${ref.field}`).toContain(ref.field);
        expect(isEntityName(ref.entity)).toBe(true);
      }
      if (def.parent) expect(ENTITY_ORDER.indexOf(def.parent.entity)).toBeLessThan(ENTITY_ORDER.indexOf(name));
    }
  });
  it('natural keys: one APD declaration per collectivité and année, one attestation per part', () => {
    expect(entityDef('declarationApd').naturalKey).toEqual(['collectiviteId', 'annee']);
    expect(entityDef('attestationCampagne').naturalKey).toEqual(['collectiviteId', 'campagneId', 'partie']);
  });
  it('write roles follow the domain: avis by SGAR/DAECT, campagnes by DAECT, the rest by agents', () => {
    expect(entityDef('avis').writeRoles).toEqual(['sgar', 'daect']);
    expect(entityDef('avis').writeRoles).not.toContain('agent');
    expect(entityDef('campagne').writeRoles).toEqual(['daect']);
    for (const n of [
      'contact',
      'adhesion',
      'partenariat',
      'ficheProjet',
      'declarationApd',
      'ligneApd',
      'attestationCampagne',
    ] as const) {
      expect(entityDef(n).writeRoles, n).toContain('agent');
      expect(entityDef(n).writeRoles, n).not.toContain('sgar');
    }
  });
  it('contacts are personal data; identity fields of a collectivité are DAECT-only; it is not deletable', () => {
    expect(entityDef('contact').personalData).toBe(true);
    expect(entityDef('collectivite').daectOnlyFields).toEqual(expect.arrayContaining(['code', 'nom', 'type']));
    expect(entityDef('collectivite').deletable).toBe(false);
    expect(isEntityName('utilisateur')).toBe(false);
  });
});

describe('reference lists', () => {
  it('countries: ISO 3166-1 alpha-2 with French names, sorted in French', () => {
    expect(PAYS.length).toBeGreaterThanOrEqual(240);
    expect(PAYS_CODES.has('SN')).toBe(true);
    expect(nomPays('SN')).toBe('Sénégal');
    expect(nomPays('DE')).toBe('Allemagne');
    expect(nomPays(MULTI_PAYS)).toBe('Multi-pays');
    for (const p of PAYS) expect(p.code).toMatch(/^[A-Z]{2}$/);
    const names = PAYS.map((p) => p.nom);
    expect([...names].sort((a, b) => a.localeCompare(b, 'fr'))).toEqual(names);
  });
  // The thématiques and réseaux are the DAECT's synced lists since issue 15; their initial entries are the
  // server's seed (src-server/seed/referenceLists.ts).
  it('thématiques of the domain, including the largest by amount and « Autre »', () => {
    const labels = THEMATIQUES_INITIALES.map((t) => t.libelle);
    for (const l of [
      'Eau et assainissement',
      'Santé',
      'Éducation et formation',
      'Appui institutionnel et gouvernance locale',
      'Autre',
    ])
      expect(labels).toContain(l);
    expect(new Set(THEMATIQUES_INITIALES.map((t) => t.code)).size).toBe(THEMATIQUES_INITIALES.length);
  });
  it('réseaux: the national ones and one RRMA per metropolitan région at most', () => {
    const labels = RESEAUX_INITIAUX.map((r) => r.libelle).join(' | ');
    for (const n of ['Cités Unies France', 'AFCCRE', 'CGLU', 'AIMF', 'PLATFORMA']) expect(labels).toContain(n);
    const regions = RESEAUX_INITIAUX.filter((r) => r.region).map((r) => r.region);
    expect(regions.length).toBeGreaterThan(10);
    expect(new Set(regions).size).toBe(regions.length);
  });
  it('financeurs, catégories APD and the 17 ODD', () => {
    expect(FINANCEURS.map((f) => f.code)).toEqual(
      expect.arrayContaining(['meae_daect', 'afd', 'ue', 'region', 'departement', 'agence_eau', 'autre']),
    );
    expect(CATEGORIES_APD).toHaveLength(10);
    expect(ODD.map((o) => o.numero)).toEqual(Array.from({ length: 17 }, (_, i) => i + 1));
  });
});
