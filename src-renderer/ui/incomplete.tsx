// A record a screen expects whole may be incomplete on this device (a copy damaged before the sync fix,
// a record still arriving): screens show what they have, say so, and never crash on a missing field.
import { entityDef, type EntityName } from '../../src-shared/registry';

/** Labels of the required fields this record lacks (empty when it is whole). */
export function incompleteFields(entity: EntityName, rec: Record<string, unknown> | null | undefined): string[] {
  if (!rec) return [];
  const parsed = entityDef(entity).schema.safeParse(rec);
  if (parsed.success) return [];
  const labels: string[] = [];
  for (const issue of parsed.error.issues) {
    const value = issue.path.reduce<unknown>(
      (v, k) => (v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k as PropertyKey] : undefined),
      rec,
    );
    if (value !== undefined && value !== null) continue;
    const label = /« (.+?) »/.exec(issue.message)?.[1] ?? String(issue.path[0] ?? '');
    if (label && !labels.includes(label)) labels.push(label);
  }
  return labels;
}

/** French comparison that tolerates a missing text (sorted first). */
export function compareFr(a: string | null | undefined, b: string | null | undefined): number {
  return (a ?? '').localeCompare(b ?? '', 'fr');
}

/** A DSFR warning above a record whose copy on this device lacks required fields. */
export function IncompleteNotice(props: { entity: EntityName; record: Record<string, unknown> | null | undefined }) {
  const missing = incompleteFields(props.entity, props.record);
  if (!missing.length) return null;
  return (
    <div className="fr-alert fr-alert--warning fr-alert--sm fr-mb-3w" role="status">
      <p>
        Cet enregistrement est incomplet sur ce poste ({missing.length > 1 ? 'champs manquants' : 'champ manquant'} :{' '}
        {missing.join(', ')}). Il sera complété à la prochaine synchronisation ; en attendant, ce qui est connu est
        affiché.
      </p>
    </div>
  );
}
