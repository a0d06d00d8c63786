// Picks the platform door: the Electron preload API when it is there, else the browser.
import type { AtlasHostApi } from '../../src-shared/ipc/contract';
import type { HostBridge } from './bridge';
import { createElectronHost } from './electron';
import { createWebHost } from './web';

export type { HostBridge } from './bridge';

let host: HostBridge | null = null;

export function getHost(): HostBridge {
  if (host) return host;
  const api = (globalThis as { atlasHost?: AtlasHostApi }).atlasHost;
  host = api ? createElectronHost(api) : createWebHost();
  return host;
}

/** Tests and the benchmark harness install their own host. */
export function setHost(h: HostBridge | null): void {
  host = h;
}
