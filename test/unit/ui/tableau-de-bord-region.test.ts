// The regional dashboard's rows (issue 15): each collectivité of the région with the shared campaign rule's
// state part by part, its latest attestation, its quality advice as its own checklist counts it and its
// fiches awaiting an avis (no avis, or changed since every avis: the rule of « Fiches à instruire »); the
// totals, filters, search, sort and the CSV export of what is shown. And the batch read of server revisions
// the rule needs, equal to the one-record read.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import type { Avis } from '../../../src-shared/domain/avis';
import type { AttestationCampagne, Campagne } from '../../../src-shared/domain/campagne';
import { etatCollectivite } from '../../../src-shared/domain/campagneEtat';
import type { Collectivite } from '../../../src-shared/domain/collectivite';
import type { FicheProjet } from '../../../src-shared/domain/ficheProjet';
import type { Partenariat } from '../../../src-shared/domain/partenariat';
import type { SyncResponse } from '../../../src-shared/sync/protocol';
import { AtlasDb, setDb } from '../../../src-renderer/db/database';
import { createRepository } from '../../../src-renderer/db/repository';
import { applyResponse } from '../../../src-renderer/sync/apply';
import {
  fichesAInstruire,
  filtrerAInstruire,
  motifInstruction,
} from '../../../src-renderer/features/instruction/aInstruire';
import { adviceByPart } from '../../../src-renderer/features/campagne/parts';
import {
  SANS_FILTRE,
  avertissements,
  filtrer,
  rechercheIndex,
  regionRows,
  totaux,
  trier,
} from '../../../src-renderer/features/tableau-de-bord/regionRows';
import { regionCsv } from '../../../src-renderer/features/tableau-de-bord/regionExport';
import { ID } from '../shared/helpers';

const coll = (n: number, nom: string, over: Partial<Collectivite> = {}): Collectivite => ({
  id: ID(n),
  code: `commune:35${String(n).padStart(3, '0')}`,
  nom,
  type: 'commune',
  departement: '35',
  region: '53',
  adresse: null,
  codePostal: null,
  commune: null,
  telephone: null,
  courriel: null,
  siteWeb: null,
  ...over,
});
const RENNES = coll(1, 'Rennes');
const BREST = coll(2, 'Brest', { departement: '29', code: 'commune:29019' });
const FINISTERE = coll(3, 'Finistère', { type: 'departement', departement: '29', code: 'dep:29' });
const NANTES = coll(4, 'Nantes', { region: '52', departement: '44' }); // another région

const campagne: Campagne = { id: ID(100), annee: 2026, dateOuverture: '2026-03-01', dateCloture: '2026-06-30' };
const ancienne: Campagne = { id: ID(101), annee: 2025, dateOuverture: '2025-03-01', dateCloture: '2025-06-30' };
const PARTIES = ['contacts', 'reseaux', 'cooperations', 'actions_exterieures', 'apd'] as const;
let nextId = 200;
const att = (c: Collectivite, partie: (typeof PARTIES)[number], verifieeLe: string, camp = campagne) =>
  ({
    id: ID(nextId++),
    collectiviteId: c.id,
    campagneId: camp.id,
    partie,
    verifieeLe,
    par: 'Anne Martin',
  }) satisfies AttestationCampagne;

const partenariat = (n: number, c: Collectivite, over: Partial<Partenariat> = {}): Partenariat => ({
  id: ID(n),
  collectiviteId: c.id,
  nature: 'cooperation_decentralisee',
  pays: 'SN',
  nomPartenaire: 'Saint-Louis',
  typePartenaire: 'municipalite',
  jumelage: false,
  dateConvention: '2012-05-14',
  statut: 'active',
  latitude: null,
  longitude: null,
  reprisLe: null,
  ...over,
});
const fiche = (n: number, p: Partenariat, over: Partial<FicheProjet> = {}): FicheProjet =>
  ({
    id: ID(n),
    collectiviteId: p.collectiviteId,
    partenariatId: p.id,
    intitule: `Fiche ${n}`,
    description: "Extension du réseau d'eau potable et formation des agents municipaux à sa maintenance.",
    thematiques: ['eau'],
    statut: 'en_cours',
    dateDebut: '2023-01-01',
    dateFin: null,
    coutTotal: null,
    participationCollectivite: null,
    cofinancements: [],
    operateurs: null,
    beneficiaires: null,
    odd: [],
    dispositifUnPourCent: 'aucun',
    referentContactId: null,
    siteWeb: null,
    ...over,
  }) as FicheProjet;
const avis = (f: FicheProjet, ficheRevision: number | null, over: Partial<Avis> = {}): Avis => ({
  id: ID(nextId++),
  collectiviteId: f.collectiviteId,
  ficheProjetId: f.id,
  avis: 'favorable',
  commentaire: null,
  statutInstruction: 'instruit',
  auteur: 'SGAR Bretagne',
  date: '2026-03-10',
  ficheRevision,
  ...over,
});

// Rennes: all five parts attested in the campaign → à jour. Brest: two parts, one more in the previous
// campaign (does not count) → partiel. Finistère: only an attestation of last year → pas à jour.
const attestations = [
  ...PARTIES.map((p, i) => att(RENNES, p, `2026-03-0${i + 2}T09:00:00Z`)),
  att(BREST, 'contacts', '2026-04-01T10:00:00Z'),
  att(BREST, 'apd', '2026-04-02T10:00:00Z'),
  att(BREST, 'reseaux', '2025-04-01T10:00:00Z', ancienne),
  att(FINISTERE, 'contacts', '2025-05-01T08:00:00Z', ancienne),
  att(NANTES, 'contacts', '2026-04-01T10:00:00Z'),
];
const pRennes = partenariat(10, RENNES, { nomPartenaire: 'SAINT-LOUIS' }); // 1 warning (capitals)
const pBrest = partenariat(11, BREST);
const fSansAvis = fiche(20, pRennes, { description: 'Échanges.' }); // 1 warning (short description)
const fAvisAJour = fiche(21, pRennes);
const fModifiee = fiche(22, pBrest);
const fAvisInconnu = fiche(23, pBrest);
const fNantes = fiche(24, partenariat(12, NANTES));
const revisions = new Map<string, number | null>([
  [fSansAvis.id, 5],
  [fAvisAJour.id, 7],
  [fModifiee.id, 12],
  [fAvisInconnu.id, 9],
  [fNantes.id, 3],
]);
const allAvis = [
  avis(fAvisAJour, 7),
  avis(fModifiee, 10, { statutInstruction: 'en_cours', date: '2026-03-01' }),
  // An avis whose version is unknown is taken as concerning the current one (as the fiche's screen shows it).
  avis(fAvisInconnu, null),
];
const input = {
  region: '53',
  collectivites: [RENNES, BREST, FINISTERE, NANTES],
  campagne,
  attestations,
  partenariats: [pRennes, pBrest],
  fiches: [fSansAvis, fAvisAJour, fModifiee, fAvisInconnu, fNantes],
  avis: allAvis,
  ficheRevisions: revisions,
};

describe('tableau de bord régional : les lignes', () => {
  const rows = regionRows(input);
  const byNom = new Map(rows.map((r) => [r.nom, r]));

  it('one row per collectivité of the région, with the shared state, latest attestation, advice and fiches to examine', () => {
    expect(rows.map((r) => r.nom).sort()).toEqual(['Brest', 'Finistère', 'Rennes']);
    expect(
      rows.map((r) => ({
        nom: r.nom,
        etat: r.etat,
        verifiees: r.verifiees,
        derniere: r.derniereMiseAJour,
        avertissements: r.avertissements,
        aInstruire: r.aInstruire,
      })),
    ).toEqual([
      {
        nom: 'Rennes',
        etat: 'a_jour',
        verifiees: 5,
        derniere: '2026-03-06T09:00:00Z',
        avertissements: 2,
        aInstruire: 1,
      },
      {
        nom: 'Brest',
        etat: 'partiel',
        verifiees: 2,
        derniere: '2026-04-02T10:00:00Z',
        avertissements: 0,
        aInstruire: 1,
      },
      // The latest attestation is any campaign's (the device knows no other date of a change).
      {
        nom: 'Finistère',
        etat: 'pas_a_jour',
        verifiees: 0,
        derniere: '2025-05-01T08:00:00Z',
        avertissements: 0,
        aInstruire: 0,
      },
    ]);
    // Part by part, exactly the shared rule's answer.
    const brest = byNom.get('Brest')!;
    expect(brest.parties).toEqual(
      etatCollectivite(
        campagne,
        attestations.filter((a) => a.collectiviteId === BREST.id),
      ).parties,
    );
    expect(brest.parties.map((p) => p.attestation?.par ?? null)).toEqual([
      'Anne Martin',
      null,
      null,
      null,
      'Anne Martin',
    ]);
  });

  it('counts the advice of each collectivité’s checklist as adviceByPart lists it', () => {
    for (const c of [RENNES, BREST, FINISTERE]) {
      const ps = input.partenariats.filter((p) => p.collectiviteId === c.id);
      const fs = input.fiches.filter((f) => f.collectiviteId === c.id);
      const advice = adviceByPart([
        ...ps.map((rec) => ({ entity: 'partenariat' as const, rec })),
        ...fs.map((rec) => ({ entity: 'ficheProjet' as const, rec })),
      ]);
      expect(byNom.get(c.nom)!.avertissements).toBe(Object.values(advice).flat().length);
    }
    // A fiche whose partenariat is not on the device belongs to no part: no advice, as on the checklist.
    expect(avertissements([], [fSansAvis])).toBe(0);
    expect(avertissements([pRennes], [fSansAvis])).toBe(2);
  });

  it('totals by state', () => {
    expect(totaux(rows)).toEqual({ a_jour: 1, partiel: 1, pas_a_jour: 1 });
  });

  it('filters by département, type, state, fiches to examine, and searches name or code', () => {
    const index = rechercheIndex(rows);
    const names = (f: Partial<typeof SANS_FILTRE>) =>
      filtrer(rows, { ...SANS_FILTRE, ...f }, index)
        .map((r) => r.nom)
        .sort();
    expect(names({})).toEqual(['Brest', 'Finistère', 'Rennes']);
    expect(names({ departement: '29' })).toEqual(['Brest', 'Finistère']);
    expect(names({ type: 'departement' })).toEqual(['Finistère']);
    expect(names({ etat: 'partiel' })).toEqual(['Brest']);
    expect(names({ aInstruireSeulement: true })).toEqual(['Brest', 'Rennes']);
    expect(names({ q: 'finistere' })).toEqual(['Finistère']);
    expect(names({ q: '29019' })).toEqual(['Brest']);
    expect(names({ q: 'dep:29' })).toEqual(['Finistère']);
    expect(names({ departement: '29', etat: 'a_jour' })).toEqual([]);
  });

  it('sorts on every column, both ways, ties by name', () => {
    const order = (col: Parameters<typeof trier>[1], sens: Parameters<typeof trier>[2] = 'ascending') =>
      trier(rows, col, sens).map((r) => r.nom);
    expect(order('nom')).toEqual(['Brest', 'Finistère', 'Rennes']);
    expect(order('nom', 'descending')).toEqual(['Rennes', 'Finistère', 'Brest']);
    expect(order('etat')).toEqual(['Finistère', 'Brest', 'Rennes']);
    expect(order('parties', 'descending')).toEqual(['Rennes', 'Brest', 'Finistère']);
    expect(order('derniereMiseAJour')).toEqual(['Finistère', 'Rennes', 'Brest']);
    expect(order('avertissements', 'descending')).toEqual(['Rennes', 'Brest', 'Finistère']);
    expect(order('aInstruire')).toEqual(['Finistère', 'Brest', 'Rennes']);
    expect(order('departement')).toEqual(['Brest', 'Finistère', 'Rennes']);
    expect(order('type')).toEqual(['Brest', 'Rennes', 'Finistère']);
    expect(order('code')).toEqual(['Brest', 'Rennes', 'Finistère']);
  });

  it('exports the rows shown as a CSV for French Excel, one line per row', () => {
    const csv = regionCsv(trier(rows, 'nom', 'ascending'));
    expect(
      csv.startsWith('\uFEFFCollectivité;Code officiel;Département;Type;État de la campagne;Parties vérifiées;'),
    ).toBe(true);
    const lines = csv.slice(1).trimEnd().split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[1]!.split(';').slice(0, 6)).toEqual([
      'Brest',
      'commune:29019',
      '29',
      'Commune',
      'Partiellement à jour',
      '2',
    ]);
    expect(lines[3]!.split(';').slice(-2)).toEqual(['2', '1']);
  });
});

describe('fiches à instruire : la règle', () => {
  it('no avis, or changed since every avis given; an avis on the current version (or of unknown version) settles it', () => {
    expect(motifInstruction(undefined, 4)).toBe('sans_avis');
    expect(motifInstruction([], 4)).toBe('sans_avis');
    expect(motifInstruction([avis(fModifiee, 10)], 12)).toBe('modifiee');
    expect(motifInstruction([avis(fModifiee, 12)], 12)).toBeNull();
    expect(motifInstruction([avis(fModifiee, 10), avis(fModifiee, 12, { auteur: 'DAECT' })], 12)).toBeNull();
    expect(motifInstruction([avis(fModifiee, null)], 12)).toBeNull();
  });

  it('lists them with the latest avis, filtered by thématique, pays and statut (« sans avis » included)', () => {
    const list = fichesAInstruire({
      fiches: input.fiches,
      avis: allAvis,
      revisions,
      partenariats: [pRennes, pBrest, partenariat(12, NANTES, { pays: 'ML' })],
      collectiviteNom: (id) => input.collectivites.find((c) => c.id === id)!.nom,
    });
    expect(list.map((x) => [x.collectiviteNom, x.fiche.intitule, x.motif, x.statut])).toEqual([
      ['Brest', 'Fiche 22', 'modifiee', 'en_cours'],
      ['Nantes', 'Fiche 24', 'sans_avis', 'sans_avis'],
      ['Rennes', 'Fiche 20', 'sans_avis', 'sans_avis'],
    ]);
    const f = { thematique: '', pays: '', statut: '' };
    expect(filtrerAInstruire(list, { ...f, statut: 'sans_avis' }).map((x) => x.fiche.id)).toEqual([
      fNantes.id,
      fSansAvis.id,
    ]);
    expect(filtrerAInstruire(list, { ...f, pays: 'ML' }).map((x) => x.fiche.id)).toEqual([fNantes.id]);
    expect(filtrerAInstruire(list, { ...f, thematique: 'sante' })).toEqual([]);
    expect(filtrerAInstruire(list, { ...f, thematique: 'eau', statut: 'en_cours' }).map((x) => x.fiche.id)).toEqual([
      fModifiee.id,
    ]);
  });
});

describe('repository.serverRevisions', () => {
  it('gives each record’s server revision in one read, as serverRevision does one by one (null for a local-only record)', async () => {
    const db = new AtlasDb(`tdb-region-${Date.now()}`, { indexedDB: new IDBFactory(), IDBKeyRange });
    setDb(db);
    const repo = createRepository(db);
    const res: SyncResponse = {
      v: 1,
      results: [],
      conflicts: [],
      cursor: '30',
      more: false,
      serverTime: new Date().toISOString(),
      changes: [
        { entity: 'partenariat', id: pRennes.id, rev: 3, fields: { ...pRennes } },
        { entity: 'ficheProjet', id: fSansAvis.id, rev: 5, fields: { ...fSansAvis } },
        { entity: 'ficheProjet', id: fAvisAJour.id, rev: 30, fields: { ...fAvisAJour }, fieldRevs: { intitule: 30 } },
      ],
    };
    await applyResponse(db, res);
    // A local edit (the record departs from its server version: a meta row holds it) and a local creation.
    await repo.update('ficheProjet', fSansAvis.id, { intitule: 'Modifiée sur ce poste' });
    const local = await repo.create('ficheProjet', { ...fiche(0, pRennes), id: undefined });
    const all = await repo.serverRevisions('ficheProjet', [fSansAvis.id, fAvisAJour.id, local.id, fModifiee.id]);
    expect(Object.fromEntries(all)).toEqual({
      [fSansAvis.id]: await repo.serverRevision('ficheProjet', fSansAvis.id),
      [fAvisAJour.id]: await repo.serverRevision('ficheProjet', fAvisAJour.id),
      [local.id]: null,
      // Not on the device.
      [fModifiee.id]: null,
    });
    expect(all.get(fSansAvis.id)).toBe(5);
    expect(all.get(fAvisAJour.id)).toBe(30);
  });
});
