// The server keys this app trusts to sign snapshots (.atlas-instantane), directly or through an SGAR's or
// the DAECT's device certificate: the keys shipped with the app (resources/cles-serveur.json, filled when
// a release is packaged for a deployment) and the keys pinned from the server this app connects to (its
// well-known URL, read over the session's own connection). Pinned keys live in localStorage, not in the
// offline copy: the viewer opens a snapshot with no account and no store, and a wiped copy keeps them.
import { z } from 'zod';
import shipped from '../../resources/cles-serveur.json';
import { SERVER_KEY_PATH, serverKeyDocument, type ServerKey } from '../../src-shared/files/snapshot';

const PINNED_KEY = 'atlas.clesServeur';
/** A server rotates its key rarely: the last few are kept so older snapshots still open. */
const MAX_PINNED = 8;

const keyList = z.array(serverKeyDocument);

function pinned(): ServerKey[] {
  try {
    const parsed = keyList.safeParse(JSON.parse(globalThis.localStorage?.getItem(PINNED_KEY) ?? '[]'));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

/** Every key this app trusts, shipped ones first. */
export function trustedServerKeys(): ServerKey[] {
  const out = keyList.safeParse(shipped).data ?? [];
  for (const k of pinned()) if (!out.some((o) => o.keyId === k.keyId)) out.push(k);
  return out;
}

/** Reads the server's key at its well-known URL and pins it; a failure leaves the list as it was. */
export async function pinServerKey(serverUrl: string, fetcher: typeof fetch = fetch): Promise<ServerKey | null> {
  try {
    const res = await fetcher(new URL(SERVER_KEY_PATH, serverUrl).toString(), { cache: 'no-store' });
    if (!res.ok) return null;
    const key = serverKeyDocument.parse(await res.json());
    const list = pinned().filter((k) => k.keyId !== key.keyId);
    list.unshift(key);
    globalThis.localStorage?.setItem(PINNED_KEY, JSON.stringify(list.slice(0, MAX_PINNED)));
    return key;
  } catch {
    return null;
  }
}
