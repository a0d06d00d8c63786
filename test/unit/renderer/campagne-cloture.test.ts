// Issue 15, on the device: an attestation outside its campaign's dates is refused by the repository, from
// its copy of the campaign, with the server's own sentence (refusAttestation) — attesting offline after the
// closing says so at once; nothing goes to the outbox.
import { beforeEach, describe, expect, it } from 'vitest';
import type { AtlasDb } from '../../../src-renderer/db/database';
import { createRepository, ValidationError } from '../../../src-renderer/db/repository';
import { jourEnFrance, jourEnLettres } from '../../../src-shared/domain/campagneEtat';
import { COLL, freshDb } from './fixtures';

let db: AtlasDb;
let repo: ReturnType<typeof createRepository>;
beforeEach(() => {
  db = freshDb();
  repo = createRepository(db);
});

const today = jourEnFrance(new Date());
const shift = (days: number) =>
  new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const errorOf = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as ValidationError,
  );
const attestation = (campagneId: string, partie = 'contacts') => ({
  collectiviteId: COLL,
  campagneId,
  partie,
  verifieeLe: new Date().toISOString(),
  par: 'Agent',
});

describe('closing of a campaign, on the device', () => {
  it('accepts an attestation while open, the closing day included', async () => {
    const c = await repo.create('campagne', { annee: 2091, dateOuverture: shift(-10), dateCloture: today });
    await expect(repo.create('attestationCampagne', attestation(c.id))).resolves.toBeTruthy();
  });

  it('refuses one after the closing day or before the opening day, with the server’s sentence', async () => {
    const closed = await repo.create('campagne', { annee: 2092, dateOuverture: shift(-100), dateCloture: shift(-1) });
    const before = await db.outbox.count();
    const e = await errorOf(repo.create('attestationCampagne', attestation(closed.id)));
    expect(e).toBeInstanceOf(ValidationError);
    expect(e!.message).toBe(
      `La campagne 2092 est close depuis le ${jourEnLettres(shift(-1))} : les attestations ne sont plus acceptées.`,
    );
    const later = await repo.create('campagne', { annee: 2093, dateOuverture: shift(1), dateCloture: shift(60) });
    expect((await errorOf(repo.create('attestationCampagne', attestation(later.id))))!.message).toBe(
      `La campagne 2093 n’ouvre que le ${jourEnLettres(shift(1))} : les attestations ne sont pas encore acceptées.`,
    );
    expect(await db.outbox.count()).toBe(before + 1); // the second campaign only
  });

  it('refuses renewing an attestation once the campaign closed on this copy; reopened, accepts it', async () => {
    const c = await repo.create('campagne', { annee: 2094, dateOuverture: shift(-30), dateCloture: shift(30) });
    const a = await repo.create('attestationCampagne', attestation(c.id));
    await repo.update('campagne', c.id, { dateCloture: shift(-1) });
    const e = await errorOf(repo.update('attestationCampagne', a.id, { par: 'Agent 2' }));
    expect(e!.message).toContain('La campagne 2094 est close depuis le');
    await repo.update('campagne', c.id, { dateCloture: today });
    await expect(repo.update('attestationCampagne', a.id, { par: 'Agent 2' })).resolves.toBeTruthy();
  });
});
