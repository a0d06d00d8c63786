// The campaign state rule shared by the agent's home, the dashboards, the « à jour » list and the
// server's closing rule: a part counts when attested within the campaign's French calendar days.
import { describe, expect, it } from 'vitest';
import type { AttestationCampagne, Campagne, Partie } from '../../../src-shared/domain/campagne';
import { PARTIES } from '../../../src-shared/domain/campagne';
import {
  attestationValide,
  campagneCourante,
  campagneOuverte,
  etatCollectivite,
  jourEnFrance,
  joursRestants,
} from '../../../src-shared/domain/campagneEtat';

const c2026: Campagne = {
  id: '00000000-0000-4000-8000-000000002026',
  annee: 2026,
  dateOuverture: '2026-03-01',
  dateCloture: '2026-06-30',
};
const c2025: Campagne = {
  ...c2026,
  id: '00000000-0000-4000-8000-000000002025',
  annee: 2025,
  dateOuverture: '2025-03-01',
  dateCloture: '2025-06-30',
};
const coll = '00000000-0000-4000-8000-0000000000c1';
const att = (partie: Partie, verifieeLe: string, campagneId = c2026.id): AttestationCampagne => ({
  id: `00000000-0000-4000-8000-${String(PARTIES.indexOf(partie)).padStart(12, '0')}`,
  collectiviteId: coll,
  campagneId,
  partie,
  verifieeLe,
  par: 'Agent',
});

describe('campaign state', () => {
  it('reads instants as French calendar days', () => {
    // 23:30 UTC on 28 February is 00:30 on 1 March in Paris (winter time): within the campaign.
    expect(jourEnFrance('2026-02-28T23:30:00.000Z')).toBe('2026-03-01');
    expect(jourEnFrance('2026-06-30T21:59:00.000Z')).toBe('2026-06-30');
    expect(jourEnFrance('2026-06-30T22:00:00.000Z')).toBe('2026-07-01');
    expect(jourEnFrance('pas une date')).toBe('');
  });

  it('counts an attestation only within its own campaign and dates', () => {
    expect(attestationValide(att('contacts', '2026-02-28T23:30:00.000Z'), c2026)).toBe(true);
    expect(attestationValide(att('contacts', '2026-02-28T22:30:00.000Z'), c2026)).toBe(false);
    expect(attestationValide(att('contacts', '2026-07-01T08:00:00.000Z'), c2026)).toBe(false);
    expect(attestationValide(att('contacts', '2026-04-01T08:00:00.000Z', c2025.id), c2026)).toBe(false);
  });

  it('gives à jour, partiel and pas à jour with the parts and the latest attestation', () => {
    const all = PARTIES.map((p, i) => att(p, `2026-04-0${i + 1}T10:00:00.000Z`));
    const full = etatCollectivite(c2026, all);
    expect(full.etat).toBe('a_jour');
    expect(full.verifiees).toBe(5);
    expect(full.derniereAttestation).toBe('2026-04-05T10:00:00.000Z');
    expect(full.parties.map((p) => p.attestation?.partie)).toEqual([...PARTIES]);

    const some = etatCollectivite(c2026, [all[0]!, att('apd', '2025-04-01T10:00:00.000Z', c2025.id)]);
    expect(some.etat).toBe('partiel');
    expect(some.verifiees).toBe(1);
    expect(some.parties.find((p) => p.partie === 'apd')?.attestation).toBeNull();

    expect(etatCollectivite(c2026, []).etat).toBe('pas_a_jour');
    expect(etatCollectivite(null, all).etat).toBe('pas_a_jour');
  });

  it('finds the open campaign, else the latest, and counts the days left', () => {
    expect(campagneCourante([c2025, c2026], '2026-04-01')?.annee).toBe(2026);
    expect(campagneCourante([c2025, c2026], '2025-04-01')?.annee).toBe(2025);
    expect(campagneCourante([c2025, c2026], '2026-12-01')?.annee).toBe(2026);
    expect(campagneCourante([], '2026-12-01')).toBeNull();
    expect(campagneOuverte(c2026, '2026-06-30')).toBe(true);
    expect(campagneOuverte(c2026, '2026-07-01')).toBe(false);
    expect(joursRestants(c2026, '2026-06-20')).toBe(10);
    expect(joursRestants(c2026, '2026-06-30')).toBe(0);
    expect(joursRestants(c2026, '2026-07-02')).toBe(-2);
  });
});
