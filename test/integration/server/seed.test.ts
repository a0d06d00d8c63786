// The national demo data set: deterministic, at the 2015 circular's scale, valid against the schemas.
import { describe, expect, it } from 'vitest';
import { chooseEngaged, generate } from '../../../src-server/seed/generate';
import { NATIONAL } from '../../../src-server/seed';
import { loadOfficialCollectivites } from '../../../src-server/reference/officialCollectivites';
import { ENTITY_NAMES, entityDef } from '../../../src-shared/registry';
import { TERRITOIRES_FRANCAIS } from '../../../src-shared/reference/pays';

describe('national demo data', () => {
  const make = () =>
    generate({ ...NATIONAL, collectivites: chooseEngaged(loadOfficialCollectivites(), NATIONAL.collectivites) });

  it('is deterministic and at national scale', () => {
    const a = make();
    const b = make();
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a.collectivite).toHaveLength(4_787);
    expect(a.partenariat.filter((p) => p.nature === 'cooperation_decentralisee')).toHaveLength(8_674);
    expect(a.partenariat.filter((p) => p.nature === 'action_exterieure')).toHaveLength(753);
    expect(new Set(a.partenariat.map((p) => p.pays)).size).toBe(146);
    expect(a.ficheProjet).toHaveLength(12_756);
    expect(new Set(a.collectivite.map((c) => c.type)).size).toBeGreaterThanOrEqual(10);
    expect(new Set(a.collectivite.map((c) => c.region)).size).toBeGreaterThanOrEqual(18);
    expect(new Set(a.declarationApd.map((d) => d.annee)).size).toBeGreaterThanOrEqual(3);
    expect(a.partenariat.some((p) => String(p.nomPartenaire) === String(p.nomPartenaire).toUpperCase())).toBe(true);
    const top = ['SN', 'BF', 'ML', 'MG', 'MA', 'BJ', 'CM', 'HT', 'LB', 'VN', 'DE'];
    for (const c of top) expect(a.partenariat.filter((p) => p.pays === c).length).toBeGreaterThan(50);
    expect(a.campagne.map((c) => c.annee)).toContain(2026);
  });

  it('validates against the registry schemas', () => {
    const a = make();
    for (const e of ENTITY_NAMES) {
      const schema = entityDef(e).schema;
      for (const r of a[e]) expect(schema.safeParse(r).success).toBe(true);
    }
  });

  it('never names France or its territories as a partner country', () => {
    const a = make();
    expect(a.partenariat.filter((p) => TERRITOIRES_FRANCAIS.has(String(p.pays)))).toEqual([]);
    expect(a.ligneApd.filter((l) => TERRITOIRES_FRANCAIS.has(String(l.pays)))).toEqual([]);
  });

  it('gives each contact a civilité, a first name and a function that agree', () => {
    const a = make();
    const feminins = /^(Adjointe|Présidente|Vice-présidente|Conseillère|Chargée|Directrice)(?=\s|$)/;
    const masculins = /^(Adjoint|Président|Vice-président|Conseiller|Chargé|Directeur)(?=\s|$)/;
    for (const c of a.contact) {
      const f = String(c.fonction);
      if (c.civilite === 'Mme') expect(f, `${c.prenom} ${c.nom}`).not.toMatch(masculins);
      else expect(f, `${c.prenom} ${c.nom}`).not.toMatch(feminins);
    }
    const philippe = a.contact.filter((c) => c.prenom === 'Philippe');
    expect(philippe.length).toBeGreaterThan(0);
    expect(philippe.every((c) => c.civilite === 'M.')).toBe(true);
  });
});
