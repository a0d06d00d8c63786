import type { EntityName } from '../../src-shared/registry';
import { useContext } from 'react';
import { AppContext } from '../core/context';
import { useRecordStatus } from '../core/data';

const LABELS = {
  synced: { text: 'Synchronisé', cls: 'fr-badge--success' },
  pending: { text: 'En attente d’envoi', cls: 'fr-badge--info' },
  conflict: { text: 'Conflit', cls: 'fr-badge--warning' },
  rejected: { text: 'Refusé par le serveur', cls: 'fr-badge--error' },
} as const;

/** Per-record sync state, in words (never colour alone). */
export function StatusBadge({ entity, id }: { entity: EntityName; id: string }) {
  const s = useRecordStatus(entity, id);
  // A snapshot's records are neither synced nor pending here: its banner says what they are.
  const viewer = useContext(AppContext)?.visionneuse;
  if (!s || viewer) return null;
  const l = LABELS[s as keyof typeof LABELS];
  if (!l) return null;
  return (
    <span className={`fr-badge fr-badge--sm ${l.cls}`} data-testid="statut-enregistrement" data-status={s}>
      {l.text}
    </span>
  );
}
