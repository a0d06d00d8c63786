// The words of a delete, per entity, written out (no gender guessed from a name): the toast's
// "Élu ou cadre supprimé : Claire Le Goff-Quéré." and the question before deleting a record with children,
// "Supprimer le partenariat « X » et ses 3 fiches-projets ?". Pure, for the screens and their tests.
import { quoteShort } from '../../src-shared/domain/warnings';
import { entityDef, type EntityName } from '../../src-shared/registry';

/** Each entity's own words, written out: no gender is guessed from a name. `one`/`many`: as a child ("et ses 3 fiches-projets"). */
export const WORDS: Record<EntityName, { deleted: string; the: string; one: string; many: string }> = {
  collectivite: {
    deleted: 'Collectivité supprimée',
    the: 'la collectivité',
    one: 'sa collectivité',
    many: 'collectivités',
  },
  contact: {
    deleted: 'Élu ou cadre supprimé',
    the: 'l’élu ou le cadre',
    one: 'son élu ou cadre',
    many: 'élus et cadres',
  },
  adhesion: { deleted: 'Adhésion supprimée', the: 'l’adhésion', one: 'son adhésion', many: 'adhésions' },
  partenariat: { deleted: 'Partenariat supprimé', the: 'le partenariat', one: 'son partenariat', many: 'partenariats' },
  ficheProjet: {
    deleted: 'Fiche-projet supprimée',
    the: 'la fiche-projet',
    one: 'sa fiche-projet',
    many: 'fiches-projets',
  },
  declarationApd: {
    deleted: 'Déclaration d’APD supprimée',
    the: 'la déclaration d’APD',
    one: 'sa déclaration d’APD',
    many: 'déclarations d’APD',
  },
  ligneApd: { deleted: 'Ligne supprimée', the: 'la ligne', one: 'sa ligne', many: 'lignes' },
  avis: { deleted: 'Avis supprimé', the: 'l’avis', one: 'son avis', many: 'avis' },
  campagne: { deleted: 'Campagne supprimée', the: 'la campagne', one: 'sa campagne', many: 'campagnes' },
  attestationCampagne: {
    deleted: 'Attestation supprimée',
    the: 'l’attestation',
    one: 'son attestation',
    many: 'attestations',
  },
};

/** "Élu ou cadre supprimé : Claire Le Goff-Quéré." — the entity's noun, then the name (shortened if very long). */
export function deletedMessage(entity: EntityName, name?: string): string {
  return name ? `${WORDS[entity].deleted}\u00a0: ${quoteShort(name)}.` : `${WORDS[entity].deleted}.`;
}

/** "Supprimer le partenariat « X » et ses 3 fiches-projets ?" (then ", avec 2 avis"), or null without children. */
export function deleteQuestion(
  entity: EntityName,
  name: string | undefined,
  kids: { entity: EntityName; count: number }[],
): string | null {
  if (!kids.length) return null;
  const what = name ? `${WORDS[entity].the} « ${quoteShort(name)} »` : WORDS[entity].the;
  const [first, ...rest] = kids;
  const ses = first!.count === 1 ? WORDS[first!.entity].one : `ses ${first!.count} ${WORDS[first!.entity].many}`;
  const more = rest.map((k) => `${k.count} ${k.count === 1 ? entityDef(k.entity).label : WORDS[k.entity].many}`);
  return `Supprimer ${what} et ${ses}${more.length ? `, avec ${more.join(' et ')}` : ''} ?`;
}
