// The DAECT's national dashboard (issue 15): the circular's figures and the campaign's progress per région,
// computed from the national copy; and the « à jour » list that decides co-funding eligibility.
import { describe, expect, it } from 'vitest';
import { collectivitesAJour } from '../../../src-renderer/features/a-jour/aJour';
import { aJourCsv } from '../../../src-renderer/features/a-jour/export';
import {
  classePart,
  HORS_REGION,
  nomCompare,
  part,
  tableauNational,
} from '../../../src-renderer/features/tableau-de-bord/national';
import { PARTIES, type AttestationCampagne, type Campagne } from '../../../src-shared/domain/campagne';
import type { Collectivite } from '../../../src-shared/domain/collectivite';
import type { Partenariat } from '../../../src-shared/domain/partenariat';
import { REGION_NOMS } from '../../../src-shared/reference/regions';

const c2026: Campagne = { id: 'camp-2026', annee: 2026, dateOuverture: '2026-03-01', dateCloture: '2026-06-30' };
const c2025: Campagne = { id: 'camp-2025', annee: 2025, dateOuverture: '2025-03-01', dateCloture: '2025-06-30' };

type Coll = Pick<Collectivite, 'id' | 'nom' | 'code' | 'type' | 'departement' | 'region'>;
const coll = (id: string, nom: string, region: string | null, departement: string | null = null): Coll => ({
  id,
  nom,
  code: `commune:${id}`,
  type: 'commune',
  departement,
  region,
});
const COLLS: Coll[] = [
  coll('a', 'Saint-Brieuc', '53', '22'), // à jour 2026
  coll('b', 'Rennes', '53', '35'), // partiel 2026 (4 parts), à jour 2025
  coll('c', 'Quimper', '53', '29'), // pas à jour (attested before the campaign opened)
  coll('d', 'Lyon', '84', '69'), // à jour 2026
  coll('e', 'Saint-Pierre', null), // hors région, pas à jour
];

let n = 0;
const att = (collectiviteId: string, partie: string, verifieeLe: string, campagneId = c2026.id) =>
  ({ id: `att-${n++}`, collectiviteId, campagneId, partie, verifieeLe, par: 'Agent' }) as AttestationCampagne;
const ATTS: AttestationCampagne[] = [
  ...PARTIES.map((p, i) => att('a', p, `2026-04-0${i + 1}T10:00:00Z`)),
  ...PARTIES.slice(0, 4).map((p) => att('b', p, '2026-05-02T10:00:00Z')),
  ...PARTIES.map((p) => att('b', p, '2025-04-10T10:00:00Z', c2025.id)),
  ...PARTIES.map((p) => att('c', p, '2026-02-27T10:00:00Z')),
  // 22:30 UTC on 30 June is 00:30 on 1 July in Paris: after the closing day, so Lyon's apd does not count…
  ...PARTIES.slice(0, 4).map((p) => att('d', p, '2026-03-15T10:00:00Z')),
  att('d', 'apd', '2026-06-30T22:30:00Z'),
  // …but this one, made within the dates, does.
  att('d', 'apd', '2026-06-29T09:00:00Z'),
];

type Part = Pick<Partenariat, 'collectiviteId' | 'nature' | 'pays' | 'nomPartenaire'>;
const p = (collectiviteId: string, nature: Part['nature'], pays: string, nomPartenaire: string): Part => ({
  collectiviteId,
  nature,
  pays,
  nomPartenaire,
});
const PARTS: Part[] = [
  p('a', 'cooperation_decentralisee', 'SN', 'Commune de Thiès'),
  p('b', 'cooperation_decentralisee', 'SN', 'COMMUNE DE THIES'), // the same partner, written otherwise
  p('b', 'cooperation_decentralisee', 'SN', 'Commune de Dakar'),
  p('b', 'cooperation_decentralisee', 'DE', 'Stadt Erlangen'),
  p('d', 'action_exterieure', 'MA', 'Région de Fès'),
  p('d', 'action_exterieure', 'SN', 'Commune de Thiès'), // an action: not a partner of a coopération
];

describe('national dashboard figures', () => {
  const t = tableauNational({
    collectivites: COLLS,
    partenariats: PARTS,
    fiches: 7,
    campagne: c2026,
    attestations: ATTS,
  });

  it('counts the circular’s figures from the copy, as the screen defines them', () => {
    expect(t.chiffres).toEqual({
      inscrites: 5,
      engagees: 3, // a, b, d have a partenariat; c and e none
      partenaires: 3, // Thiès (once), Dakar, Erlangen
      pays: 3, // SN, DE, MA
      cooperations: 4,
      projets: 7,
      autresActions: 2,
    });
    expect(nomCompare('  COMMUNE  de   Thiès ')).toBe(nomCompare('Commune de Thies'));
  });

  it('counts each région’s collectivités by their state in the current campaign, and the country', () => {
    const row = (code: string | null) => t.regions.find((r) => r.code === code);
    expect(row('53')).toEqual({ code: '53', nom: 'Bretagne', total: 3, aJour: 1, partiel: 1, pasAJour: 1 });
    expect(row('84')).toEqual({
      code: '84',
      nom: 'Auvergne-Rhône-Alpes',
      total: 1,
      aJour: 1,
      partiel: 0,
      pasAJour: 0,
    });
    expect(row(null)).toEqual({ code: null, nom: HORS_REGION, total: 1, aJour: 0, partiel: 0, pasAJour: 1 });
    expect(t.france).toMatchObject({ total: 5, aJour: 2, partiel: 1, pasAJour: 2 });
    // Every région of the COG has its row (even with no collectivité), by name, « hors région » last.
    expect(t.regions).toHaveLength(Object.keys(REGION_NOMS).length + 1);
    expect(row('94')).toMatchObject({ nom: 'Corse', total: 0 });
    const names = t.regions.slice(0, -1).map((r) => r.nom);
    expect(names).toEqual([...names].sort(new Intl.Collator('fr').compare));
    expect(t.regions.at(-1)!.code).toBeNull();
  });

  it('counts nobody à jour without a campaign, and another campaign’s attestations do not count', () => {
    const none = tableauNational({
      collectivites: COLLS,
      partenariats: [],
      fiches: 0,
      campagne: null,
      attestations: ATTS,
    });
    expect(none.france).toMatchObject({ total: 5, aJour: 0, partiel: 0, pasAJour: 5 });
    const past = tableauNational({
      collectivites: COLLS,
      partenariats: [],
      fiches: 0,
      campagne: c2025,
      attestations: ATTS,
    });
    expect(past.france).toMatchObject({ aJour: 1, partiel: 0, pasAJour: 4 });
  });

  it('says shares without hiding a few or overstating many', () => {
    expect(part(0, 0)).toBe('—');
    expect(part(0, 10)).toBe('0\u00a0%');
    expect(part(1, 400)).toBe('< 1\u00a0%');
    expect(part(1, 4)).toBe('25\u00a0%');
    expect(part(399, 400)).toBe('> 99\u00a0%');
    expect(part(4, 4)).toBe('100\u00a0%');
    expect([0, 1, 2, 3, 4].map((k) => classePart({ aJour: k, total: 4 }))).toEqual([0, 1, 2, 3, 3]);
    expect(classePart({ aJour: 0, total: 0 })).toBeNull();
  });
});

describe('collectivités à jour', () => {
  it('lists those with all five parts attested within the campaign, by name, with the last attestation', () => {
    const list = collectivitesAJour(COLLS, ATTS, c2026);
    expect(list.map((c) => [c.nom, c.derniereAttestation])).toEqual([
      ['Lyon', '2026-06-29T09:00:00Z'],
      ['Saint-Brieuc', '2026-04-05T10:00:00Z'],
    ]);
    expect(collectivitesAJour(COLLS, ATTS, c2025).map((c) => c.nom)).toEqual(['Rennes']);
    expect(collectivitesAJour(COLLS, ATTS, null)).toEqual([]);
  });

  it('exports the list for French Excel: BOM, semicolons, the French day of the last attestation', () => {
    const csv = aJourCsv(collectivitesAJour(COLLS, ATTS, c2026));
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.slice(1).split('\r\n')).toEqual([
      'Collectivité;Code officiel;Type;Département;Région;Dernière attestation',
      'Lyon;commune:d;Commune;69;Auvergne-Rhône-Alpes;29/06/2026',
      'Saint-Brieuc;commune:a;Commune;22;Bretagne;05/04/2026',
      '',
    ]);
  });
});
