// A device's packet of changes (`.atlas-modifs`): exactly what its next sync request would carry (change
// ids, device sequence numbers, bases), with its author, device and collectivité, in the signed container
// of ./container.ts. Whoever imports it, the server applies it as its author through the sync path.
import { z } from 'zod';
import { change } from '../sync/protocol';

/** A packet holds the whole outbox; a commune's weeks of offline work stay far below this. */
export const MAX_PACKET_CHANGES = 20_000;

export const packetPayload = z.object({
  author: z.object({ userId: z.uuid(), nom: z.string().max(200), email: z.string().max(254) }),
  device: z.object({ id: z.uuid() }),
  /** The author's collectivité (agents), null for SGAR and DAECT authors. */
  collectiviteId: z.uuid().nullable(),
  changes: z.array(change).min(1).max(MAX_PACKET_CHANGES),
});
export type PacketPayload = z.infer<typeof packetPayload>;
