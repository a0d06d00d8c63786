// The official register (loaded from @etalab/decoupage-administratif by module path) and its
// search index: sizes, special cases, and how users actually type.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadOfficialCollectivites } from '../../../src-server/reference/officialCollectivites';
import { createCollectiviteIndex, type CollectiviteIndex } from '../../../src-shared/reference/collectivites/index';
import { foldText, tokenize } from '../../../src-shared/reference/collectivites/normalize';
import type { OfficialCollectivite } from '../../../src-shared/reference/collectivites/types';

let list: OfficialCollectivite[];
let index: CollectiviteIndex;
const count = (type: string) => list.filter((c) => c.type === type).length;
const first = (q: string) => index.search(q, 5)[0];
const names = (q: string, n = 5) => index.search(q, n).map((h) => h.nom);

beforeAll(() => {
  list = loadOfficialCollectivites();
  index = createCollectiviteIndex(list);
});

describe('official register', () => {
  it('is cached', () => {
    expect(loadOfficialCollectivites()).toBe(list);
  });
  it('has plausible sizes', () => {
    expect(count('commune')).toBeGreaterThan(34_800);
    expect(count('commune')).toBeLessThan(35_100);
    const epci = count('epci_cc') + count('epci_ca') + count('epci_cu') + count('metropole') + count('met69');
    expect(epci).toBeGreaterThan(1_200);
    expect(epci).toBeLessThan(1_300);
    expect(count('ept')).toBe(11);
    expect(count('met69')).toBe(1);
    // 101 départements minus those merged into a special-status collectivité (2A, 2B, 67, 68, 75, 972, 973, 976).
    expect(count('departement')).toBe(93);
    // 18 régions minus Corse, Martinique, Guyane, Mayotte (each one collectivité with its département).
    expect(count('region')).toBe(14);
    expect(count('statut_particulier')).toBe(6);
    expect(count('com')).toBe(6);
    expect(index.size).toBe(list.length);
  });
  it('codes are unique and well-formed', () => {
    expect(new Set(list.map((c) => c.code)).size).toBe(list.length);
    for (const c of list) expect(c.code).toMatch(/^(commune|epci|ept|dep|reg|csp|com):[0-9A-Z]+$/);
  });
  it('holds the special-status collectivités once, replacing the entries they merged', () => {
    const byCode = (code: string) => index.byCode(code);
    expect(byCode('csp:20R')?.nom).toBe('Collectivité de Corse');
    expect(byCode('csp:6AE')?.nom).toBe("Collectivité européenne d'Alsace");
    expect(byCode('csp:75C')).toMatchObject({
      nom: 'Ville de Paris',
      codeInsee: '75056',
      siren: '217500016',
      departement: '75',
      region: '11',
    });
    expect(byCode('csp:972')).toMatchObject({ type: 'statut_particulier', departement: '972', region: '02' });
    expect(byCode('csp:973')).toMatchObject({ type: 'statut_particulier', departement: '973', region: '03' });
    expect(byCode('csp:976')).toMatchObject({ type: 'statut_particulier', departement: '976', region: '06' });
    expect(byCode('epci:200046977')).toMatchObject({
      nom: 'Métropole de Lyon',
      type: 'met69',
      departement: '69',
      region: '84',
    });
    for (const gone of [
      'dep:2A',
      'dep:2B',
      'dep:67',
      'dep:68',
      'dep:75',
      'dep:972',
      'reg:94',
      'reg:02',
      'commune:75056',
    ]) {
      expect(byCode(gone), gone).toBeUndefined();
    }
    expect(list.filter((c) => c.nom === 'Métropole de Lyon')).toHaveLength(1);
  });
  it('holds the six COM, outside any région', () => {
    for (const code of ['975', '977', '978', '986', '987', '988']) {
      expect(index.byCode(`com:${code}`), code).toMatchObject({ type: 'com', departement: code, region: null });
    }
    expect(index.byCode('com:984')).toBeUndefined();
    expect(index.byCode('commune:97701')).toBeUndefined();
  });
  it('routes every collectivité outside the COM to a région (its SGAR)', () => {
    const comDeps = new Set(['975', '977', '978', '986', '987', '988']);
    for (const c of list) {
      if (c.type === 'com' || (c.departement && comDeps.has(c.departement))) continue;
      expect(c.region, c.code).toMatch(/^\d{2}$/);
    }
    for (const c of list.filter((x) => x.type.startsWith('epci') || x.type === 'metropole' || x.type === 'ept')) {
      expect(c.departement, c.code).not.toBeNull();
    }
  });
  it('maps the raw fields: Lyon', () => {
    expect(index.byCode('commune:69123')).toEqual({
      code: 'commune:69123',
      nom: 'Lyon',
      type: 'commune',
      codeInsee: '69123',
      siren: '216901231',
      codesPostaux: expect.arrayContaining(['69001', '69009']),
      departement: '69',
      region: '84',
      population: expect.any(Number),
    });
  });
});

describe('search on the real register', () => {
  it('accents, case and hyphens do not matter', () => {
    expect(first('saint-étienne')?.code).toBe('commune:42218');
    expect(first('SAINT ETIENNE')?.code).toBe('commune:42218');
    expect(first('Épinay sur Seine')?.nom).toBe('Épinay-sur-Seine');
    expect(first('epinay sur seine')?.nom).toBe('Épinay-sur-Seine');
  });
  it('abbreviations and word order', () => {
    expect(first('st etienne')?.code).toBe('commune:42218');
    expect(first('etienne saint')?.code).toBe('commune:42218');
    expect(first('ste foy les lyon')?.nom).toBe('Sainte-Foy-lès-Lyon');
    expect(first('metropole lyon')?.code).toBe('epci:200046977');
    expect(first('lyon metropole')?.code).toBe('epci:200046977');
  });
  it('prefixes while typing', () => {
    expect(names('strasb')).toContain('Strasbourg');
    expect(first('strasb')?.nom).toBe('Strasbourg');
    expect(first('montp')?.nom).toBe('Montpellier');
    expect(first('nouvelle cal')?.code).toBe('com:988');
  });
  it('exact name first, then larger population among equals', () => {
    expect(first('Lyon')?.code).toBe('commune:69123');
    expect(names('Lyon', 2)).toEqual(['Lyon', 'Métropole de Lyon']);
    expect(first('Paris')?.code).toBe('csp:75C');
    expect(first('Bourg')?.nom).toBe('Bourg');
  });
  it('homonyms are told apart by their département', () => {
    const hits = index.search('Saint-Denis', 10).filter((h) => h.nom === 'Saint-Denis');
    expect(hits.length).toBeGreaterThanOrEqual(3);
    expect(new Set(hits.map((h) => h.departement)).size).toBe(hits.length);
    expect(first('saint denis 93')).toMatchObject({ nom: 'Saint-Denis', departement: '93' });
    expect(first('saint denis 974')).toMatchObject({ nom: 'Saint-Denis', departement: '974' });
  });
  it('code INSEE, SIREN, SIRET, code postal, département', () => {
    expect(first('69123')?.nom).toBe('Lyon');
    expect(first('2A004')?.nom).toBe('Ajaccio');
    expect(first('216901231')?.nom).toBe('Lyon');
    expect(first('216 901 231')?.nom).toBe('Lyon');
    expect(first('21690123100017')?.nom).toBe('Lyon');
    expect(first('200046977')?.nom).toBe('Métropole de Lyon');
    expect(names('69003', 3)).toContain('Lyon');
    expect(first('42000')?.nom).toBe('Saint-Étienne');
    expect(first('69')?.nom).toBe('Rhône');
    expect(first('75011')?.code).toBe('csp:75C');
  });
  it('special status and COM are found by name', () => {
    expect(first('corse')?.code).toBe('csp:20R');
    expect(first('alsace')?.code).toBe('csp:6AE');
    expect(first('martinique')?.code).toBe('csp:972');
    expect(first('guyane')?.code).toBe('csp:973');
    expect(first('mayotte')?.code).toBe('csp:976');
    expect(first('polynesie')?.code).toBe('com:987');
    expect(first('wallis')?.code).toBe('com:986');
    expect(first('saint barthelemy')?.code).toBe('com:977');
  });
  it('very broad queries still answer, with large places first', () => {
    const hits = index.search('s', 10);
    expect(hits).toHaveLength(10);
    for (const h of hits)
      expect(tokenize(h.nom).some((t) => t.startsWith('s')) || h.codeInsee?.toLowerCase().startsWith('s')).toBe(true);
    expect(hits.map((h) => h.nom)).toContain('Strasbourg');
  });
});

describe('index on a small list (pure, no Node)', () => {
  const mk = (
    code: string,
    nom: string,
    population: number,
    departement = '01',
    extra: Partial<OfficialCollectivite> = {},
  ): OfficialCollectivite => ({
    code,
    nom,
    type: 'commune',
    codeInsee: code.split(':')[1]!,
    siren: null,
    codesPostaux: [],
    departement,
    region: '84',
    population,
    ...extra,
  });
  const small = createCollectiviteIndex([
    mk('commune:01001', 'Villeneuve', 500, '01'),
    mk('commune:04001', 'Villeneuve', 4000, '04'),
    mk('commune:01002', 'Villeneuve-sur-Lot', 20000, '47'),
    mk('commune:01003', 'Neuville', 100000, '01'),
    mk('commune:01004', 'Œuilly', 300, '02', { codesPostaux: ['02160'], siren: '210200012' }),
  ]);
  it('exact name beats prefix even against population; homonyms by population', () => {
    expect(small.search('villeneuve').map((h) => h.code)).toEqual(['commune:04001', 'commune:01001', 'commune:01002']);
  });
  it('ligatures fold (œ → oe), codes match exactly or by postal prefix', () => {
    expect(small.search('oeuilly')[0]?.code).toBe('commune:01004');
    expect(small.search('Œuilly')[0]?.code).toBe('commune:01004');
    expect(small.search('0216')[0]?.code).toBe('commune:01004');
    expect(small.search('210200012')[0]?.code).toBe('commune:01004');
  });
  it('limit, empty and garbage queries', () => {
    expect(small.search('villeneuve', 1)).toHaveLength(1);
    expect(small.search('')).toEqual([]);
    expect(small.search("   -- '' ")).toEqual([]);
    expect(small.search('zzz')).toEqual([]);
    expect(small.search('<script>alert(1)</script>')).toEqual([]);
    expect(small.search('villeneuve '.repeat(1000))).toHaveLength(3);
    expect(small.search(undefined as unknown as string)).toEqual([]);
    expect(small.search('villeneuve', Number.NaN)).toHaveLength(3);
  });
  it('every query word must match (AND), in any order', () => {
    expect(small.search('lot villeneuve').map((h) => h.code)).toEqual(['commune:01002']);
    expect(small.search('villeneuve paris')).toEqual([]);
  });
  it('hits carry what a picker shows, not the population', () => {
    expect(Object.keys(small.search('neuville')[0]!).sort()).toEqual([
      'code',
      'codeInsee',
      'codesPostaux',
      'departement',
      'nom',
      'region',
      'siren',
      'type',
    ]);
  });
  it('byCode and size', () => {
    expect(small.byCode('commune:01003')?.nom).toBe('Neuville');
    expect(small.byCode('commune:99999')).toBeUndefined();
    expect(small.size).toBe(5);
  });
  it('foldText normalises like the index', () => {
    expect(foldText("  L'Haÿ-les-Roses ")).toBe('l hay les roses');
    expect(tokenize('St-Étienne-du-Rouvray')).toEqual(['saint', 'etienne', 'du', 'rouvray']);
    // Combining accents typed separately, compatibility forms, letters NFD leaves alone.
    expect(foldText('Ore\u0301e')).toBe('oree');
    expect(foldText('Ｌｙｏｎ')).toBe('lyon');
    expect(foldText('Ærø Straße')).toBe('aero strasse');
  });
});

describe('register edition', () => {
  it('names the package version it was built from', async () => {
    const { officialRegisterVersion } = await import('../../../src-server/reference/officialCollectivites');
    expect(officialRegisterVersion()).toMatch(/^@etalab\/decoupage-administratif \d+\.\d+\.\d+/);
  });
});

describe('broad multi-word queries', () => {
  it('return full matches only, up to the limit', () => {
    const hits = index.search('s b', 20);
    expect(hits).toHaveLength(20);
    for (const h of hits) {
      const t = [
        ...tokenize(h.nom),
        ...(h.codeInsee ? [h.codeInsee.toLowerCase()] : []),
        ...(h.departement ? [h.departement.toLowerCase()] : []),
        ...h.codesPostaux,
      ];
      expect(t.some((x) => x.startsWith('s')) && t.some((x) => x.startsWith('b')), h.nom).toBe(true);
    }
  });
});
