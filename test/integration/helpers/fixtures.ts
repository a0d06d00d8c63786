// Valid records for server tests, per entity.
import { naturalId, newId } from '../../../src-shared/sync/ids';
import type { EntityName } from '../../../src-shared/registry';
import { todayParis } from '../../../src-shared/domain/fields';

/** A calendar day moved by `days` (`2026-03-01`, -1 → `2026-02-28`). */
export function shiftDay(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export interface Parents {
  partenariatId: string;
  ficheProjetId: string;
  declarationApdId: string;
  campagneId: string;
}

let n = 0;
/** Fields of a valid new record of `entity` in collectivité `cid` (ids for natural keys made to match). */
export function validRecord(
  entity: EntityName,
  cid: string,
  p: Parents,
): { id: string; fields: Record<string, unknown> } {
  n++;
  switch (entity) {
    case 'contact':
      return {
        id: newId(),
        fields: {
          collectiviteId: cid,
          categorie: 'cadre',
          civilite: null,
          prenom: 'Jeanne',
          nom: `Test${n}`,
          fonction: 'Chargée de mission',
          courriel: `jeanne.${n}@mairie.fr`,
          telephone: null,
        },
      };
    case 'adhesion':
      return {
        id: newId(),
        fields: {
          collectiviteId: cid,
          reseauCode: null,
          reseauNom: `Réseau ${n}`,
          adherent: true,
          utilisePourActions: false,
          depuis: 2010,
        },
      };
    case 'partenariat':
      return {
        id: newId(),
        fields: {
          collectiviteId: cid,
          nature: 'action_exterieure',
          pays: 'SN',
          nomPartenaire: `Commune de Podor ${n}`,
          typePartenaire: 'municipalite',
          jumelage: false,
          dateConvention: null,
          statut: 'active',
          latitude: null,
          longitude: null,
        },
      };
    case 'ficheProjet':
      return {
        id: newId(),
        fields: {
          collectiviteId: cid,
          partenariatId: p.partenariatId,
          intitule: `Projet ${n}`,
          description: 'Accès à l’eau',
          thematiques: ['eau'],
          statut: 'en_cours',
          dateDebut: '2024-01-01',
          dateFin: null,
          coutTotal: 1000,
          participationCollectivite: 500,
          cofinancements: [],
          operateurs: null,
          beneficiaires: null,
          odd: [6],
          dispositifUnPourCent: 'oudin_santini',
          referentContactId: null,
          siteWeb: null,
        },
      };
    case 'declarationApd': {
      const annee = 2000 + (n % 20);
      return {
        id: naturalId('declarationApd', [cid, annee]),
        fields: { collectiviteId: cid, annee, commentaire: null },
      };
    }
    case 'ligneApd':
      return {
        id: newId(),
        fields: {
          collectiviteId: cid,
          declarationApdId: p.declarationApdId,
          pays: 'BF',
          categorie: 'cooperation_jumelage',
          montant: 1500,
        },
      };
    case 'avis':
      return {
        id: newId(),
        fields: {
          collectiviteId: cid,
          ficheProjetId: p.ficheProjetId,
          avis: 'favorable',
          commentaire: null,
          statutInstruction: 'instruit',
          auteur: 'SGAR',
          date: '2025-05-01',
        },
      };
    case 'campagne': {
      // Open today (server's French day), whatever the year's number: attestations of the tests are
      // accepted (an attestation outside its campaign's dates is refused, see campagne-cloture.test.ts).
      const annee = 2030 + (n % 60);
      const today = todayParis();
      return {
        id: naturalId('campagne', [annee]),
        fields: { annee, dateOuverture: shiftDay(today, -60), dateCloture: shiftDay(today, 120) },
      };
    }
    case 'attestationCampagne': {
      const partie = (['contacts', 'reseaux', 'cooperations', 'actions_exterieures', 'apd'] as const)[n % 5]!;
      return {
        id: naturalId('attestationCampagne', [cid, p.campagneId, partie]),
        fields: {
          collectiviteId: cid,
          campagneId: p.campagneId,
          partie,
          verifieeLe: '2026-03-10T10:00:00Z',
          par: 'Agent',
        },
      };
    }
    case 'collectivite':
      throw new Error('collectivités come from the official register');
  }
}
