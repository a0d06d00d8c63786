// What importing a packet of changes did, in French: for the synchronisation screen, the restore offer and the
// upload page (no import of the offline copy here: the upload page loads without it).
import type { PacketImportResponse } from '../../../src-shared/api/sync';
import { formatDateTime } from '../../ui/format';

const plural = (n: number, one: string, many: string) => `${n} ${n > 1 ? many : one}`;

/** What importing a packet did (applied, merged, conflicts, refused, already known), in French. */
export function PacketSummary({
  r,
  title = 'Paquet importé',
  level = 4,
}: {
  r: PacketImportResponse;
  title?: string;
  /** Its heading's level in the page. */
  level?: 2 | 3 | 4;
}) {
  const Heading = `h${level}` as const;
  const c = r.counts;
  const parts = [
    c.applied && plural(c.applied, 'appliquée', 'appliquées'),
    c.merged && plural(c.merged, 'fusionnée', 'fusionnées'),
    c.conflicts &&
      plural(c.conflicts, 'en conflit (à résoudre par son auteur)', 'en conflit (à résoudre par leur auteur)'),
    c.rejected && plural(c.rejected, 'refusée', 'refusées'),
    c.alreadyKnown && plural(c.alreadyKnown, 'déjà connue du serveur', 'déjà connues du serveur'),
  ].filter(Boolean);
  const refused = r.results.filter((x) => x.status === 'rejected' && !x.duplicate && x.message);
  return (
    <div className="fr-alert fr-alert--success fr-mt-2w" data-testid="paquet-resume">
      <Heading className="fr-alert__title">{title}</Heading>
      <p>
        Modifications de {r.author.nom} ({r.author.email}, poste « {r.device.name} »), enregistrées le{' '}
        {formatDateTime(r.createdAt)} : {parts.join(', ')}.
      </p>
      {refused.length > 0 && (
        <ul>
          {refused.slice(0, 20).map((x) => (
            <li key={x.id}>{x.message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
