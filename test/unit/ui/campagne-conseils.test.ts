// The campaign checklist's quality advice comes from the same warning functions as the forms, lands
// in the right part with a link to its record, and never counts as a blocking problem.
import { describe, expect, it } from 'vitest';
import { ficheProjetSchema } from '../../../src-shared/domain/ficheProjet';
import { ficheProjetWarnings, partenariatWarnings } from '../../../src-shared/domain/warnings';
import type { EntityName } from '../../../src-shared/registry';
import { adviceByPart, problemsByPart } from '../../../src-renderer/features/campagne/parts';
import { ID } from '../shared/helpers';

type Row = { entity: EntityName; rec: Record<string, unknown> & { id: string } };

const partenariat = {
  id: ID(4),
  collectiviteId: ID(1),
  nature: 'cooperation_decentralisee',
  pays: 'SN',
  nomPartenaire: 'Saint-Louis',
  typePartenaire: 'municipalite',
  jumelage: false,
  dateConvention: '2012-05-14',
  statut: 'active',
  latitude: null,
  longitude: null,
};
const action = {
  ...partenariat,
  id: ID(8),
  nature: 'action_exterieure',
  dateConvention: null,
  nomPartenaire: 'Ville de Tivaouane',
};
const fiche = {
  id: ID(5),
  collectiviteId: ID(1),
  partenariatId: ID(4),
  intitule: "Accès à l'eau potable dans les quartiers",
  description: "Extension du réseau d'eau potable et formation des agents municipaux à sa maintenance.",
  thematiques: ['eau', 'gouvernance'],
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
};

const rows = (...r: [EntityName, Record<string, unknown>][]): Row[] =>
  r.map(([entity, rec]) => ({ entity, rec: rec as Row['rec'] }));

describe('conseils de la campagne', () => {
  it('gives none when the records follow the Atlas’s advice', () => {
    const a = adviceByPart(rows(['partenariat', partenariat], ['partenariat', action], ['ficheProjet', fiche]));
    expect(Object.values(a).flat()).toEqual([]);
  });

  it('lists the forms’ own warnings, per part, each with a link to its record', () => {
    const caps = { ...partenariat, nomPartenaire: 'SAINT-LOUIS' };
    const vague = { ...fiche, id: ID(6), partenariatId: ID(8), description: 'Échanges.', thematiques: ['autre'] };
    const a = adviceByPart(
      rows(['partenariat', caps], ['partenariat', action], ['ficheProjet', fiche], ['ficheProjet', vague]),
    );

    expect(a.cooperations).toEqual(
      partenariatWarnings(caps).map((warning) => ({
        entity: 'partenariat',
        id: ID(4),
        label: 'SAINT-LOUIS',
        to: `/partenariats/${ID(4)}`,
        warning,
      })),
    );
    expect(a.cooperations[0]!.warning.code).toBe('NOM_EN_MAJUSCULES');
    // A fiche belongs to the part of its partnership (here an action extérieure).
    expect(a.actions_exterieures.map((x) => x.warning)).toEqual(ficheProjetWarnings(ficheProjetSchema.parse(vague)));
    expect(a.actions_exterieures.map((x) => x.warning.code)).toEqual([
      'DESCRIPTION_PEU_DETAILLEE',
      'THEMATIQUE_NON_PRECISEE',
    ]);
    expect(new Set(a.actions_exterieures.map((x) => x.to))).toEqual(
      new Set([`/partenariats/${ID(8)}/fiches/${ID(6)}`]),
    );
    expect(a.actions_exterieures[0]!.label).toBe("Accès à l'eau potable dans les quartiers");
    expect([...a.contacts, ...a.reseaux, ...a.apd]).toEqual([]);
  });

  it('is advice, not a problem: the same records leave every part without blocking problems', () => {
    const all = rows(
      ['partenariat', { ...partenariat, nomPartenaire: 'DAKAR' }],
      ['ficheProjet', { ...fiche, description: 'Court.' }],
    );
    expect(adviceByPart(all).cooperations).toHaveLength(2);
    expect(problemsByPart(all, []).byPart).toEqual({
      contacts: 0,
      reseaux: 0,
      cooperations: 0,
      actions_exterieures: 0,
      apd: 0,
    });
  });

  it('leaves records the schema refuses to the problems count, and fiches of a vanished partnership out', () => {
    const invalid = { ...partenariat, nomPartenaire: 'DAKAR', pays: 'XX' };
    const orphan = { ...fiche, partenariatId: ID(99), description: 'Court.' };
    const all = rows(['partenariat', invalid], ['ficheProjet', orphan]);
    expect(Object.values(adviceByPart(all)).flat()).toEqual([]);
    expect(problemsByPart(all, []).byPart.cooperations).toBe(1);
  });
});
