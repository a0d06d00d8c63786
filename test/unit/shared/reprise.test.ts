// The Atlas import's mark (docs/domain.md): shown while `reprisLe` is set and the record's part was not
// attested by its collectivité since the import.
import { describe, expect, it } from 'vitest';
import type { Partie } from '../../../src-shared/domain/campagne';
import { estAVerifier, partieDuPartenariat } from '../../../src-shared/domain/reprise';
import { fieldInfo, entityDef } from '../../../src-shared/registry';

const CID = '00000000-0000-4000-8000-000000000001';
const AUTRE = '00000000-0000-4000-8000-000000000002';
const le = '2026-03-02T09:00:00.000Z';
const att = (partie: Partie, verifieeLe: string, collectiviteId = CID) => ({ collectiviteId, partie, verifieeLe });

describe('estAVerifier', () => {
  it('un enregistrement non repris n’est jamais à vérifier', () => {
    expect(estAVerifier({ collectiviteId: CID, reprisLe: null }, 'cooperations', [])).toBe(false);
    expect(estAVerifier({ collectiviteId: CID }, 'cooperations', [])).toBe(false);
  });

  it('repris et partie non attestée : à vérifier', () => {
    expect(estAVerifier({ collectiviteId: CID, reprisLe: le }, 'cooperations', [])).toBe(true);
  });

  it('la marque tombe quand la partie est attestée après la reprise, par la collectivité de l’enregistrement', () => {
    const rec = { collectiviteId: CID, reprisLe: le };
    expect(estAVerifier(rec, 'cooperations', [att('cooperations', '2026-03-05T10:00:00+01:00')])).toBe(false);
    // Before the import, another part, another collectivité: still to verify.
    expect(estAVerifier(rec, 'cooperations', [att('cooperations', '2026-03-01T10:00:00.000Z')])).toBe(true);
    expect(estAVerifier(rec, 'cooperations', [att('actions_exterieures', '2026-03-05T10:00:00.000Z')])).toBe(true);
    expect(estAVerifier(rec, 'cooperations', [att('cooperations', '2026-03-05T10:00:00.000Z', AUTRE)])).toBe(true);
    // Time zones compare as instants: 10:30 in Paris (UTC+1) is 09:30 UTC, after the import.
    expect(estAVerifier(rec, 'cooperations', [att('cooperations', '2026-03-02T10:30:00+01:00')])).toBe(false);
    expect(estAVerifier(rec, 'cooperations', [att('cooperations', '2026-03-02T09:30:00+01:00')])).toBe(true);
  });

  it('partie d’un partenariat : c pour une coopération décentralisée, d pour une action extérieure', () => {
    expect(partieDuPartenariat({ nature: 'cooperation_decentralisee' })).toBe('cooperations');
    expect(partieDuPartenariat({ nature: 'action_exterieure' })).toBe('actions_exterieures');
  });

  it('le champ est au catalogue, écrit par le serveur seul', () => {
    for (const e of ['partenariat', 'ficheProjet'] as const) {
      expect(fieldInfo(e, 'reprisLe')).toMatchObject({
        label: 'Repris de l’Atlas existant le',
        type: 'dateTime',
        required: false,
      });
      expect(entityDef(e).serverOnlyFields).toEqual(['reprisLe']);
    }
  });
});
