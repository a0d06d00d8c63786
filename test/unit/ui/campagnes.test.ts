// The DAECT's campaigns screen: the year and dates proposed for the next campaign, and which campaigns
// may still have their dates changed (a past one is history; the one just closed can be reopened).
import { describe, expect, it } from 'vitest';
import type { Campagne } from '../../../src-shared/domain/campagne';
import { anneeSuivante, campagneModifiable, datesProposees } from '../../../src-renderer/features/campagnes/campagnes';

const camp = (annee: number, dateOuverture: string, dateCloture: string): Campagne => ({
  id: `00000000-0000-4000-8000-00000000${annee}`,
  annee,
  dateOuverture,
  dateCloture,
});
const c2025 = camp(2025, '2025-03-01', '2025-06-30');
const c2026 = camp(2026, '2026-03-01', '2027-01-15');

describe('campaigns screen', () => {
  it('proposes the year after the latest, never a past year', () => {
    expect(anneeSuivante([c2025, c2026], '2026-12-03')).toBe(2027);
    expect(anneeSuivante([], '2026-12-03')).toBe(2026);
    expect(anneeSuivante([c2025], '2028-01-10')).toBe(2028);
  });

  it('proposes the latest campaign’s dates as many years later, else March to June', () => {
    expect(datesProposees([c2025, c2026], 2027)).toEqual({ dateOuverture: '2027-03-01', dateCloture: '2028-01-15' });
    expect(datesProposees([], 2027)).toEqual({ dateOuverture: '2027-03-01', dateCloture: '2027-06-30' });
    expect(datesProposees([camp(2028, '2028-02-29', '2028-06-30')], 2029).dateOuverture).toBe('2029-02-28');
  });

  it('lets the DAECT change a campaign to come, the open one and the one just closed, not older ones', () => {
    const c2027 = camp(2027, '2027-03-01', '2027-06-30');
    expect(campagneModifiable(c2026, [c2025, c2026, c2027], '2026-12-03')).toBe(true);
    expect(campagneModifiable(c2027, [c2025, c2026, c2027], '2026-12-03')).toBe(true);
    expect(campagneModifiable(c2025, [c2025, c2026, c2027], '2026-12-03')).toBe(false);
    // 2026 closed, 2027 not open yet: 2026 is still the current one, and can be reopened.
    expect(campagneModifiable(c2026, [c2025, c2026, c2027], '2027-02-01')).toBe(true);
    expect(campagneModifiable(c2025, [c2025, c2026, c2027], '2027-02-01')).toBe(false);
  });
});
