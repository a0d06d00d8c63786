// Issue 14, the forms: every error of a record at once (rules across fields included), the rules of a write
// (a convention signed in the future, a « Terminé » project ending later, cofinancements above the cost),
// their warnings, "today" in Europe/Paris, required-ness true to the schema, one name per field.
import { describe, expect, it } from 'vitest';
import {
  adhesionSchema,
  currentYear,
  declarationApdSchema,
  ficheProjetSchema,
  ficheProjetWarnings,
  partenariatSchema,
  partenariatWarnings,
  todayParis,
} from '../../../src-shared/domain';
import { loginRequest } from '../../../src-shared/api/auth';
import { entityDef, fieldInfo, writeRuleErrors } from '../../../src-shared/registry';
import { ID, errorsOf } from './helpers';

const partenariat = {
  id: ID(10),
  collectiviteId: ID(1),
  nature: 'cooperation_decentralisee',
  pays: 'SN',
  nomPartenaire: 'Saint-Louis du Sénégal',
  typePartenaire: null,
  jumelage: false,
  dateConvention: '2019-05-14',
  statut: 'active',
  latitude: null,
  longitude: null,
};
const fiche = {
  id: ID(20),
  collectiviteId: ID(1),
  partenariatId: ID(10),
  intitule: 'Accès à l’eau',
  description: 'Construction de trois forages et formation d’un comité de gestion.',
  thematiques: ['eau'],
  statut: 'en_cours',
  dateDebut: '2024-01-15',
  dateFin: null,
  coutTotal: 10_000,
  participationCollectivite: null,
  cofinancements: [],
  operateurs: null,
  beneficiaires: null,
  odd: [],
  dispositifUnPourCent: 'aucun',
  referentContactId: null,
  siteWeb: null,
};
const TODAY = '2026-06-15';

describe('one submit shows every error (rules across fields run once their own fields are valid)', () => {
  it('a new coopération: Pays, Nom and the convention date together', () => {
    const fields = errorsOf(partenariatSchema, {
      ...partenariat,
      pays: undefined,
      nomPartenaire: '',
      dateConvention: null,
    }).map((e) => e.field);
    expect(fields).toEqual(['pays', 'nomPartenaire', 'dateConvention']);
  });
  it('a fiche: the end before the start is reported with the amount errors', () => {
    const errors = errorsOf(ficheProjetSchema, {
      ...fiche,
      dateDebut: '2024-01-15',
      dateFin: '2023-01-01',
      coutTotal: -5,
      cofinancements: [{ financeur: 'autre', montant: 0 }],
    });
    expect(errors.map((e) => e.field)).toEqual(['coutTotal', 'cofinancements', 'dateFin']);
    expect(errors.at(-1)!.message).toBe('« Date de fin » doit être postérieure ou égale à la date de début.');
  });
  it('a rule reading an invalid field waits for it (no second message on the same mistake)', () => {
    const errors = errorsOf(ficheProjetSchema, { ...fiche, dateDebut: 'hier', dateFin: '2023-01-01' });
    expect(errors.map((e) => e.field)).toEqual(['dateDebut']);
  });
  it('an adhésion: no network and a year in the future together', () => {
    const errors = errorsOf(adhesionSchema, {
      id: ID(30),
      collectiviteId: ID(1),
      reseauCode: null,
      reseauNom: null,
      adherent: true,
      utilisePourActions: false,
      depuis: currentYear() + 1,
    });
    expect(errors.map((e) => e.field)).toEqual(['reseauCode', 'depuis']);
  });
  it('a malformed date does not hide the other rules across fields', () => {
    const errors = errorsOf(partenariatSchema, { ...partenariat, dateConvention: '2019-13-45', latitude: 12 });
    expect(errors).toEqual([
      {
        field: 'dateConvention',
        message: "« Date de signature de la convention » n'est pas une date valide (JJ/MM/AAAA).",
      },
      { field: 'latitude', message: 'La localisation demande une latitude et une longitude.' },
    ]);
  });
  it('a record that is not an object gets one message, and no rule runs on it', () => {
    expect(errorsOf(partenariatSchema, 'partenariat')).toEqual([
      { field: '', message: 'Les données envoyées ne forment pas un enregistrement.' },
    ]);
  });
});

describe('rules of a write', () => {
  it('a convention signed after today is refused; today and before are accepted', () => {
    const e = writeRuleErrors('partenariat', { ...partenariat, dateConvention: '2031-01-10' }, 'all', {
      today: TODAY,
    });
    expect(e).toEqual([
      {
        field: 'dateConvention',
        message:
          '« Date de signature de la convention » ne peut pas être dans le futur : indiquez la date à laquelle la convention a été signée.',
      },
    ]);
    expect(writeRuleErrors('partenariat', { ...partenariat, dateConvention: TODAY }, 'all', { today: TODAY })).toEqual(
      [],
    );
  });
  it('a « Terminé » project ending after today is refused; « En cours » ending later is fine', () => {
    const termine = { ...fiche, statut: 'termine', dateFin: '2027-01-01' };
    expect(writeRuleErrors('ficheProjet', termine, 'all', { today: TODAY }).map((e) => e.field)).toEqual(['dateFin']);
    expect(writeRuleErrors('ficheProjet', { ...termine, statut: 'en_cours' }, 'all', { today: TODAY })).toEqual([]);
    expect(writeRuleErrors('ficheProjet', { ...termine, dateFin: TODAY }, 'all', { today: TODAY })).toEqual([]);
  });
  it('cofinancements alone above the total cost are refused', () => {
    const e = writeRuleErrors(
      'ficheProjet',
      { ...fiche, coutTotal: 10_000, cofinancements: [{ financeur: 'autre', montant: 99_999 }] },
      'all',
    );
    expect(e).toHaveLength(1);
    expect(e[0]!.field).toBe('cofinancements');
    expect(e[0]!.message).toMatch(
      /^« Cofinancements » : leur total \(99\s999,00\s€\) dépasse le coût total du projet \(10\s000,00\s€\)\.$/,
    );
    expect(
      writeRuleErrors('ficheProjet', { ...fiche, cofinancements: [{ financeur: 'autre', montant: 10_000 }] }, 'all'),
    ).toEqual([]);
    // No total cost: nothing to compare with.
    expect(
      writeRuleErrors(
        'ficheProjet',
        { ...fiche, coutTotal: null, cofinancements: [{ financeur: 'autre', montant: 5 }] },
        'all',
      ),
    ).toEqual([]);
  });
  it('only the fields a write sets: an old record breaking a rule can still be edited elsewhere', () => {
    const old = { ...fiche, coutTotal: 10_000, cofinancements: [{ financeur: 'autre', montant: 99_999 }] };
    expect(writeRuleErrors('ficheProjet', old, ['intitule'])).toEqual([]);
    expect(writeRuleErrors('ficheProjet', old, ['coutTotal'])).toHaveLength(1);
    // The stored record itself still passes the schema: it loads and shows.
    expect(ficheProjetSchema.safeParse(old).success).toBe(true);
    expect(partenariatSchema.safeParse({ ...partenariat, dateConvention: '2031-01-10' }).success).toBe(true);
  });
  it('a rule whose field the schema refused waits for it', () => {
    const e = writeRuleErrors('partenariat', { ...partenariat, dateConvention: '2031-13-45' }, 'all', {
      invalid: new Set(['dateConvention']),
      today: TODAY,
    });
    expect(e).toEqual([]);
  });
});

describe('warnings', () => {
  it('« En cours » starting after today: a warning', () => {
    expect(
      ficheProjetWarnings({ ...fiche, statut: 'en_cours', dateDebut: '2030-01-01' } as never, TODAY).map((w) => w.code),
    ).toEqual(['EN_COURS_PAS_COMMENCE']);
    expect(ficheProjetWarnings({ ...fiche, statut: 'en_projet', dateDebut: '2030-01-01' } as never, TODAY)).toEqual([]);
  });
  it('cofinancements and participation above the cost: a warning (cofinancements alone: an error, above)', () => {
    const w = (participationCollectivite: number, montant: number) =>
      ficheProjetWarnings(
        {
          ...fiche,
          coutTotal: 10_000,
          participationCollectivite,
          cofinancements: [{ financeur: 'autre', montant }],
        } as never,
        TODAY,
      ).map((x) => x.code);
    expect(w(2_000, 9_000)).toEqual(['FINANCEMENT_SUPERIEUR_AU_COUT']);
    expect(w(1_000, 9_000)).toEqual([]);
    expect(w(0, 99_999)).toEqual([]);
  });
  it('capitals: the advice says « not all in capitals », as its example does', () => {
    expect(partenariatWarnings({ nomPartenaire: 'SAINT-LOUIS' })[0]!.message).toBe(
      "Le nom du partenaire est écrit en majuscules : l'Atlas demande de ne pas l'écrire tout en majuscules (par exemple « Saint-Louis »).",
    );
  });
});

describe('today in Europe/Paris', () => {
  it('the calendar day in Paris, whatever the machine’s zone', () => {
    // 23:30 UTC on 31 December is already 1 January in Paris.
    expect(todayParis(new Date('2025-12-31T23:30:00Z'))).toBe('2026-01-01');
    expect(currentYear(new Date('2025-12-31T23:30:00Z'))).toBe(2026);
    expect(todayParis(new Date('2026-07-01T21:59:00Z'))).toBe('2026-07-01');
    expect(todayParis(new Date('2026-07-01T22:00:00Z'))).toBe('2026-07-02');
  });
});

describe('the catalogue is true to the schema', () => {
  it('« Statut » of a partenariat has a default: not required, no empty entry', () => {
    expect(fieldInfo('partenariat', 'statut')).toMatchObject({ required: false, defaultValue: 'active' });
    const { statut: _s, ...rest } = partenariat;
    expect(partenariatSchema.parse(rest).statut).toBe('active');
  });
  it('« Base du dispositif « 1 % » »: one « Aucun », one name in label and messages', () => {
    const info = fieldInfo('ficheProjet', 'dispositifUnPourCent')!;
    expect(info).toMatchObject({ label: 'Base du dispositif « 1 % »', required: false, defaultValue: 'aucun' });
    expect(info.choices!.filter((c) => c.label === 'Aucun')).toHaveLength(1);
    expect(errorsOf(ficheProjetSchema, { ...fiche, dispositifUnPourCent: 'x' })[0]!.message).toBe(
      '« Base du dispositif « 1 % » » : choisissez une valeur de la liste.',
    );
  });
  it('every field marked required is refused when empty, and every other one is not', () => {
    for (const name of ['contact', 'adhesion', 'partenariat', 'ficheProjet', 'declarationApd', 'ligneApd'] as const) {
      const shape = entityDef(name).schema.shape as Record<string, { safeParse(v: unknown): { success: boolean } }>;
      for (const [field, schema] of Object.entries(shape)) {
        const info = fieldInfo(name, field);
        if (!info || info.type === 'boolean') continue;
        const emptyPasses = schema.safeParse(undefined).success || schema.safeParse(null).success;
        expect(info.required, `${name}.${field}`).toBe(!emptyPasses);
      }
    }
  });
  it('an empty year is « obligatoire », not « supérieur ou égal à 2000 »', () => {
    const d = { id: ID(40), collectiviteId: ID(1), annee: '', commentaire: null };
    expect(errorsOf(declarationApdSchema, d)).toEqual([
      { field: 'annee', message: '« Année de la déclaration » est obligatoire.' },
    ]);
    expect(errorsOf(declarationApdSchema, { ...d, annee: '  ' })[0]!.message).toBe(
      '« Année de la déclaration » est obligatoire.',
    );
    expect(fieldInfo('declarationApd', 'annee')).toMatchObject({ label: 'Année de la déclaration', column: 'Année' });
  });
  it('the login’s address is named as its label: « Adresse électronique »', () => {
    const r = loginRequest.safeParse({ email: 'pas-une-adresse', password: 'x'.repeat(12) });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.message)).toContain(
      '« Adresse électronique » n’est pas valide (exemple : prenom.nom@mairie-exemple.fr).',
    );
  });
});
