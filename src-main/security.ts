// Navigation, window.open, permission and <webview> handlers. Written against minimal structural
// types so Node tests drive them with plain objects; main.ts wires them to the real WebContents.
import { APP_ORIGIN, safeUrlForLog } from './protocol';

export interface PreventableEvent {
  preventDefault(): void;
}

type Log = (message: string) => void;

/** Only https: links leave the app, and only to a real host (no credentials, no odd ports tricks). */
export function isSafeExternalUrl(raw: string): boolean {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return false;
  }
  if (u.protocol !== 'https:') return false;
  if (u.username || u.password) return false;
  if (!u.hostname || u.hostname.length > 253) return false;
  return true;
}

export function isAppUrl(raw: string): boolean {
  try {
    const u = new URL(raw);
    return `${u.protocol}//${u.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
}

export interface SecurityDeps {
  openExternal: (url: string) => Promise<void> | void;
  log: Log;
  /** Dev only: the electron-vite dev server origin, allowed for navigation like the app itself. */
  devOrigin?: string | undefined;
}

function isOwnUrl(raw: string, devOrigin?: string): boolean {
  if (isAppUrl(raw)) return true;
  if (!devOrigin) return false;
  try {
    return new URL(raw).origin === devOrigin;
  } catch {
    return false;
  }
}

/** `will-navigate` / `will-redirect` / `will-frame-navigate`: stay in the app, always. */
export function createNavigationGuard(deps: SecurityDeps) {
  return (event: PreventableEvent, url: string): void => {
    if (isOwnUrl(url, deps.devOrigin)) return;
    event.preventDefault();
    deps.log(`navigation refused: ${safeUrlForLog(url)}`);
  };
}

/** `setWindowOpenHandler`: never a new Electron window; https links go to the system browser. */
export function createWindowOpenHandler(deps: SecurityDeps) {
  return (details: { url: string }): { action: 'deny' } => {
    if (isSafeExternalUrl(details.url)) {
      void Promise.resolve(deps.openExternal(details.url)).catch(() => deps.log('openExternal failed'));
    } else {
      deps.log(`window.open refused: ${safeUrlForLog(details.url)}`);
    }
    return { action: 'deny' };
  };
}

/** Permission requests (camera, geolocation, notifications…): the app needs none. */
export function createPermissionRequestHandler(deps: Pick<SecurityDeps, 'log'>) {
  return (_webContents: unknown, permission: unknown, callback: (granted: boolean) => void): void => {
    deps.log(`permission refused: ${String(permission)}`);
    callback(false);
  };
}

function permissionCheckHandler(): boolean {
  return false;
}

/** `will-attach-webview`: <webview> is refused outright. */
export function createWebviewGuard(deps: Pick<SecurityDeps, 'log'>) {
  return (event: PreventableEvent): void => {
    event.preventDefault();
    deps.log('webview refused');
  };
}

/**
 * `will-prevent-unload`: the renderer's leave guard (beforeunload) fired on close or quit — also when
 * an update wants to install. Electron would silently keep the window; ask the user instead.
 * Calling preventDefault() lets the window unload (the form's draft is already saved).
 */
export function createUnloadPrompt(deps: { confirmLeave: () => boolean; log: Log }) {
  return (event: PreventableEvent): void => {
    if (deps.confirmLeave()) {
      deps.log('window closed over an unsaved form (kept as a draft)');
      event.preventDefault();
    } else {
      deps.log('close cancelled: unsaved form');
    }
  };
}

/** French wording of the unload prompt (native message box). */
export const UNLOAD_PROMPT = {
  type: 'question' as const,
  buttons: ['Rester dans l’application', 'Quitter quand même'],
  defaultId: 0,
  cancelId: 0,
  title: 'Saisie en cours',
  message: 'Un formulaire n’est pas enregistré.',
  detail: 'Votre saisie est conservée comme brouillon : elle vous sera proposée à la réouverture du formulaire.',
};

/** The only webPreferences a window of this app gets. */
export function secureWebPreferences(preloadPath: string, opts: { devTools?: boolean } = {}) {
  return {
    preload: preloadPath,
    // Developer tools only in development builds.
    devTools: opts.devTools ?? false,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: true,
    safeDialogs: true,
  } as const;
}

export interface GuardableContents {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: PreventableEvent, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}
export interface GuardableSession {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Electron's WebContents, unused
  setPermissionRequestHandler(handler: (wc: any, permission: any, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: () => boolean): void;
}

/** Wires every guard on one window's contents and its session. */
export function applyWindowSecurity(contents: GuardableContents, session: GuardableSession, deps: SecurityDeps): void {
  const nav = createNavigationGuard(deps);
  contents.on('will-navigate', nav);
  contents.on('will-redirect', nav);
  contents.on('will-attach-webview', createWebviewGuard(deps));
  contents.setWindowOpenHandler(createWindowOpenHandler(deps));
  session.setPermissionRequestHandler(createPermissionRequestHandler(deps));
  session.setPermissionCheckHandler(permissionCheckHandler);
}
