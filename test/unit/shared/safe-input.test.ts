// Input that cannot be stored or would blow the stack is refused by the shared schemas themselves
// (issue 12, item 6): control characters and lone surrogates in every text, depth of sync values.
import { describe, expect, it } from 'vitest';
import { email, hasControlChars, safeString, text } from '../../../src-shared/domain/fields';
import { deviceInfo, loginRequest } from '../../../src-shared/api/auth';
import { accountRequest } from '../../../src-shared/api/accounts';
import { fieldChange, MAX_VALUE_DEPTH, valueDepth } from '../../../src-shared/sync/protocol';

describe('control characters', () => {
  it('are refused except tab and line breaks; lone surrogates too, pairs are fine', () => {
    for (const bad of ['\u0000', 'a\u0001', '\u001b[0m', '\u007f', 'x\uD800', '\uDC00y'])
      expect(hasControlChars(bad), JSON.stringify(bad)).toBe(true);
    for (const ok of ['Saint-Brieuc', 'ligne\nligne', 'col\tcol', 'r\r\n', '𝕏 émoji 👍', ''])
      expect(hasControlChars(ok), JSON.stringify(ok)).toBe(false);
  });

  it('give the field’s French message in every schema that takes text from people', () => {
    expect(safeString('Nom').safeParse('a\u0000').error?.issues[0]?.message).toBe(
      '« Nom » contient des caractères de contrôle non autorisés.',
    );
    expect(text('Fonction').safeParse('Maire\uD800').success).toBe(false);
    expect(email('Courriel').safeParse('a\u0000@b.fr').success).toBe(false);
    expect(loginRequest.shape.email.safeParse('agent\u0000@mairie.fr').error?.issues[0]?.message).toMatch(
      /caractères de contrôle/,
    );
    expect(deviceInfo.shape.name.safeParse('Poste\u0000').error?.issues[0]?.message).toBe(
      '« Nom du poste » contient des caractères de contrôle non autorisés.',
    );
    expect(accountRequest.shape.nom.safeParse('A\u0007').success).toBe(false);
    expect(accountRequest.shape.fonction.safeParse('Chargée\nde mission').success).toBe(true);
  });
});

describe('sync value depth', () => {
  it('is measured without recursion, and values deeper than the limit are refused', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(valueDepth(deep)).toBeGreaterThan(MAX_VALUE_DEPTH);
    expect(valueDepth([{ a: [1] }])).toBe(3);
    expect(valueDepth('texte')).toBe(0);
    expect(fieldChange.safeParse({ value: deep, base: 0 }).error?.issues[0]?.message).toBe(
      `Valeur trop imbriquée (${MAX_VALUE_DEPTH} niveaux au plus).`,
    );
    expect(fieldChange.safeParse({ value: [{ montant: 1, financeur: 'ue' }], base: 3 }).success).toBe(true);
  });
});
