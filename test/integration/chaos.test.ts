// The chaos suite (issue 11): real sync engines in Node behind a link proxy that delays, throttles,
// cuts and stalls; devices killed and reopened; the server SIGKILLed and restarted on its data. Then
// nothing lost, nothing duplicated, every device equal to the server on whole records, every conflict
// accounted for. Short profile in `npm test`; `npm run test:chaos` runs the long one
// (CHAOS_PROFILE=long; CHAOS_SEED, CHAOS_ROUNDS to vary). PostgreSQL when DATABASE_URL is set.
import { describe, expect, it } from 'vitest';
import { runChaos, type ChaosProfile } from '../support/chaos';

const LONG = process.env.CHAOS_PROFILE === 'long';

const profile: ChaosProfile = {
  seed: Number(process.env.CHAOS_SEED ?? 20261202),
  rounds: Number(process.env.CHAOS_ROUNDS ?? (LONG ? 40 : 6)),
  devicesPerAgent: LONG ? 3 : 2,
  initialRecords: LONG ? 120 : 70,
  // Small pages: first syncs span several pages (CHAOS_PAGE_SIZE to vary).
  pageSize: Number(process.env.CHAOS_PAGE_SIZE ?? 50),
  serverKills: LONG ? 6 : 1,
  deviceKills: LONG ? 8 : 2,
  maxEditsPerRound: LONG ? 6 : 4,
  link: {
    up: { latencyMs: 30, bytesPerSecond: 256_000, burstBytes: 16_384, cutProbability: 0.3, cutWithinBytes: 3_000 },
    down: { latencyMs: 30, bytesPerSecond: 256_000, burstBytes: 16_384, cutProbability: 0.3, cutWithinBytes: 12_000 },
    stallProbability: 0.1,
    stallMs: 1_500,
    refuse: false,
  },
  adminDatabaseUrl: process.env.DATABASE_URL || null,
};

describe('chaos: devices, a poor link and kills', () => {
  it(
    `${LONG ? 'long' : 'short'} profile (seed ${profile.seed}, ${profile.rounds} rounds)`,
    async () => {
      const counts = await runChaos(profile, (s) => console.log(s));
      const { details, ...figures } = counts;
      console.log(`chaos counts: ${JSON.stringify(figures)}`);
      if (details.length) console.log(`chaos details:\n  ${details.join('\n  ')}`);
      // The run exercised what it claims to (no vacuous pass)…
      expect(counts.cycles).toBeGreaterThan(0);
      expect(counts.cuts + counts.stalls).toBeGreaterThan(0);
      expect(counts.serverKills).toBe(profile.serverKills);
      expect(counts.deviceKills).toBe(profile.deviceKills);
      expect(counts.acknowledged).toBeGreaterThan(0);
      // …and nothing broke.
      expect({
        lost: counts.lost,
        duplicated: counts.duplicated,
        differing: counts.differing,
        extra: counts.extra,
        unaccountedConflicts: counts.unaccountedConflicts,
        details,
      }).toEqual({ lost: 0, duplicated: 0, differing: 0, extra: 0, unaccountedConflicts: 0, details: [] });
    },
    LONG ? 3_600_000 : 240_000,
  );
});
