// The fiche-projet form's string values → the record the shared schema validates, through the
// resolver the form uses: French amounts, empty inputs, and the schema's French messages on the fields.
import type { ResolverOptions } from 'react-hook-form';
import { describe, expect, it } from 'vitest';
import { ficheProjetSchema, type FicheProjet } from '../../../src-shared/domain/ficheProjet';
import { flattenErrors, schemaResolver, str, zodIssuesToMap } from '../../../src-renderer/ui/form';
import { ficheToRecord, ficheToValues, type FValues } from '../../../src-renderer/features/projets/values';

const ctx = {
  id: '0190f3a2-7c1e-7a00-8000-000000000001',
  collectiviteId: '0190f3a2-7c1e-7a00-8000-000000000002',
  partenariatId: '0190f3a2-7c1e-7a00-8000-000000000003',
};

function valid(): FValues {
  return {
    ...ficheToValues(),
    intitule: 'Accès à l’eau potable à Kayes',
    description: 'Forages et formation des comités de gestion.',
    thematiques: ['eau'],
    statut: 'en_cours',
    dateDebut: '2025-01-15',
    dateFin: '',
    coutTotal: '120 000,00',
    participationCollectivite: '12 500,50',
    cofinancements: [{ financeur: 'afd', montant: '40 000' }],
    odd: ['6', '3'],
  };
}

const resolver = schemaResolver<FValues>(ficheProjetSchema, (v) => ficheToRecord(v, ctx));
const opts = { fields: {}, shouldUseNativeValidation: undefined } as unknown as ResolverOptions<FValues>;
async function errorsOf(v: FValues): Promise<Record<string, string>> {
  const r = await resolver(v, undefined, opts);
  return Object.fromEntries(flattenErrors(r.errors).map((e) => [e.field, e.message]));
}

describe('fiche-projet form values', () => {
  it('turn into a record the shared schema accepts, amounts read the French way', async () => {
    const rec = ficheToRecord(valid(), ctx);
    const parsed = ficheProjetSchema.parse(rec);
    expect(parsed.coutTotal).toBe(120000);
    expect(parsed.participationCollectivite).toBe(12500.5);
    expect(parsed.cofinancements).toEqual([{ financeur: 'afd', montant: 40000 }]);
    expect(parsed.odd).toEqual([3, 6]);
    expect(parsed.dateFin).toBeNull();
    expect(parsed.referentContactId).toBeNull();
    expect(parsed.dispositifUnPourCent).toBe('aucun');
    const r = await resolver(valid(), undefined, opts);
    expect(r.errors).toEqual({});
    expect(r.values).toEqual(valid());
  });

  it('come back from a saved record unchanged (record → values → record)', () => {
    const saved: FicheProjet = ficheProjetSchema.parse(ficheToRecord(valid(), ctx));
    const values = ficheToValues(saved);
    expect(values.coutTotal).toBe('120000');
    expect(values.participationCollectivite).toBe('12500,5');
    expect(ficheProjetSchema.parse(ficheToRecord(values, ctx))).toEqual(saved);
  });

  it('give an empty form the schema’s "obligatoire" messages, on the right fields', async () => {
    const e = await errorsOf(ficheToValues());
    expect(e.intitule).toBe('« Intitulé » est obligatoire.');
    expect(e.statut).toBe('« Statut » : choisissez une valeur de la liste.');
    expect(e.dateDebut).toBe('« Date de début » est obligatoire.');
    expect(e.thematiques).toMatch(/Thématiques d'intervention/);
    expect(e.coutTotal).toBeUndefined(); // optional amounts stay optional
  });

  it('reject amounts that are not amounts, with a French message on the nested field', async () => {
    const e = await errorsOf({
      ...valid(),
      coutTotal: 'beaucoup',
      cofinancements: [{ financeur: 'afd', montant: '1.234,5' }],
    });
    expect(e.coutTotal).toBe('« Coût total » doit être un montant en euros.');
    expect(e['cofinancements.0.montant']).toBe('« Montant du cofinancement » doit être un montant en euros.');
  });

  it('reject a participation above the total and three decimals', async () => {
    expect((await errorsOf({ ...valid(), participationCollectivite: '200 000' })).participationCollectivite).toBe(
      '« Participation de la collectivité » ne peut dépasser le coût total.',
    );
    expect((await errorsOf({ ...valid(), coutTotal: '10,125' })).coutTotal).toBe(
      '« Coût total » ne peut avoir plus de deux décimales.',
    );
  });

  it('zodIssuesToMap keeps the first message per dotted path; str() treats blanks as nothing', () => {
    const r = ficheProjetSchema.safeParse({
      ...ficheToRecord(valid(), ctx),
      intitule: '',
      cofinancements: [{ montant: -1 }],
    });
    expect(r.success).toBe(false);
    if (r.success) return;
    const map = zodIssuesToMap(r.error);
    expect(map.intitule).toBe('« Intitulé » est obligatoire.');
    expect(map['cofinancements.0.financeur']).toBeDefined();
    expect(map['cofinancements.0.montant']).toBe('« Montant du cofinancement » doit être supérieur à 0 €.');
    expect(str('  ')).toBeNull();
    expect(str('x')).toBe('x');
    expect(str(3)).toBeNull();
  });
});
