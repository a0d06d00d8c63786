// The campaign state rule shared by the agent's home, the dashboards, the « à jour » list and the
// server's closing rule: a part counts when attested within the campaign's French calendar days.
import { describe, expect, it } from 'vitest';
import type { AttestationCampagne, Campagne, Partie } from '../../../src-shared/domain/campagne';
import { PARTIES } from '../../../src-shared/domain/campagne';
import {
  attestationsParCollectivite,
  attestationValide,
  bilanCampagne,
  campagneCourante,
  clotureAnticipee,
  jourEnLettres,
  phaseCampagne,
  phraseDelai,
  refusAttestation,
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

  it('prefers the campaign that ran over one prepared for later', () => {
    const c2027: Campagne = {
      ...c2026,
      id: c2026.id.replace('2026', '2027'),
      annee: 2027,
      dateOuverture: '2027-03-01',
      dateCloture: '2027-06-30',
    };
    // 2026 closed, 2027 not open yet: the current one is still 2026 (its « à jour » hold until 2027 opens).
    expect(campagneCourante([c2027, c2026], '2026-12-01')?.annee).toBe(2026);
    expect(campagneCourante([c2027, c2026], '2027-03-01')?.annee).toBe(2027);
    // Only a campaign to come: it is the one shown.
    expect(campagneCourante([c2027], '2026-12-01')?.annee).toBe(2027);
  });

  it('says the phase, the dates in words and the refusal of an attestation as the server does', () => {
    expect(phaseCampagne(c2026, '2026-02-28')).toBe('a_venir');
    expect(phaseCampagne(c2026, '2026-03-01')).toBe('ouverte');
    expect(phaseCampagne(c2026, '2026-06-30')).toBe('ouverte');
    expect(phaseCampagne(c2026, '2026-07-01')).toBe('close');
    expect(jourEnLettres('2026-06-30')).toBe('30 juin 2026');
    expect(jourEnLettres('2027-03-01')).toBe('1er mars 2027');
    expect(jourEnLettres('2027-08-15')).toBe('15 août 2027');
    expect(refusAttestation(c2026, '2026-06-30')).toBeNull();
    expect(refusAttestation(c2026, '2026-03-01')).toBeNull();
    expect(refusAttestation(c2026, '2026-07-01')).toBe(
      'La campagne 2026 est close depuis le 30 juin 2026 : les attestations ne sont plus acceptées.',
    );
    expect(refusAttestation(c2026, '2026-02-28')).toBe(
      'La campagne 2026 n’ouvre que le 1er mars 2026 : les attestations ne sont pas encore acceptées.',
    );
  });

  it('tells the agent the days left, the last day, the closing and the opening', () => {
    expect(phraseDelai(c2026, '2026-06-18')).toBe(
      'Il reste 12 jours pour attester vos pages (clôture le 30 juin 2026).',
    );
    expect(phraseDelai(c2026, '2026-06-29')).toBe('Il reste 1 jour pour attester vos pages (clôture le 30 juin 2026).');
    expect(phraseDelai(c2026, '2026-06-30')).toBe(
      'C’est le dernier jour pour attester vos pages (clôture ce soir, 30 juin 2026).',
    );
    expect(phraseDelai(c2026, '2026-09-01')).toBe('La campagne 2026 est close depuis le 30 juin 2026.');
    expect(phraseDelai(c2026, '2026-01-10')).toBe(
      'La campagne 2026 ouvrira le 1er mars 2026 (clôture le 30 juin 2026).',
    );
  });

  it('closes today: today’s attestations still count, tomorrow’s are refused', () => {
    const closing = clotureAnticipee(c2026, '2026-05-10');
    expect(closing).toBe('2026-05-10');
    const closed = { ...c2026, dateCloture: closing! };
    expect(attestationValide(att('contacts', '2026-05-10T20:00:00.000Z'), closed)).toBe(true);
    expect(refusAttestation(closed, '2026-05-10')).toBeNull();
    expect(refusAttestation(closed, '2026-05-11')).toContain('est close depuis le 10 mai 2026');
    // Nothing to bring forward: not open yet, already closed, or closing today anyway.
    expect(clotureAnticipee(c2026, '2026-02-01')).toBeNull();
    expect(clotureAnticipee(c2026, '2026-07-01')).toBeNull();
    expect(clotureAnticipee(c2026, '2026-06-30')).toBeNull();
  });

  it('counts the collectivités of a scope à jour, partiellement, pas à jour, and per part', () => {
    const other = '00000000-0000-4000-8000-0000000000c2';
    const stranger = '00000000-0000-4000-8000-0000000000c3';
    const all = [
      ...PARTIES.map((p) => att(p, '2026-04-01T10:00:00.000Z')),
      {
        ...att('contacts', '2026-04-02T10:00:00.000Z'),
        id: '00000000-0000-4000-8000-0000000000a1',
        collectiviteId: other,
      },
      // Late: after the closing day, it does not count.
      { ...att('apd', '2026-07-02T10:00:00.000Z'), id: '00000000-0000-4000-8000-0000000000a2', collectiviteId: other },
      // Outside the scope given: ignored.
      {
        ...att('reseaux', '2026-04-02T10:00:00.000Z'),
        id: '00000000-0000-4000-8000-0000000000a3',
        collectiviteId: stranger,
      },
    ];
    const b = bilanCampagne(
      c2026,
      [coll, other, '00000000-0000-4000-8000-0000000000c4'],
      attestationsParCollectivite(all),
    );
    expect(b).toEqual({
      total: 3,
      aJour: 1,
      partiel: 1,
      pasAJour: 1,
      parPartie: { contacts: 2, reseaux: 1, cooperations: 1, actions_exterieures: 1, apd: 1 },
    });
  });
});
