// Field builders: type, length, control characters, markup, formats, ranges — each with a valid
// and an invalid case and a French message that names the field as its form labels it.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  LIMITS,
  amount,
  bool,
  date,
  dateTime,
  email,
  entity,
  enumOf,
  int,
  optionalAmount,
  optionalDate,
  optionalEmail,
  optionalPhone,
  optionalText,
  optionalUrl,
  text,
  uuid,
  year,
} from '../../../src-shared/domain/fields';
import { fieldErrors, summarize } from '../../../src-shared/domain/messages';
import { ID } from './helpers';

const msg = (schema: z.ZodType, input: unknown): string => {
  const r = schema.safeParse(input);
  expect(r.success, `expected ${JSON.stringify(input)} to be rejected`).toBe(false);
  return r.success ? '' : r.error.issues[0]!.message;
};

describe('text', () => {
  const s = text('Nom du partenaire', { max: 20 });
  it('accepts and trims text', () => expect(s.parse('  Dakar  ')).toBe('Dakar'));
  it('requires a value, naming the field', () => {
    expect(msg(s, '')).toBe('« Nom du partenaire » est obligatoire.');
    expect(msg(s, '   ')).toBe('« Nom du partenaire » est obligatoire.');
    expect(msg(s, undefined)).toBe('« Nom du partenaire » est obligatoire.');
    expect(msg(s, null)).toBe('« Nom du partenaire » est obligatoire.');
  });
  it('rejects a wrong type', () => {
    expect(msg(s, 42)).toBe('« Nom du partenaire » doit être un texte.');
    expect(msg(s, { a: 1 })).toBe('« Nom du partenaire » doit être un texte.');
  });
  it('rejects an over-long string at the limit + 1', () => {
    expect(s.parse('x'.repeat(20))).toHaveLength(20);
    expect(msg(s, 'x'.repeat(21))).toBe('« Nom du partenaire » ne peut dépasser 20 caractères.');
  });
  it('uses the default limit for short texts', () => {
    const d = text('Intitulé');
    expect(d.safeParse('a'.repeat(LIMITS.shortText)).success).toBe(true);
    expect(msg(d, 'a'.repeat(LIMITS.shortText + 1))).toMatch(/« Intitulé » ne peut dépasser 200 caractères/);
  });
  it('rejects control characters but keeps line breaks and tabs', () => {
    expect(msg(s, 'Da\u0000kar')).toBe('« Nom du partenaire » contient des caractères de contrôle non autorisés.');
    expect(msg(s, 'Da\u001bkar')).toMatch(/caractères de contrôle/);
    expect(text('Description', { max: 100 }).parse('ligne 1\nligne 2\tfin')).toBe('ligne 1\nligne 2\tfin');
  });
  it('stores markup verbatim as text, never interpreted nor stripped', () => {
    const d = text('Description', { max: 500 });
    const markup = '<script>alert("x")</script><img src=x onerror=alert(1)> & « Saint-Louis »';
    expect(d.parse(markup)).toBe(markup);
  });
  it('keeps accents and non-Latin scripts', () => {
    expect(s.parse('Ouagadougou – ߒߞߏ')).toBe('Ouagadougou – ߒߞߏ');
  });
});

describe('optionalText', () => {
  const s = optionalText('Commentaire', { max: 10 });
  it('turns empty input into null', () => {
    expect(s.parse('')).toBeNull();
    expect(s.parse('   ')).toBeNull();
    expect(s.parse(undefined)).toBeNull();
    expect(s.parse(null)).toBeNull();
  });
  it('still applies limits and types', () => {
    expect(s.parse('court')).toBe('court');
    expect(msg(s, 'x'.repeat(11))).toBe('« Commentaire » ne peut dépasser 10 caractères.');
    expect(msg(s, 12)).toBe('« Commentaire » doit être un texte.');
  });
});

describe('email', () => {
  const s = email('Courriel');
  it.each(['prenom.nom@mairie-exemple.fr', 'a.b+atlas@ville.paris', 'daect@diplomatie.gouv.fr'])('accepts %s', (v) => {
    expect(s.parse(v)).toBe(v);
  });
  it('trims surrounding spaces', () => expect(s.parse(' jean@ville.fr ')).toBe('jean@ville.fr'));
  it.each([
    'jean',
    'jean@',
    '@ville.fr',
    'jean@ville',
    'jean dupont@ville.fr',
    'jean..dupont@ville.fr',
    'jean@ville.f',
    '<jean@ville.fr>',
    'a@b@ville.fr',
  ])('rejects %s with an example of a valid address', (v) =>
    expect(msg(s, v)).toBe(
      "« Courriel » n'est pas une adresse électronique valide (exemple : prenom.nom@mairie-exemple.fr).",
    ),
  );
  it('is required', () => expect(msg(s, '')).toBe('« Courriel » est obligatoire.'));
  it('rejects over-long addresses', () => {
    expect(msg(s, `${'a'.repeat(250)}@ville.fr`)).toBe(`« Courriel » ne peut dépasser ${LIMITS.email} caractères.`);
  });
  it('optional e-mail: empty is null, wrong is still wrong', () => {
    const o = optionalEmail('Courriel');
    expect(o.parse('')).toBeNull();
    expect(o.parse('mairie@ville.fr')).toBe('mairie@ville.fr');
    expect(msg(o, 'mairie')).toMatch(/« Courriel » n'est pas une adresse électronique valide/);
  });
});

describe('phone and url', () => {
  const p = optionalPhone('Téléphone');
  it.each(['01 23 45 67 89', '+33 1 23 45 67 89', '(0)4.72.10.30.30'])('accepts the phone %s', (v) =>
    expect(p.parse(v)).toBe(v),
  );
  it('rejects letters and over-long numbers', () => {
    expect(msg(p, 'appeler la mairie')).toBe("« Téléphone » n'est pas un numéro de téléphone valide.");
    expect(msg(p, '1'.repeat(31))).toBe('« Téléphone » ne peut dépasser 30 caractères.');
  });
  const u = optionalUrl('Site web');
  it('accepts http(s) addresses and empty', () => {
    expect(u.parse('https://www.lyon.fr/international')).toBe('https://www.lyon.fr/international');
    expect(u.parse('')).toBeNull();
  });
  it('rejects other schemes, scripts and bare words', () => {
    for (const v of ['javascript:alert(1)', 'ftp://ville.fr', 'www.ville.fr', 'https://ville']) {
      expect(msg(u, v)).toBe('« Site web » doit être une adresse web commençant par https:// ou http://.');
    }
    expect(msg(u, `https://ville.fr/${'a'.repeat(500)}`)).toBe('« Site web » ne peut dépasser 500 caractères.');
  });
});

describe('dates', () => {
  const d = date('Date de début');
  it('accepts real calendar dates', () => {
    expect(d.parse('2024-02-29')).toBe('2024-02-29');
  });
  it('rejects impossible or badly formatted dates', () => {
    for (const v of ['2023-02-29', '2024-13-01', '01/02/2024', '2024-1-1', '2024-01-01T10:00:00Z']) {
      expect(msg(d, v)).toBe("« Date de début » n'est pas une date valide (JJ/MM/AAAA).");
    }
  });
  it('rejects out-of-range years', () => {
    expect(msg(d, '1899-12-31')).toBe('« Date de début » doit être comprise entre 1900 et 2100.');
    expect(msg(d, '2101-01-01')).toBe('« Date de début » doit être comprise entre 1900 et 2100.');
  });
  it('requires a value, optional variant turns empty into null', () => {
    expect(msg(d, undefined)).toBe('« Date de début » est obligatoire.');
    expect(optionalDate('Date de fin').parse('')).toBeNull();
    expect(msg(optionalDate('Date de fin'), '31/12/2024')).toMatch(/« Date de fin » n'est pas une date valide/);
  });
  it('timestamps need an offset', () => {
    const t = dateTime('Vérifiée le');
    expect(t.parse('2025-03-01T10:00:00.000Z')).toBe('2025-03-01T10:00:00.000Z');
    expect(msg(t, '2025-03-01')).toBe("« Vérifiée le » n'est pas un horodatage valide.");
  });
});

describe('amounts and numbers', () => {
  const a = amount('Coût total');
  it('accepts euros with two decimals, zero included', () => {
    expect(a.parse(0)).toBe(0);
    expect(a.parse(1234.56)).toBe(1234.56);
    expect(a.parse(LIMITS.amount)).toBe(LIMITS.amount);
  });
  it('rejects negative, too large, three decimals, NaN, Infinity and strings', () => {
    expect(msg(a, -1)).toBe('« Coût total » ne peut pas être négatif.');
    expect(msg(a, LIMITS.amount + 1)).toBe("« Coût total » ne peut dépasser 10 milliards d'euros.");
    expect(msg(a, 1.005)).toBe('« Coût total » ne peut avoir plus de deux décimales.');
    expect(msg(a, Number.NaN)).toMatch(/« Coût total » doit être un montant en euros/);
    expect(msg(a, Number.POSITIVE_INFINITY)).toMatch(/« Coût total »/);
    expect(msg(a, '1000')).toBe('« Coût total » doit être un montant en euros.');
  });
  it('positive amounts refuse zero', () => {
    const p = amount('Montant', { positive: true });
    expect(p.parse(0.01)).toBe(0.01);
    expect(msg(p, 0)).toBe('« Montant » doit être supérieur à 0 €.');
  });
  it('optional amount defaults to null', () => {
    expect(optionalAmount('Coût total').parse(undefined)).toBeNull();
    expect(optionalAmount('Coût total').parse(null)).toBeNull();
  });
  it('integers: type, integrality and range', () => {
    const i = int('ODD', 1, 17);
    expect(i.parse(17)).toBe(17);
    expect(msg(i, 18)).toBe('« ODD » doit être inférieur ou égal à 17.');
    expect(msg(i, 0)).toBe('« ODD » doit être supérieur ou égal à 1.');
    expect(msg(i, 2.5)).toBe('« ODD » doit être un nombre entier.');
    expect(msg(i, '3')).toBe('« ODD » doit être un nombre entier.');
    expect(year('Année').safeParse(1949).success).toBe(false);
  });
});

describe('ids, enums, booleans', () => {
  it('uuid', () => {
    expect(uuid('Collectivité').parse(ID(1))).toBe(ID(1));
    expect(msg(uuid('Collectivité'), 'abc')).toBe("« Collectivité » n'est pas un identifiant valide.");
  });
  it('enum', () => {
    const e = enumOf('Statut', ['active', 'terminee'] as const);
    expect(e.parse('active')).toBe('active');
    expect(msg(e, 'Active')).toBe('« Statut » : choisissez une valeur de la liste.');
  });
  it('boolean', () => {
    expect(bool('Jumelage').parse(true)).toBe(true);
    expect(msg(bool('Jumelage'), 'oui')).toBe('« Jumelage » doit être coché ou décoché.');
  });
});

describe('entity', () => {
  const e = entity({ nom: text('Nom') });
  it('refuses unknown fields on writes, naming them', () => {
    expect(e.parse({ nom: 'Lyon' })).toEqual({ nom: 'Lyon' });
    expect(msg(e, { nom: 'Lyon', admin: true })).toBe('Champ inconnu : admin.');
  });
  it('refuses what is not a record', () => {
    expect(msg(e, 'Lyon')).toBe('Les données envoyées ne forment pas un enregistrement.');
    expect(msg(e, null)).toBe('Les données envoyées ne forment pas un enregistrement.');
  });
  it('fieldErrors and summarize give French messages keyed by field', () => {
    const r = z.object({ a: text('Prénom'), b: text('Nom') }).safeParse({ a: '', b: '' });
    expect(r.success).toBe(false);
    if (r.success) return;
    expect(fieldErrors(r.error)).toEqual([
      { field: 'a', message: '« Prénom » est obligatoire.' },
      { field: 'b', message: '« Nom » est obligatoire.' },
    ]);
    expect(summarize(r.error)).toBe('2 problèmes : « Prénom » est obligatoire. « Nom » est obligatoire.');
  });
});
