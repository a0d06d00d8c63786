// Digests of a scope's records, the same on the server and on a device, so that a device can check its
// copy cheaply and re-pull only what differs (guarantee 12 in docs/architecture.md, "Checking a copy").
// Records fall into the 256 buckets of their collectivité (the device's packs use the same buckets).
// A record's hash covers its entity, id and every schema field's value; a bucket's digest is the XOR of
// its records' hashes (order-free, so either side can add records in any order); the scope's digest
// hashes the bucket digests in bucket order.
import { entityFields, scopeOf, type EntityName } from '../registry';

export const DIGEST_BUCKETS = 256;

/** FNV-1a of the collectivité id folded into the buckets: stable across versions (device packs are stored by it). */
export function bucketOfScope(scope: string | null | undefined): number {
  const s = scope ?? '';
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % DIGEST_BUCKETS;
}

export function bucketOfRecord(entity: EntityName, rec: Record<string, unknown>): number {
  const scope = scopeOf(entity, rec);
  return bucketOfScope(typeof scope === 'string' ? scope : null);
}

/** JSON with object keys sorted (jsonb orders keys its own way) and absent values as null. */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(v ?? null, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(
          Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : x,
  );
}

/** Two independent 32-bit FNV-1a hashes of a string (64 bits: a chance collision is negligible here). */
function hash64(s: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15);
  }
  return [a >>> 0, b >>> 0];
}

/** A record's hash: entity, id and every schema field (what the pull sends), null where empty. */
export function recordHash(entity: EntityName, rec: Record<string, unknown>): [number, number] {
  const parts = [entity, String(rec.id)];
  for (const f of entityFields(entity)) if (f !== 'id') parts.push(canonicalJson(rec[f]));
  return hash64(parts.join('\u0001'));
}

/** Bucket digests of a set of records, built one record at a time. */
export class ScopeDigest {
  private readonly a = new Uint32Array(DIGEST_BUCKETS);
  private readonly b = new Uint32Array(DIGEST_BUCKETS);
  records = 0;

  add(entity: EntityName, rec: Record<string, unknown>) {
    const i = bucketOfRecord(entity, rec);
    const [x, y] = recordHash(entity, rec);
    this.a[i] = (this.a[i]! ^ x) >>> 0;
    this.b[i] = (this.b[i]! ^ y) >>> 0;
    this.records++;
  }

  /** Each bucket's digest, 16 hex characters. */
  buckets(): string[] {
    return Array.from(
      { length: DIGEST_BUCKETS },
      (_, i) => this.a[i]!.toString(16).padStart(8, '0') + this.b[i]!.toString(16).padStart(8, '0'),
    );
  }

  /** The scope's digest, 16 hex characters. */
  top(): string {
    const [x, y] = hash64(this.buckets().join(''));
    return x.toString(16).padStart(8, '0') + y.toString(16).padStart(8, '0');
  }
}

/** Buckets whose digests differ (both lists in bucket order). */
export function differingBuckets(mine: readonly string[], theirs: readonly string[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < DIGEST_BUCKETS; i++) if (mine[i] !== theirs[i]) out.push(i);
  return out;
}
