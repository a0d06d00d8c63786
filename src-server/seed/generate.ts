// Deterministic demo data (seeded PRNG): collectivités engagées, partners in a realistic spread of
// countries, fiches-projets, contacts, adhésions, APD declarations, campaigns and attestations.
import type { OfficialCollectivite } from '../../src-shared/reference/collectivites/types';
import { collectiviteId, naturalId } from '../../src-shared/sync/ids';
import { v5 as uuidv5 } from 'uuid';

type Rec = Record<string, unknown>;

export interface DemoData {
  campagne: Rec[];
  collectivite: Rec[];
  contact: Rec[];
  adhesion: Rec[];
  partenariat: Rec[];
  ficheProjet: Rec[];
  declarationApd: Rec[];
  ligneApd: Rec[];
  avis: Rec[];
  attestationCampagne: Rec[];
  /** None: the server inserts the reference lists' initial entries itself at start (seed/referenceLists.ts). */
  entreeReference: Rec[];
}

/** mulberry32: small, fast, deterministic. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(arr: readonly T[]): T => arr[Math.floor(next() * arr.length)]!,
    chance: (p: number) => next() < p,
  };
}
type Rng = ReturnType<typeof prng>;

const SEED_NS = '0c8f4f1e-5b7a-4c1d-9a0e-3d2b6f8e7a11';
/** Deterministic record id (the same data set gives the same ids on every run). */
const did = (kind: string, n: number | string) => uuidv5(`${kind}:${n}`, SEED_NS);

/** Country weights: the Atlas's main partners (Sahel, Maghreb, Madagascar…) and European twinnings. */
const COUNTRIES: [string, number, string[]][] = [
  ['SN', 60, ['Dakar', 'Saint-Louis', 'Thiès', 'Ziguinchor', 'Podor', 'Matam', 'Kaolack', 'Louga']],
  ['BF', 55, ['Ouagadougou', 'Bobo-Dioulasso', 'Koudougou', 'Ouahigouya', 'Fada N’Gourma', 'Kaya', 'Dori']],
  ['ML', 40, ['Bamako', 'Kayes', 'Ségou', 'Mopti', 'Sikasso', 'Tombouctou', 'Kita']],
  ['MG', 35, ['Antananarivo', 'Mahajanga', 'Fianarantsoa', 'Toamasina', 'Antsirabe', 'Diego-Suarez']],
  ['MA', 40, ['Kénitra', 'Marrakech', 'Agadir', 'Fès', 'Meknès', 'Tanger', 'Oujda', 'Essaouira']],
  ['BJ', 35, ['Cotonou', 'Porto-Novo', 'Abomey', 'Parakou', 'Ouidah', 'Bohicon', 'Natitingou']],
  ['CM', 25, ['Douala', 'Yaoundé', 'Bafoussam', 'Dschang', 'Garoua', 'Kribi']],
  ['HT', 20, ['Jacmel', 'Les Cayes', 'Cap-Haïtien', 'Jérémie', 'Gonaïves']],
  ['LB', 15, ['Byblos', 'Tripoli', 'Saïda', 'Zahlé', 'Tyr']],
  ['VN', 18, ['Hué', 'Hanoï', 'Da Nang', 'Hô Chi Minh-Ville', 'Haïphong']],
  ['TN', 22, ['Sousse', 'Sfax', 'Monastir', 'Bizerte', 'Kairouan']],
  ['DZ', 12, ['Oran', 'Tlemcen', 'Constantine', 'Béjaïa']],
  ['NE', 18, ['Niamey', 'Zinder', 'Maradi', 'Agadez', 'Tahoua']],
  ['MR', 12, ['Nouakchott', 'Rosso', 'Kaédi', 'Atar']],
  ['TG', 14, ['Lomé', 'Kpalimé', 'Sokodé', 'Atakpamé']],
  ['CI', 16, ['Abidjan', 'Bouaké', 'Yamoussoukro', 'Korhogo', 'Man']],
  ['PS', 10, ['Naplouse', 'Hébron', 'Bethléem', 'Jéricho', 'Ramallah']],
  ['CN', 10, ['Wuhan', 'Chengdu', 'Xi’an', 'Shanghai']],
  ['JP', 6, ['Kyoto', 'Sendai', 'Niigata']],
  ['BR', 8, ['Curitiba', 'Porto Alegre', 'Belo Horizonte']],
  ['CA', 10, ['Québec', 'Trois-Rivières', 'Sherbrooke', 'Moncton']],
  ['US', 6, ['La Nouvelle-Orléans', 'Lafayette', 'Atlanta']],
  ['AM', 6, ['Erevan', 'Goris', 'Gyumri']],
  ['KH', 5, ['Siem Reap', 'Battambang', 'Phnom Penh']],
  ['LA', 4, ['Luang Prabang', 'Vientiane']],
  [
    'DE',
    70,
    [
      'Fribourg-en-Brisgau',
      'Sarrebruck',
      'Mayence',
      'Heidelberg',
      'Bamberg',
      'Worms',
      'Rastatt',
      'Bad Kreuznach',
      'Offenbourg',
    ],
  ],
  ['IT', 35, ['Florence', 'Turin', 'Parme', 'Sienne', 'Vérone', 'Trévise', 'Ravenne']],
  ['ES', 30, ['Saragosse', 'Burgos', 'Pampelune', 'Gérone', 'Valladolid', 'Huesca']],
  ['GB', 30, ['Exeter', 'Bath', 'Chester', 'Canterbury', 'Oxford', 'Cork']],
  ['PL', 15, ['Cracovie', 'Poznań', 'Wrocław', 'Lublin', 'Opole']],
  ['BE', 12, ['Liège', 'Namur', 'Mons', 'Tournai']],
  ['PT', 12, ['Porto', 'Braga', 'Coimbra', 'Guimarães']],
  ['RO', 10, ['Cluj-Napoca', 'Sibiu', 'Iași', 'Timișoara']],
  ['IE', 6, ['Galway', 'Kilkenny', 'Sligo']],
  ['CZ', 5, ['Brno', 'Olomouc', 'Plzeň']],
];
/** The long tail: many countries with a handful of partners each (146 countries in all). */
const TAIL = [
  'AF',
  'AL',
  'AO',
  'AR',
  'AT',
  'AU',
  'AZ',
  'BA',
  'BD',
  'BG',
  'BI',
  'BO',
  'BY',
  'CD',
  'CF',
  'CG',
  'CH',
  'CL',
  'CO',
  'CR',
  'CU',
  'CV',
  'CY',
  'DJ',
  'DK',
  'DO',
  'EC',
  'EE',
  'EG',
  'ET',
  'FI',
  'GA',
  'GE',
  'GH',
  'GN',
  'GQ',
  'GR',
  'GT',
  'GW',
  'HN',
  'HR',
  'HU',
  'ID',
  'IL',
  'IN',
  'IQ',
  'IR',
  'IS',
  'JO',
  'KE',
  'KG',
  'KM',
  'KR',
  'KZ',
  'LK',
  'LT',
  'LU',
  'LV',
  'LY',
  'MD',
  'ME',
  'MK',
  'MN',
  'MT',
  'MU',
  'MX',
  'MY',
  'MZ',
  'NA',
  'NG',
  'NI',
  'NL',
  'NO',
  'NP',
  'NZ',
  'PA',
  'PE',
  'PH',
  'PK',
  'PY',
  'QA',
  'RS',
  'RW',
  'SA',
  'SC',
  'SE',
  'SI',
  'SK',
  'SL',
  'SV',
  'SY',
  'TD',
  'TH',
  'TR',
  'TZ',
  'UA',
  'UG',
  'UY',
  'UZ',
  'VE',
  'YE',
  'ZA',
  'ZM',
  'ZW',
  'GM',
  'ST',
  'TL',
  'BT',
  'BW',
  'LS',
  'SZ',
];
const TAIL_PLACES = ['la capitale', 'la province du Nord', 'la région côtière', 'la ville jumelle'];

const TYPE_PREFIX: [string, string][] = [
  ['municipalite', 'Commune de'],
  ['municipalite', 'Ville de'],
  ['province', 'Province de'],
  ['region', 'Région de'],
  ['autre', 'Communauté rurale de'],
];
/** First names with the civilité that goes with them (demo data: the civilité, the name and the function agree). */
const PRENOMS: [prenom: string, civilite: 'M.' | 'Mme'][] = [
  ['Marie', 'Mme'],
  ['Jean', 'M.'],
  ['Nathalie', 'Mme'],
  ['Pierre', 'M.'],
  ['Sophie', 'Mme'],
  ['Laurent', 'M.'],
  ['Isabelle', 'Mme'],
  ['Philippe', 'M.'],
  ['Claire', 'Mme'],
  ['Nicolas', 'M.'],
  ['Camille', 'Mme'],
  ['Yannick', 'M.'],
  ['Fatou', 'Mme'],
  ['Karim', 'M.'],
  ['Anne', 'Mme'],
  ['Olivier', 'M.'],
];
const NOMS = [
  'Martin',
  'Bernard',
  'Le Gall',
  'Petit',
  'Durand',
  'Moreau',
  'Lefebvre',
  'Garcia',
  'Roux',
  'Fournier',
  'Girard',
  'Morel',
  'Diallo',
  'Kerouac',
  'Lambert',
  'Bonnet',
];
/** Functions in their masculine and feminine forms, the one used agreeing with the contact's civilité. */
const FONCTIONS_ELU: [masculin: string, feminin: string][] = [
  ['Maire', 'Maire'],
  ['Adjoint au maire chargé des relations internationales', 'Adjointe au maire chargée des relations internationales'],
  ['Président', 'Présidente'],
  ['Vice-président chargé de la coopération', 'Vice-présidente chargée de la coopération'],
  ['Conseiller délégué aux jumelages', 'Conseillère déléguée aux jumelages'],
];
const FONCTIONS_CADRE: [masculin: string, feminin: string][] = [
  ['Chargé de mission coopération internationale', 'Chargée de mission coopération internationale'],
  ['Directeur des relations internationales', 'Directrice des relations internationales'],
  ['Responsable des jumelages', 'Responsable des jumelages'],
  ['Directeur général des services', 'Directrice générale des services'],
];
const THEMES = [
  'gouvernance',
  'eau',
  'education',
  'enseignement_superieur',
  'sante',
  'agriculture',
  'economie',
  'environnement',
  'culture',
  'jeunesse',
  'sport',
  'tourisme',
  'urbanisme',
  'egalite',
  'numerique',
  'action_sociale',
  'francophonie',
  'humanitaire',
] as const;
const THEME_WEIGHTS = [14, 14, 14, 4, 10, 10, 5, 7, 7, 6, 2, 2, 3, 3, 2, 2, 2, 2];
const INTITULES: Record<string, string[]> = {
  gouvernance: [
    'Appui à la maîtrise d’ouvrage communale',
    'Renforcement de l’état civil',
    'Appui à la fiscalité locale',
  ],
  eau: [
    'Accès à l’eau potable dans les quartiers périphériques',
    'Assainissement des écoles',
    'Réhabilitation de forages',
  ],
  education: ['Construction de salles de classe', 'Bibliothèques scolaires', 'Cantines scolaires'],
  enseignement_superieur: ['Échanges universitaires', 'Formation des ingénieurs territoriaux'],
  sante: ['Équipement du centre de santé', 'Santé maternelle et infantile', 'Prévention du paludisme'],
  agriculture: ['Maraîchage et sécurité alimentaire', 'Filière lait locale', 'Appui aux coopératives agricoles'],
  economie: ['Soutien à l’artisanat', 'Marché municipal', 'Microcrédit pour les femmes entrepreneures'],
  environnement: ['Gestion des déchets ménagers', 'Électrification solaire', 'Reboisement'],
  culture: ['Festival culturel partagé', 'Sauvegarde du patrimoine bâti', 'Résidences d’artistes'],
  jeunesse: ['Échanges de jeunes', 'Volontariat de solidarité internationale'],
  sport: ['Tournoi sportif des villes jumelles'],
  tourisme: ['Tourisme solidaire'],
  urbanisme: ['Schéma d’aménagement urbain', 'Adressage des rues'],
  egalite: ['Autonomisation des femmes'],
  numerique: ['Numérisation des services municipaux'],
  action_sociale: ['Accueil des personnes âgées'],
  francophonie: ['Maison de la francophonie'],
  humanitaire: ['Aide d’urgence après les inondations'],
};
const FINANCEURS = ['meae_daect', 'afd', 'ue', 'region', 'departement', 'agence_eau', 'autre'] as const;
const CATS = [
  'cooperation_jumelage',
  'un_pour_cent_eau',
  'un_pour_cent_dechets',
  'un_pour_cent_energie',
  'subventions_ong',
  'multilateral',
  'ead',
  'refugies',
  'bourses',
  'frais_administratifs',
] as const;
const RRMA: Record<string, string> = {
  '84': 'rrma_ara',
  '27': 'rrma_bfc',
  '53': 'rrma_bre',
  '24': 'rrma_cvl',
  '44': 'rrma_ges',
  '32': 'rrma_hdf',
  '28': 'rrma_nor',
  '75': 'rrma_naq',
  '76': 'rrma_occ',
  '52': 'rrma_pdl',
  '93': 'rrma_pac',
  '94': 'rrma_cor',
  '04': 'rrma_reu',
  '11': 'rrma_idf',
};

function weighted<T>(rng: Rng, items: readonly T[], weights: readonly number[]): T {
  const total = weights.reduce((s, w) => s + w, 0);
  let x = rng.next() * total;
  for (let i = 0; i < items.length; i++) {
    x -= weights[i]!;
    if (x < 0) return items[i]!;
  }
  return items[items.length - 1]!;
}

const pad = (n: number) => String(n).padStart(2, '0');
const dateIn = (rng: Rng, y0: number, y1: number) => `${rng.int(y0, y1)}-${pad(rng.int(1, 12))}-${pad(rng.int(1, 28))}`;

export interface GenerateOptions {
  collectivites: readonly OfficialCollectivite[];
  partenariats: number;
  fiches: number;
  actionsExterieures: number;
  seed?: number;
  /** Current campaign year and past ones (default: this year and the two before). */
  campagnes?: number[];
  /** The day the data is made (YYYY-MM-DD, default today): the current campaign is open on it. */
  today?: string;
}

const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** Picks the collectivités engagées: all régions and départements, big EPCI and communes first, then a spread of smaller ones. */
export function chooseEngaged(all: readonly OfficialCollectivite[], n: number, seed = 2015): OfficialCollectivite[] {
  const rng = prng(seed);
  const pri = (c: OfficialCollectivite) =>
    ['region', 'departement', 'statut_particulier', 'com', 'metropole', 'met69', 'ept', 'epci_cu'].includes(c.type);
  const chosen = all.filter(pri);
  const rest = all.filter((c) => !pri(c));
  // Larger places are more often engaged abroad: weight by population, keep small communes in.
  const scored = rest.map((c) => ({ c, s: Math.log10((c.population ?? 100) + 10) + rng.next() * 2.2 }));
  scored.sort((a, b) => b.s - a.s || a.c.code.localeCompare(b.c.code));
  for (const { c } of scored) {
    if (chosen.length >= n) break;
    chosen.push(c);
  }
  return chosen.slice(0, n).sort((a, b) => a.code.localeCompare(b.code));
}

export function generate(o: GenerateOptions): DemoData {
  const rng = prng(o.seed ?? 1115);
  const today = o.today ?? new Date().toISOString().slice(0, 10);
  const thisYear = Number(today.slice(0, 4));
  const years = o.campagnes ?? [thisYear, thisYear - 1, thisYear - 2];
  const d: DemoData = {
    campagne: [],
    collectivite: [],
    contact: [],
    adhesion: [],
    partenariat: [],
    ficheProjet: [],
    declarationApd: [],
    ligneApd: [],
    avis: [],
    attestationCampagne: [],
    entreeReference: [],
  };
  for (const [i, y] of years.entries()) {
    // Past campaigns ran from March to June; the current one is open on the day the demo is made (for at
    // least 30 more days), so that a demo or a test can attest whatever the date.
    const open = `${y}-03-01`;
    const close = `${y}-06-30`;
    d.campagne.push({
      id: naturalId('campagne', [y]),
      annee: y,
      dateOuverture: i === 0 && today < open ? today : open,
      dateCloture: i === 0 && addDays(today, 30) > close ? addDays(today, 90) : close,
    });
  }
  const cols = o.collectivites;
  for (const c of cols) {
    d.collectivite.push({
      id: collectiviteId(c.code),
      code: c.code,
      nom: c.nom,
      type: c.type,
      departement: c.departement,
      region: c.region,
      adresse: rng.chance(0.7) ? `${rng.int(1, 40)} place de la Mairie` : null,
      codePostal: c.codesPostaux[0] ?? null,
      commune: c.type === 'commune' ? c.nom : null,
      telephone: rng.chance(0.6)
        ? `0${rng.int(1, 5)} ${pad(rng.int(10, 99))} ${pad(rng.int(10, 99))} ${pad(rng.int(10, 99))} ${pad(rng.int(10, 99))}`
        : null,
      courriel: null,
      siteWeb: null,
    });
  }
  const cid = (i: number) => collectiviteId(cols[i % cols.length]!.code);
  // Contacts (2–3 per collectivité) and adhésions (0–2).
  cols.forEach((c, i) => {
    const nContacts = 1 + (i % 3);
    for (let k = 0; k < nContacts; k++) {
      const elu = k === 0;
      const [prenom, civilite] = rng.pick(PRENOMS);
      const nom = rng.pick(NOMS);
      // The draw a civilité used to take stays, so that the rest of the data set is unchanged.
      rng.chance(0.5);
      const [masculin, feminin] = elu ? rng.pick(FONCTIONS_ELU) : rng.pick(FONCTIONS_CADRE);
      d.contact.push({
        id: did('contact', `${i}:${k}`),
        collectiviteId: cid(i),
        categorie: elu ? 'elu' : 'cadre',
        civilite,
        prenom,
        nom,
        fonction: civilite === 'Mme' ? feminin : masculin,
        courriel:
          `${prenom}.${nom}`
            .toLowerCase()
            .normalize('NFD')
            .replace(/[^a-z.]/g, '') + `@${c.type === 'commune' ? 'mairie' : 'collectivite'}-${i}.fr`,
        telephone: null,
      });
    }
    const nAdh = i % 3;
    const used = new Set<string>();
    for (let k = 0; k < nAdh; k++) {
      const code =
        k === 0 && c.region && RRMA[c.region]
          ? RRMA[c.region]!
          : rng.pick(['cuf', 'afccre', 'cglu', 'aimf', 'platforma']);
      if (used.has(code)) continue;
      used.add(code);
      d.adhesion.push({
        id: did('adhesion', `${i}:${k}`),
        collectiviteId: cid(i),
        reseauCode: code,
        reseauNom: null,
        adherent: true,
        utilisePourActions: rng.chance(0.6),
        depuis: rng.int(1995, 2024),
      });
    }
  });
  // Partenariats: the first ones cover every collectivité, then the larger ones get more.
  const weights = COUNTRIES.map(([, w]) => w);
  const usedCountries = new Set<string>();
  const total = o.partenariats + o.actionsExterieures;
  for (let p = 0; p < total; p++) {
    const i = p < cols.length ? p : Math.floor(Math.pow(rng.next(), 2.2) * cols.length);
    const action = p >= o.partenariats;
    let pays: string;
    let place: string;
    if (p % 8 === 7 || (usedCountries.size < 146 && p >= total - 300 && !action)) {
      pays = TAIL[Math.floor(p / 8) % TAIL.length]!;
      place = rng.pick(TAIL_PLACES);
    } else {
      const [code, , places] = weighted(rng, COUNTRIES, weights);
      pays = code;
      place = rng.pick(places);
    }
    usedCountries.add(pays);
    const [typePartenaire, prefix] = rng.pick(TYPE_PREFIX);
    const european = ['DE', 'IT', 'ES', 'GB', 'PL', 'BE', 'PT', 'RO', 'IE', 'CZ'].includes(pays);
    let nomPartenaire = `${prefix} ${place}`;
    if (rng.chance(0.03)) nomPartenaire = nomPartenaire.toUpperCase(); // exercises the "not in capitals" warning
    const lat = rng.chance(0.5) ? Math.round((rng.next() * 120 - 50) * 1e4) / 1e4 : null;
    d.partenariat.push({
      id: did('partenariat', p),
      collectiviteId: cid(i),
      nature: action ? 'action_exterieure' : 'cooperation_decentralisee',
      pays,
      nomPartenaire,
      typePartenaire,
      jumelage: european ? rng.chance(0.8) : rng.chance(0.1),
      dateConvention: action ? null : dateIn(rng, 1965, 2025),
      statut: weighted(rng, ['active', 'en_sommeil', 'terminee'], [75, 15, 10]),
      latitude: lat,
      longitude: lat === null ? null : Math.round((rng.next() * 300 - 120) * 1e4) / 1e4,
    });
  }
  // Fiches-projets spread over the partenariats.
  const parts = d.partenariat;
  for (let f = 0; f < o.fiches; f++) {
    const p = parts[f < parts.length ? f : Math.floor(rng.next() * parts.length)]!;
    const theme = weighted(rng, THEMES, THEME_WEIGHTS);
    const themes = [theme, ...(rng.chance(0.3) ? [rng.pick(THEMES)] : [])].filter((t, k, a) => a.indexOf(t) === k);
    const debut = dateIn(rng, 2008, 2026);
    const cout = rng.chance(0.8) ? rng.int(5, 800) * 1000 : null;
    const partCol = cout !== null && rng.chance(0.8) ? Math.round(cout * (0.1 + rng.next() * 0.5)) : null;
    d.ficheProjet.push({
      id: did('fiche', f),
      collectiviteId: p.collectiviteId,
      partenariatId: p.id,
      intitule: rng.pick(INTITULES[theme]!),
      description: rng.chance(0.97)
        ? `Projet mené avec ${p.nomPartenaire} : ${rng.pick(INTITULES[theme]!).toLowerCase()}.`
        : '—',
      thematiques: themes,
      statut: weighted(rng, ['en_projet', 'en_cours', 'termine', 'suspendu'], [15, 50, 30, 5]),
      dateDebut: debut,
      dateFin: rng.chance(0.5) ? `${Math.min(2030, Number(debut.slice(0, 4)) + rng.int(1, 4))}${debut.slice(4)}` : null,
      coutTotal: cout,
      participationCollectivite: partCol,
      cofinancements:
        cout !== null && rng.chance(0.4) ? [{ financeur: rng.pick(FINANCEURS), montant: Math.round(cout * 0.2) }] : [],
      operateurs: rng.chance(0.4) ? 'Association de jumelage' : null,
      beneficiaires: rng.chance(0.4) ? 'Habitants des quartiers concernés' : null,
      odd: rng.chance(0.5) ? [rng.int(1, 17)] : [],
      dispositifUnPourCent: theme === 'eau' && rng.chance(0.6) ? 'oudin_santini' : 'aucun',
      referentContactId: null,
      siteWeb: null,
    });
  }
  // APD declarations over several years for about 60 % of the collectivités, 1–3 lines each.
  cols.forEach((c, i) => {
    if (!rng.chance(0.6)) return;
    for (const y of [2023, 2024, 2025]) {
      if (!rng.chance(0.75)) continue;
      const decl = {
        id: naturalId('declarationApd', [cid(i), y]),
        collectiviteId: cid(i),
        annee: y,
        commentaire: null,
      };
      d.declarationApd.push(decl);
      const n = rng.int(1, 3);
      for (let k = 0; k < n; k++) {
        d.ligneApd.push({
          id: did('ligne', `${i}:${y}:${k}`),
          collectiviteId: cid(i),
          declarationApdId: decl.id,
          pays: rng.chance(0.15) ? 'MULTI' : weighted(rng, COUNTRIES, weights)[0],
          categorie: weighted(rng, CATS, [40, 15, 5, 3, 15, 5, 8, 3, 3, 3]),
          montant: rng.int(1, 300) * 500,
        });
      }
    }
  });
  // Avis of the SGAR on some fiches, attestations of the current campaign for some collectivités.
  d.ficheProjet.forEach((f, k) => {
    if (k % 9 !== 0) return;
    d.avis.push({
      id: did('avis', k),
      collectiviteId: f.collectiviteId,
      ficheProjetId: f.id,
      avis: weighted(rng, ['favorable', 'reserve', 'defavorable'], [80, 15, 5]),
      commentaire: null,
      statutInstruction: weighted(rng, ['a_instruire', 'en_cours', 'instruit'], [30, 30, 40]),
      auteur: 'SGAR',
      date: dateIn(rng, 2024, 2025),
      ficheRevision: null,
    });
  });
  const current = d.campagne[0]!;
  cols.forEach((c, i) => {
    if (i % 4 !== 0) return;
    for (const partie of ['contacts', 'reseaux'] as const) {
      d.attestationCampagne.push({
        id: naturalId('attestationCampagne', [cid(i), String(current.id), partie]),
        collectiviteId: cid(i),
        campagneId: current.id,
        partie,
        verifieeLe: `${current.annee}-03-${pad(rng.int(2, 28))}T10:00:00Z`,
        par: 'Agent de la collectivité',
      });
    }
  });
  return d;
}
