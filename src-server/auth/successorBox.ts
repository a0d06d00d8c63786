// The refresh grace period answers a repeated refresh with the same new pair. Raw tokens are never
// stored, so the pair is kept encrypted (AES-256-GCM) under a key derived from the rotated token itself
// and the server secret: a database dump alone cannot open it, and whoever presents the rotated token
// again (the device whose answer was lost) can.
import crypto from 'node:crypto';

function keyFor(secret: Buffer, rotatedToken: string): Buffer {
  return Buffer.from(
    crypto.hkdfSync('sha256', Buffer.from(rotatedToken, 'utf8'), secret, 'atlas refresh successor', 32),
  );
}

export function sealSuccessor(
  secret: Buffer,
  rotatedToken: string,
  pair: { accessToken: string; refreshToken: string },
): string {
  const iv = crypto.randomBytes(12);
  const c = crypto.createCipheriv('aes-256-gcm', keyFor(secret, rotatedToken), iv);
  const body = Buffer.concat([c.update(JSON.stringify(pair), 'utf8'), c.final()]);
  return Buffer.concat([iv, c.getAuthTag(), body]).toString('base64');
}

export function openSuccessor(
  secret: Buffer,
  rotatedToken: string,
  box: string,
): { accessToken: string; refreshToken: string } | null {
  try {
    const raw = Buffer.from(box, 'base64');
    const d = crypto.createDecipheriv('aes-256-gcm', keyFor(secret, rotatedToken), raw.subarray(0, 12));
    d.setAuthTag(raw.subarray(12, 28));
    const json = Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
    const pair = JSON.parse(json) as { accessToken?: unknown; refreshToken?: unknown };
    return typeof pair.accessToken === 'string' && typeof pair.refreshToken === 'string'
      ? { accessToken: pair.accessToken, refreshToken: pair.refreshToken }
      : null;
  } catch {
    return null;
  }
}
