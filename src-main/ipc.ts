// IPC router: every invoke is checked for its sender (the app's own top frame, nothing else),
// its request is validated against src-shared/ipc, and so is the handler's response.
import {
  ipcContract,
  isIpcChannel,
  type IpcChannel,
  type IpcError,
  type IpcRequest,
  type IpcResponse,
  type IpcResult,
} from '../src-shared/ipc/contract';
import { isAppUrl } from './security';
import { z } from 'zod';

/** The parts of Electron's IpcMainInvokeEvent the check needs. */
export interface InvokeEventLike {
  sender: { id: number; mainFrame?: unknown; getURL?: () => string };
  senderFrame: { url: string; parent?: unknown } | null;
}

export type IpcHandlers = {
  [C in IpcChannel]: (
    request: z.output<(typeof ipcContract)[C]['request']>,
  ) => Promise<IpcResponse<C>> | IpcResponse<C>;
};

/** A failure a handler wants the renderer to see with its code (e.g. EDITS_UNSAVED). */
export class IpcFailure extends Error {
  constructor(
    readonly code: IpcError['code'],
    message: string,
  ) {
    super(message);
  }
}

export interface RouterDeps {
  handlers: IpcHandlers;
  log: (message: string) => void;
  /** The windows allowed to talk to main (by webContents id). */
  isKnownSender: (webContentsId: number) => boolean;
  /** Dev only: the electron-vite dev server origin. */
  devOrigin?: string | undefined;
}

function fail(code: IpcError['code'], message: string): { ok: false; error: IpcError } {
  return { ok: false, error: { code, message } };
}

function checkSender(event: InvokeEventLike, deps: Pick<RouterDeps, 'isKnownSender' | 'devOrigin'>): string | null {
  if (!deps.isKnownSender(event.sender.id)) return 'unknown window';
  const frame = event.senderFrame;
  if (!frame) return 'frame gone';
  // Only the top frame: a sub-frame (even of our origin) never reaches main.
  if (event.sender.mainFrame !== undefined && frame !== event.sender.mainFrame) return 'sub-frame';
  if (frame.parent) return 'sub-frame';
  const own = isAppUrl(frame.url) || (deps.devOrigin !== undefined && safeOrigin(frame.url) === deps.devOrigin);
  if (!own) return `foreign origin ${safeOrigin(frame.url)}`;
  return null;
}

function safeOrigin(raw: string): string {
  try {
    return new URL(raw).origin;
  } catch {
    return '<unparsable>';
  }
}

export function createIpcRouter(deps: RouterDeps) {
  return async function route(event: InvokeEventLike, channel: unknown, payload: unknown): Promise<IpcResult<unknown>> {
    if (!isIpcChannel(channel)) {
      deps.log(`ipc refused: unknown channel`);
      return fail('UNKNOWN_CHANNEL', 'Opération inconnue.');
    }
    const senderProblem = checkSender(event, deps);
    if (senderProblem) {
      deps.log(`ipc refused on ${channel}: ${senderProblem}`);
      return fail('FORBIDDEN_SENDER', 'Demande refusée : elle ne vient pas de l’application.');
    }
    const spec = ipcContract[channel];
    const request = spec.request.safeParse(payload === undefined ? null : payload);
    if (!request.success) {
      deps.log(
        `ipc refused on ${channel}: invalid request (${request.error.issues.map((i) => i.path.join('.') || '(root)').join(', ')})`,
      );
      return fail('INVALID_REQUEST', request.error.issues[0]?.message ?? 'Demande invalide.');
    }
    try {
      const handler = deps.handlers[channel] as (r: unknown) => Promise<unknown> | unknown;
      const value = await handler(request.data);
      const response = spec.response.safeParse(value === undefined ? null : value);
      if (!response.success) {
        deps.log(`ipc ${channel}: handler returned an invalid response`);
        return fail('FAILED', 'Réponse interne invalide.');
      }
      return { ok: true, value: response.data };
    } catch (error) {
      if (error instanceof IpcFailure) return fail(error.code, error.message);
      deps.log(`ipc ${channel} failed: ${error instanceof Error ? error.name : 'error'}`);
      return fail('FAILED', 'L’opération a échoué.');
    }
  };
}

/** Electron channel name for a contract channel (prefixed so nothing else collides). */
const electronChannel = (c: IpcChannel): string => `atlas:${c}`;

export interface IpcMainLike {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Electron's event type, checked structurally in route()
  handle(channel: string, listener: (event: any, payload: unknown) => Promise<unknown>): void;
}

export function registerIpc(ipcMain: IpcMainLike, deps: RouterDeps): void {
  const route = createIpcRouter(deps);
  for (const channel of Object.keys(ipcContract) as IpcChannel[]) {
    ipcMain.handle(electronChannel(channel), (event: InvokeEventLike, payload: unknown) =>
      route(event, channel, payload),
    );
  }
}

export type { IpcRequest };
