// Node loader of the official register of collectivités (@etalab/decoupage-administratif).
// The package's own index.js reads `./data` relative to the working directory, which breaks
// inside a packaged app or when the server starts elsewhere: we resolve each JSON file by
// module path instead.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { OfficialCollectivite } from '../../src-shared/reference/collectivites/types';
import type { CollectiviteType } from '../../src-shared/domain/collectivite';

const require = createRequire(import.meta.url);

interface RawCommune {
  code: string;
  nom: string;
  type: string;
  zone?: string;
  departement?: string;
  region?: string;
  siren?: string;
  codesPostaux?: string[];
  population?: number;
}
interface RawMembre {
  code: string;
  siren?: string;
  nom: string;
  populationMunicipale?: number;
}
interface RawGroupement {
  code: string;
  nom: string;
  type: string;
  populationMunicipale?: number;
  membres: RawMembre[];
}
interface RawDepartement {
  code: string;
  nom: string;
  region: string;
  zone: string;
}
interface RawRegion {
  code: string;
  nom: string;
  zone: string;
}

function readData<T>(file: string): T[] {
  const path = require.resolve(`@etalab/decoupage-administratif/data/${file}.json`);
  const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (!Array.isArray(parsed)) throw new Error(`Fichier de référence illisible : ${file}.json`);
  return parsed as T[];
}

const EPCI_TYPES: Record<string, CollectiviteType> = {
  CC: 'epci_cc',
  CA: 'epci_ca',
  CU: 'epci_cu',
  METRO: 'metropole',
  MET69: 'met69',
};

/** The six collectivités d'outre-mer of the Atlas (984 TAAF and 989 Clipperton have no local authority). */
const COM_CODES = ['975', '977', '978', '986', '987', '988'] as const;
const NO_LOCAL_AUTHORITY = new Set(['984', '989']);
/** Saint-Barthélemy and Saint-Martin are one collectivité each, listed by INSEE as a single commune too. */
const COM_SINGLE_COMMUNE: Record<string, string> = { '977': '97701', '978': '97801' };

/**
 * Special-status collectivités (statut particulier). Each replaces the register entries that
 * describe the same legal person, so one collectivité appears once in search and in the seed:
 * - Collectivité de Corse (since 2018) replaces the région 94 and the départements 2A, 2B;
 * - Collectivité européenne d'Alsace (since 2021) replaces the départements 67 and 68;
 * - Ville de Paris (since 2019) replaces the commune 75056 and the département 75;
 * - Martinique and Guyane (collectivités territoriales uniques, 2015) replace their région and département;
 * - Mayotte (département exercising regional powers) replaces its région and département.
 * The Métropole de Lyon is already in the EPCI file (type MET69) and keeps the `met69` type.
 * Codes are INSEE's codes of collectivités with departmental powers (COG).
 */
interface SpecialStatus {
  code: string;
  nom: string;
  departement: string | null;
  region: string;
  /** Commune whose INSEE code, SIREN, postal codes and population it takes over. */
  fromCommune?: string;
  replaces: { departements: string[]; regions: string[]; communes: string[] };
}
const SPECIAL_STATUS: SpecialStatus[] = [
  {
    code: '20R',
    nom: 'Collectivité de Corse',
    departement: null,
    region: '94',
    replaces: { departements: ['2A', '2B'], regions: ['94'], communes: [] },
  },
  {
    code: '6AE',
    nom: "Collectivité européenne d'Alsace",
    departement: '67',
    region: '44',
    replaces: { departements: ['67', '68'], regions: [], communes: [] },
  },
  {
    code: '75C',
    nom: 'Ville de Paris',
    departement: '75',
    region: '11',
    fromCommune: '75056',
    replaces: { departements: ['75'], regions: [], communes: ['75056'] },
  },
  {
    code: '972',
    nom: 'Collectivité territoriale de Martinique',
    departement: '972',
    region: '02',
    replaces: { departements: ['972'], regions: ['02'], communes: [] },
  },
  {
    code: '973',
    nom: 'Collectivité territoriale de Guyane',
    departement: '973',
    region: '03',
    replaces: { departements: ['973'], regions: ['03'], communes: [] },
  },
  {
    code: '976',
    nom: 'Département de Mayotte',
    departement: '976',
    region: '06',
    replaces: { departements: ['976'], regions: ['06'], communes: [] },
  },
];

let cache: OfficialCollectivite[] | undefined;

/** Which edition of the register the list comes from (shown with the reference data's version). */
export function officialRegisterVersion(): string {
  const pkg: unknown = JSON.parse(
    readFileSync(require.resolve('@etalab/decoupage-administratif/package.json'), 'utf8'),
  );
  const version = typeof pkg === 'object' && pkg !== null && 'version' in pkg ? String(pkg.version) : 'inconnue';
  return `@etalab/decoupage-administratif ${version}`;
}

/** Every collectivité of the official register, built once per process. */
export function loadOfficialCollectivites(): OfficialCollectivite[] {
  cache ??= build();
  return cache;
}

function build(): OfficialCollectivite[] {
  const communes = readData<RawCommune>('communes').filter((c) => c.type === 'commune-actuelle');
  const epci = readData<RawGroupement>('epci');
  const ept = readData<RawGroupement>('ept');
  const departements = readData<RawDepartement>('departements');
  const regions = readData<RawRegion>('regions');

  const replacedDeps = new Set(SPECIAL_STATUS.flatMap((s) => s.replaces.departements));
  const replacedRegs = new Set(SPECIAL_STATUS.flatMap((s) => s.replaces.regions));
  const replacedCommunes = new Set([
    ...SPECIAL_STATUS.flatMap((s) => s.replaces.communes),
    ...Object.values(COM_SINGLE_COMMUNE),
  ]);
  const comCodes = new Set<string>(COM_CODES);
  const communeByCode = new Map(communes.map((c) => [c.code, c]));
  const regionOfDep = new Map(departements.map((d) => [d.code, d.region]));

  // Population sums give départements and régions a rank among homonyms (e.g. "Paris", "Guyane").
  const popByDep = new Map<string, number>();
  const popByReg = new Map<string, number>();
  for (const c of communes) {
    if (c.departement) popByDep.set(c.departement, (popByDep.get(c.departement) ?? 0) + (c.population ?? 0));
    if (c.region) popByReg.set(c.region, (popByReg.get(c.region) ?? 0) + (c.population ?? 0));
  }

  const out: OfficialCollectivite[] = [];

  for (const c of communes) {
    if (replacedCommunes.has(c.code)) continue;
    // TAAF districts and Clipperton are listed by INSEE but have no local authority.
    if (c.departement && NO_LOCAL_AUTHORITY.has(c.departement)) continue;
    const isCom = c.zone === 'com';
    out.push({
      code: `commune:${c.code}`,
      nom: c.nom,
      type: 'commune',
      codeInsee: c.code,
      siren: c.siren ?? null,
      codesPostaux: c.codesPostaux ?? [],
      departement: c.departement ?? null,
      // A COM lies outside any région: no SGAR, the national team handles it.
      region: isCom ? null : (c.region ?? null),
      population: c.population ?? null,
    });
  }

  const groupement = (g: RawGroupement, type: CollectiviteType, prefix: 'epci' | 'ept'): OfficialCollectivite => {
    // The département holding most of the members' population routes the groupement to its SGAR.
    const weight = new Map<string, number>();
    for (const m of g.membres) {
      const commune = communeByCode.get(m.code);
      const dep = commune?.departement;
      if (dep) weight.set(dep, (weight.get(dep) ?? 0) + (m.populationMunicipale ?? commune.population ?? 0) + 1);
    }
    let departement: string | null = null;
    let best = -1;
    for (const [dep, w] of weight)
      if (w > best) {
        best = w;
        departement = dep;
      }
    return {
      code: `${prefix}:${g.code}`,
      nom: g.nom,
      type,
      codeInsee: null,
      siren: g.code,
      codesPostaux: [],
      departement,
      region: departement ? (regionOfDep.get(departement) ?? null) : null,
      population: g.populationMunicipale ?? null,
    };
  };

  for (const g of epci) {
    const type = EPCI_TYPES[g.type];
    if (!type) continue;
    out.push(groupement(g, type, 'epci'));
  }
  for (const g of ept) out.push(groupement(g, 'ept', 'ept'));

  for (const d of departements) {
    if (d.zone === 'com' || replacedDeps.has(d.code)) continue;
    out.push({
      code: `dep:${d.code}`,
      nom: d.nom,
      type: 'departement',
      codeInsee: d.code,
      siren: null,
      codesPostaux: [],
      departement: d.code,
      region: d.region,
      population: popByDep.get(d.code) ?? null,
    });
  }
  for (const r of regions) {
    if (r.zone === 'com' || replacedRegs.has(r.code)) continue;
    out.push({
      code: `reg:${r.code}`,
      nom: r.nom,
      type: 'region',
      codeInsee: r.code,
      siren: null,
      codesPostaux: [],
      departement: null,
      region: r.code,
      population: popByReg.get(r.code) ?? null,
    });
  }

  for (const s of SPECIAL_STATUS) {
    const commune = s.fromCommune ? communeByCode.get(s.fromCommune) : undefined;
    const population =
      commune?.population ?? s.replaces.departements.reduce((sum, d) => sum + (popByDep.get(d) ?? 0), 0);
    out.push({
      code: `csp:${s.code}`,
      nom: s.nom,
      type: 'statut_particulier',
      codeInsee: commune?.code ?? s.code,
      siren: commune?.siren ?? null,
      codesPostaux: commune?.codesPostaux ?? [],
      departement: s.departement,
      region: s.region,
      population: population || null,
    });
  }

  const regionNames = new Map(regions.map((r) => [r.code, r.nom]));
  for (const code of comCodes) {
    const nom = regionNames.get(code);
    if (!nom) continue;
    const single = COM_SINGLE_COMMUNE[code];
    const commune = single ? communeByCode.get(single) : undefined;
    const postaux = new Set<string>();
    let population = 0;
    for (const c of communes) {
      if (c.departement !== code) continue;
      population += c.population ?? 0;
      for (const cp of c.codesPostaux ?? []) postaux.add(cp);
    }
    out.push({
      code: `com:${code}`,
      nom,
      type: 'com',
      codeInsee: commune?.code ?? code,
      siren: commune?.siren ?? null,
      codesPostaux: [...postaux].sort(),
      departement: code,
      region: null,
      population: population || null,
    });
  }

  return out;
}
