// HostBridge over the preload's `window.atlasHost` (src-shared/ipc). Errors crossing IPC arrive as
// data ({ ok: false, error }) and are rethrown here as HostError with the machine-readable code.
import type {
  AtlasHostApi,
  IpcChannel,
  IpcErrorCode,
  IpcRequest,
  IpcResponse,
  SecretKey,
} from '../../src-shared/ipc/contract';
import { MAX_FILE_BYTES, SECRET_KEYS } from '../../src-shared/ipc/contract';
import type { HostBridge, UpdateState } from './bridge';

export class HostError extends Error {
  constructor(
    readonly code: IpcErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'HostError';
  }
}

declare global {
  interface Window {
    atlasHost?: AtlasHostApi;
  }
}

function asSecretKey(key: string): SecretKey {
  if ((SECRET_KEYS as readonly string[]).includes(key)) return key as SecretKey;
  throw new HostError('INVALID_REQUEST', `Nom de secret inconnu : ${key}`);
}

export function createElectronHost(api: AtlasHostApi = window.atlasHost as AtlasHostApi): HostBridge {
  async function call<C extends IpcChannel>(channel: C, request: IpcRequest<C>): Promise<IpcResponse<C>> {
    const result = await api.invoke(channel, request);
    if (!result.ok) throw new HostError(result.error.code, result.error.message);
    return result.value;
  }
  return {
    kind: 'electron',
    appVersion: () => call('app:version', null),
    secrets: {
      get: async (key) => call('secrets:get', { key: asSecretKey(key) }),
      set: async (key, value) => void (await call('secrets:set', { key: asSecretKey(key), value })),
      delete: async (key) => void (await call('secrets:delete', { key: asSecretKey(key) })),
      info: () => call('secrets:info', null),
    },
    files: {
      save: async (suggestedName, content, filters) => {
        if (content instanceof Blob && content.size > MAX_FILE_BYTES)
          throw new HostError(
            'INVALID_REQUEST',
            `Fichier trop volumineux pour être enregistré (${Math.ceil(content.size / 1024 / 1024)} Mo, ${MAX_FILE_BYTES / 1024 / 1024} Mo au plus).`,
          );
        // The context bridge carries strings and bytes: a Blob crosses as its bytes.
        const data = content instanceof Blob ? new Uint8Array(await content.arrayBuffer()) : content;
        return call('files:save', {
          suggestedName,
          content: data as string | Uint8Array<ArrayBuffer>,
          ...(filters ? { filters } : {}),
        });
      },
      open: (filters) => call('files:open', filters ? { filters } : {}),
      openBytes: async (filters) => {
        const r = await call('files:openBytes', filters ? { filters } : {});
        return r ? { name: r.name, bytes: r.content } : null;
      },
    },
    backup: {
      read: async (account) => {
        const bytes = await call('backup:read', { account });
        return bytes ? new Uint8Array(bytes) : null;
      },
      write: async (account, content) =>
        void (await call('backup:write', { account, content: content as Uint8Array<ArrayBuffer> })),
      clear: async (account) => void (await call('backup:clear', { account })),
    },
    settings: {
      getServerUrl: () => call('settings:getServerUrl', null),
      setServerUrl: async (url) => void (await call('settings:setServerUrl', { url })),
    },
    updates: {
      state: () => call('updates:state', null) as Promise<UpdateState>,
      onState: (listener) => api.on('updates:state-changed', listener),
      check: async () => void (await call('updates:check', null)),
      installNow: async () => void (await call('updates:installNow', null)),
      reportEditState: async (unsavedEdits) => void (await call('app:setEditState', { unsavedEdits })),
    },
    openExternal: async (url) => void (await call('shell:openExternal', { url })),
  };
}
