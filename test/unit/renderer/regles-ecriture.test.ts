// Issue 14, on the device: the repository refuses what the server refuses — the rules of a write on the
// fields it sets, and a second adhésion to the same network of the collectivité.
import { beforeEach, describe, expect, it } from 'vitest';
import type { AtlasDb } from '../../../src-renderer/db/database';
import { createRepository, ValidationError } from '../../../src-renderer/db/repository';
import { todayParis } from '../../../src-shared/domain/fields';
import { entreesInitiales } from '../../../src-server/seed/referenceLists';
import { COLL, ficheFields, freshDb, partenariatFields } from './fixtures';

let db: AtlasDb;
let repo: ReturnType<typeof createRepository>;
beforeEach(() => {
  db = freshDb();
  repo = createRepository(db);
});

const nextYear = Number(todayParis().slice(0, 4)) + 1;
const errorOf = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as ValidationError,
  );

describe('rules of a write on the device', () => {
  it('refuses a convention signed in the future, on creation and on edit', async () => {
    const e = await errorOf(
      repo.create(
        'partenariat',
        partenariatFields({ nature: 'cooperation_decentralisee', dateConvention: `${nextYear}-01-10` }),
      ),
    );
    expect(e).toBeInstanceOf(ValidationError);
    expect(e!.errors.map((x) => x.field)).toEqual(['dateConvention']);
    const p = await repo.create(
      'partenariat',
      partenariatFields({ nature: 'cooperation_decentralisee', dateConvention: '2019-05-14' }),
    );
    expect(
      (await errorOf(repo.update('partenariat', p.id, { dateConvention: `${nextYear}-01-10` })))!.errors[0]!.field,
    ).toBe('dateConvention');
    expect(await db.outbox.count()).toBe(1);
  });

  it('refuses cofinancements above the cost only when a write sets them or the cost', async () => {
    const p = await repo.create('partenariat', partenariatFields());
    const e = await errorOf(
      repo.create(
        'ficheProjet',
        ficheFields(p.id, { coutTotal: 10_000, cofinancements: [{ financeur: 'autre', montant: 99_999 }] }),
      ),
    );
    expect(e!.errors.map((x) => x.field)).toEqual(['cofinancements']);
    const f = await repo.create('ficheProjet', ficheFields(p.id, { coutTotal: 10_000 }));
    expect(
      (await errorOf(repo.update('ficheProjet', f.id, { cofinancements: [{ financeur: 'autre', montant: 99_999 }] })))!
        .errors[0]!.field,
    ).toBe('cofinancements');
    await expect(repo.update('ficheProjet', f.id, { intitule: 'Eau potable à Thiès et Mbour' })).resolves.toBeTruthy();
  });
});

describe('one adhésion per network of the list', () => {
  const adhesion = (extra: Record<string, unknown>) => ({
    collectiviteId: COLL,
    reseauCode: null,
    reseauNom: null,
    adherent: true,
    utilisePourActions: false,
    depuis: null,
    ...extra,
  });
  it('refuses a second one, in French, and accepts free names and other networks', async () => {
    // The réseaux list as the device received it from the server (issue 15: synced records, not code).
    await db.transaction('rw', db.writeTables(), () =>
      db.records('entreeReference').bulkPut(entreesInitiales('reseau').map((e) => ({ ...e, $rev: 1 }))),
    );
    const first = await repo.create('adhesion', adhesion({ reseauCode: 'cuf' }));
    const e = await errorOf(repo.create('adhesion', adhesion({ reseauCode: 'cuf' })));
    expect(e!.errors).toEqual([
      {
        field: 'reseauCode',
        message:
          'La collectivité adhère déjà à « Cités Unies France » : modifiez l’adhésion existante plutôt que d’en créer une seconde.',
      },
    ]);
    const other = await repo.create('adhesion', adhesion({ reseauNom: 'Réseau breton' }));
    expect(
      (await errorOf(repo.update('adhesion', other.id, { reseauCode: 'cuf', reseauNom: null })))!.errors[0]!.field,
    ).toBe('reseauCode');
    // Editing the first one itself is no duplicate.
    await expect(repo.update('adhesion', first.id, { depuis: 2012 })).resolves.toBeTruthy();
  });
});
