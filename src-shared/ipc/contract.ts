// The IPC contract between the renderer (through the preload) and the Electron main process:
// channel → zod request and response. The preload exposes exactly these channels; the main process
// checks the sender's origin and validates every request and every response against this table.
// It mirrors `HostBridge` (src-renderer/host/bridge.ts).
import { z } from 'zod';

/** Secret names the renderer may store: nothing else crosses the boundary. */
export const SECRET_KEYS = ['refreshToken', 'deviceKey'] as const;
export const secretKey = z.enum(SECRET_KEYS, { error: 'Nom de secret inconnu.' });
export type SecretKey = z.infer<typeof secretKey>;

/** Largest file the renderer may save or open through the host (CSV exports, change files). */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;

const fileFilter = z.strictObject({
  name: z.string().min(1).max(80),
  extensions: z
    // Our own files' extensions have a hyphen (atlas-modifs, atlas-instantane).
    .array(z.string().regex(/^(\*|[A-Za-z0-9][A-Za-z0-9-]{0,19})$/))
    .min(1)
    .max(10),
});

/** An address of a CNCD server: http(s) only, no credentials, no fragment. */
export const serverUrl = z
  .string()
  .max(2048)
  .refine(
    (s) => {
      try {
        const u = new URL(s);
        return (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password && !u.hash;
      } catch {
        return false;
      }
    },
    { error: 'Adresse de serveur invalide : indiquez une adresse commençant par https://.' },
  );

export const updateState = z.discriminatedUnion('state', [
  z.strictObject({ state: z.literal('idle') }),
  z.strictObject({ state: z.literal('checking') }),
  z.strictObject({ state: z.literal('available'), version: z.string().max(64) }),
  z.strictObject({ state: z.literal('downloading'), version: z.string().max(64), percent: z.number().min(0).max(100) }),
  z.strictObject({ state: z.literal('ready'), version: z.string().max(64) }),
  z.strictObject({ state: z.literal('error'), message: z.string().max(500) }),
]);
export type UpdateState = z.infer<typeof updateState>;

/**
 * Largest backup of pending changes (a signed packet, src-shared/files/packet.ts): a packet holds at most
 * 20,000 changes, compressed; far below this.
 */
export const MAX_BACKUP_BYTES = 32 * 1024 * 1024;
/** The container's magic ("ATLASHL"): main keeps nothing else as a backup. */
const BACKUP_MAGIC = [0x41, 0x54, 0x4c, 0x41, 0x53, 0x48, 0x4c];
const backupBytes = z
  .instanceof(Uint8Array)
  .refine((b) => b.byteLength <= MAX_BACKUP_BYTES, { error: 'Sauvegarde trop volumineuse.' })
  .refine((b) => b.byteLength > BACKUP_MAGIC.length && BACKUP_MAGIC.every((m, i) => b[i] === m), {
    error: 'Sauvegarde invalide : ce n’est pas un paquet de modifications de l’Atlas.',
  });
/** Backups are kept per account (its user id): another account's is never read nor replaced. */
const backupAccount = z.uuid({ error: 'Compte invalide.' });

const none = z.null();
/** Raw bytes cross the context bridge as Uint8Array; text as string. */
const fileContent = z.union([
  z.string().max(MAX_FILE_BYTES),
  z.instanceof(Uint8Array).refine((b) => b.byteLength <= MAX_FILE_BYTES, { error: 'Fichier trop volumineux.' }),
]);

export const ipcContract = {
  'app:version': { request: none, response: z.string().max(64) },
  'secrets:get': { request: z.strictObject({ key: secretKey }), response: z.string().max(65_536).nullable() },
  'secrets:set': {
    request: z.strictObject({ key: secretKey, value: z.string().min(1).max(65_536) }),
    response: none,
  },
  'secrets:delete': { request: z.strictObject({ key: secretKey }), response: none },
  'secrets:info': {
    request: none,
    response: z.strictObject({ backend: z.string().max(64), weak: z.boolean() }),
  },
  'files:save': {
    request: z.strictObject({
      suggestedName: z
        .string()
        .min(1)
        .max(200)
        .refine((s) => !/[\\/\0]/.test(s), { error: 'Nom de fichier invalide.' }),
      content: fileContent,
      filters: z.array(fileFilter).max(10).optional(),
    }),
    response: z.strictObject({ saved: z.boolean(), path: z.string().max(4096).optional() }),
  },
  'files:open': {
    request: z.strictObject({ filters: z.array(fileFilter).max(10).optional() }),
    response: z.strictObject({ name: z.string().max(260), content: z.string().max(MAX_FILE_BYTES) }).nullable(),
  },
  /**
   * A file read as bytes (a snapshot to view, .atlas-instantane), from the same dialog: the renderer never
   * names a path; refused above MAX_FILE_BYTES before it is read.
   */
  'files:openBytes': {
    request: z.strictObject({ filters: z.array(fileFilter).max(10).optional() }),
    response: z
      .strictObject({
        name: z.string().max(260),
        content: z
          .instanceof(Uint8Array)
          .refine((b) => b.byteLength <= MAX_FILE_BYTES, { error: 'Fichier trop volumineux.' }),
      })
      .nullable(),
  },
  'settings:getServerUrl': { request: none, response: serverUrl },
  /** Electron reloads the window when the server's origin changes (the page's CSP names it). */
  'settings:setServerUrl': { request: z.strictObject({ url: serverUrl }), response: none },
  'updates:state': { request: none, response: updateState },
  'updates:check': { request: none, response: none },
  /** Refused (IPC error code EDITS_UNSAVED) while the renderer reports unsaved edits. */
  'updates:installNow': { request: none, response: none },
  /** The renderer reports whether a form is being edited or drafts are unsaved: updates wait. */
  'app:setEditState': { request: z.strictObject({ unsavedEdits: z.boolean() }), response: none },
  /**
   * The backup of the device's pending changes (a signed packet), kept in the app's data folder so it
   * survives the loss of the offline copy (IndexedDB): written after each change, cleared when the outbox
   * is empty, offered for re-import on a fresh copy at login (src-renderer/sync/backup.ts).
   */
  'backup:read': { request: z.strictObject({ account: backupAccount }), response: backupBytes.nullable() },
  'backup:write': { request: z.strictObject({ account: backupAccount, content: backupBytes }), response: none },
  'backup:clear': { request: z.strictObject({ account: backupAccount }), response: none },
  'shell:openExternal': { request: z.strictObject({ url: z.string().max(2048) }), response: none },
} as const;

export type IpcChannel = keyof typeof ipcContract;
export const IPC_CHANNELS = Object.keys(ipcContract) as IpcChannel[];
export type IpcRequest<C extends IpcChannel> = z.input<(typeof ipcContract)[C]['request']>;
export type IpcResponse<C extends IpcChannel> = z.output<(typeof ipcContract)[C]['response']>;

/** Events pushed from main to the renderer. */
export const ipcEvents = {
  'updates:state-changed': updateState,
} as const;
export type IpcEvent = keyof typeof ipcEvents;
export const IPC_EVENTS = Object.keys(ipcEvents) as IpcEvent[];

/** Every invoke resolves to this envelope: errors cross as data (Electron loses error fields). */
export const ipcErrorCodes = [
  'INVALID_REQUEST',
  'FORBIDDEN_SENDER',
  'UNKNOWN_CHANNEL',
  'EDITS_UNSAVED',
  'FAILED',
] as const;
export type IpcErrorCode = (typeof ipcErrorCodes)[number];
export const ipcError = z.strictObject({
  code: z.enum(ipcErrorCodes),
  message: z.string().max(1000),
});
export type IpcError = z.infer<typeof ipcError>;
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

export function isIpcChannel(c: unknown): c is IpcChannel {
  return typeof c === 'string' && Object.prototype.hasOwnProperty.call(ipcContract, c);
}

/** The preload's API (`window.atlasHost`): the smallest possible surface. */
export interface AtlasHostApi {
  invoke<C extends IpcChannel>(channel: C, request: IpcRequest<C>): Promise<IpcResult<IpcResponse<C>>>;
  on<E extends IpcEvent>(event: E, listener: (payload: z.output<(typeof ipcEvents)[E]>) => void): () => void;
}
