// Issue 14, items 3 and 4: a delete's words say the entity's own noun then the name (no gender guessed
// from the name), the question before deleting a record with children says what goes with it, and a
// very long name is quoted shortened.
import { describe, expect, it } from 'vitest';
import { deletedMessage, deleteQuestion, WORDS } from '../../../src-renderer/ui/deleteWords';
import { partenariatWarnings, quoteShort, QUOTE_MAX } from '../../../src-shared/domain/warnings';
import { ENTITY_NAMES } from '../../../src-shared/registry';

describe('the words of a delete', () => {
  it('toasts: the noun, then the name', () => {
    expect(deletedMessage('contact', 'Claire Le Goff-Quéré')).toBe(
      'Élu ou cadre supprimé\u00a0: Claire Le Goff-Quéré.',
    );
    expect(deletedMessage('ligneApd')).toBe('Ligne supprimée.');
    expect(deletedMessage('adhesion', 'Cités Unies France')).toBe('Adhésion supprimée\u00a0: Cités Unies France.');
    expect(deletedMessage('ficheProjet', 'Forages')).toBe('Fiche-projet supprimée\u00a0: Forages.');
  });

  it('every entity has its words', () => {
    for (const e of ENTITY_NAMES) expect(WORDS[e].deleted, e).toMatch(/^\p{Lu}.* supprimée?$/u);
  });

  it('the question names what goes with the record, with its number', () => {
    expect(deleteQuestion('partenariat', 'Tambacounda', [])).toBeNull();
    expect(deleteQuestion('partenariat', 'Tambacounda', [{ entity: 'ficheProjet', count: 3 }])).toBe(
      'Supprimer le partenariat « Tambacounda » et ses 3 fiches-projets ?',
    );
    expect(deleteQuestion('partenariat', 'Tambacounda', [{ entity: 'ficheProjet', count: 1 }])).toBe(
      'Supprimer le partenariat « Tambacounda » et sa fiche-projet ?',
    );
    expect(
      deleteQuestion('partenariat', 'Tambacounda', [
        { entity: 'ficheProjet', count: 2 },
        { entity: 'avis', count: 1 },
      ]),
    ).toBe('Supprimer le partenariat « Tambacounda » et ses 2 fiches-projets, avec 1 avis ?');
    expect(deleteQuestion('declarationApd', '2024', [{ entity: 'ligneApd', count: 4 }])).toBe(
      'Supprimer la déclaration d’APD « 2024 » et ses 4 lignes ?',
    );
  });

  it('a very long name is quoted shortened, in the toast and in the advice', () => {
    const long = 'A'.repeat(5_000);
    expect(quoteShort(long)).toHaveLength(QUOTE_MAX);
    expect(quoteShort(long).endsWith('…')).toBe(true);
    expect(quoteShort('Dakar')).toBe('Dakar');
    expect(deletedMessage('partenariat', long).length).toBeLessThan(QUOTE_MAX + 30);
    const [w] = partenariatWarnings({ nomPartenaire: long });
    expect(w!.message.length).toBeLessThan(300);
  });
});
