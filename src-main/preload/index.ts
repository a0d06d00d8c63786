// Sandboxed preload: exposes one small typed API (`window.atlasHost`) — an invoke limited to the
// contract's channels and a listener limited to its events. Raw ipcRenderer never reaches the page.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_EVENTS, ipcEvents, isIpcChannel, type AtlasHostApi, type IpcEvent } from '../../src-shared/ipc/contract';

const api: AtlasHostApi = {
  invoke(channel, request) {
    if (!isIpcChannel(channel)) {
      return Promise.resolve({ ok: false, error: { code: 'UNKNOWN_CHANNEL', message: 'Opération inconnue.' } });
    }
    return ipcRenderer.invoke(`atlas:${channel}`, request ?? null);
  },
  on(event, listener) {
    if (!(IPC_EVENTS as readonly string[]).includes(event)) return () => undefined;
    const schema = ipcEvents[event as IpcEvent];
    const wrapped = (_e: IpcRendererEvent, payload: unknown) => {
      const parsed = schema.safeParse(payload);
      if (parsed.success) (listener as (p: unknown) => void)(parsed.data);
    };
    ipcRenderer.on(`atlas:${event}`, wrapped);
    return () => {
      ipcRenderer.removeListener(`atlas:${event}`, wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('atlasHost', api);
