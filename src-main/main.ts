// Electron entry: thin wiring of the tested modules (protocol, security, ipc, settings, storage,
// files, updater, menu, logging). Logic lives in those modules; this file only connects Electron.
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, safeStorage, screen, session, shell } from 'electron';
import log from 'electron-log/main';
import electronUpdater from 'electron-updater';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { APP_SCHEME, APP_START_URL, createAppProtocolHandler } from './protocol';
import {
  applyWindowSecurity,
  createUnloadPrompt,
  createWebviewGuard,
  isSafeExternalUrl,
  secureWebPreferences,
  UNLOAD_PROMPT,
} from './security';
import { IpcFailure, registerIpc } from './ipc';
import { developmentEnv, SettingsStore } from './settings';
import { SecretStore } from './storage';
import { createFiles } from './files';
import { createBackup } from './backup';
import { UpdateController } from './updater';
import { RELEASE_PUBLIC_KEY_PEM, UPDATES_FEED_URL } from './releaseConfig';
import { buildMenuTemplate } from './menu';
import { LOG_MAX_BYTES, redact } from './logging';
import { restoreBounds } from './windowState';
import { desktopCors, isUsableServerUrl } from './cors';

// Validation messages that reach the user (IPC refusals) are in French.
z.config(z.locales.fr());

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererDir = path.join(here, '../renderer');
const preloadPath = path.join(here, '../preload/index.cjs');
const devUrl = !app.isPackaged ? process.env['ELECTRON_RENDERER_URL'] : undefined;
const devOrigin = devUrl ? new URL(devUrl).origin : undefined;

// Logs: rotating file in <userData>/logs, personal data masked.
log.transports.file.maxSize = LOG_MAX_BYTES;
log.transports.file.level = 'info';
log.hooks.push((message) => ({
  ...message,
  data: message.data.map((d: unknown) =>
    typeof d === 'string' ? redact(d) : d instanceof Error ? redact(d.stack ?? d.message) : d,
  ),
}));
const logLine = (m: string): void => log.info(m);

// ATLAS_SERVER_URL and ATLAS_USER_DATA_DIR (npm start, tests) are never honoured once packaged.
const devEnv = developmentEnv(app.isPackaged, process.env);
// Tests (Playwright _electron) give each run its own profile folder.
if (devEnv.ATLAS_USER_DATA_DIR) app.setPath('userData', devEnv.ATLAS_USER_DATA_DIR);

app.enableSandbox();
// The app is French whatever the system's language: date fields read JJ/MM/AAAA, Chromium's own
// messages (form validation, spell checking) are French.
app.commandLine.appendSwitch('lang', 'fr-FR');
// Windows ties notifications and the taskbar to this id (the NSIS installer uses the same appId).
if (process.platform === 'win32') app.setAppUserModelId('fr.gouv.diplomatie.atlas-hors-ligne');
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
]);

let mainWindow: BrowserWindow | null = null;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  // Every webContents, whatever creates it, gets the guards (defence in depth).
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-attach-webview', createWebviewGuard({ log: logLine }));
  });
  app.on('window-all-closed', () => app.quit());
  void app
    .whenReady()
    .then(start)
    .catch((e: unknown) => {
      log.error('startup failed', e instanceof Error ? e : String(e));
      dialog.showErrorBox(
        'Atlas hors ligne',
        'L’application n’a pas pu démarrer. Le détail est dans le journal (menu Aide › Ouvrir le dossier des journaux).',
      );
      app.quit();
    });
  process.on('uncaughtException', (e) => log.error('uncaught exception', e));
  process.on('unhandledRejection', (e) => log.error('unhandled rejection', e instanceof Error ? e : String(e)));
}

async function start(): Promise<void> {
  const userData = app.getPath('userData');
  const settings = new SettingsStore(userData, logLine, devEnv);
  const secrets = new SecretStore(userData, safeStorage, process.platform, logLine);
  const files = createFiles({ dialog: dialogFor(), defaultDir: () => app.getPath('documents'), log: logLine });
  const backup = createBackup({ userDataDir: userData, log: logLine });

  const { autoUpdater } = electronUpdater;
  autoUpdater.logger = {
    info: (m: unknown) => logLine(String(m)),
    warn: (m: unknown) => log.warn(redact(String(m))),
    error: (m: unknown) => log.error(redact(String(m))),
    debug: () => undefined,
  };
  // The feed and the key are the build's: changing the sync server never changes where updates come from.
  const updates = new UpdateController(autoUpdater, logLine, {
    url: UPDATES_FEED_URL,
    publicKeyPem: RELEASE_PUBLIC_KEY_PEM,
  });
  logLine(`updates from ${UPDATES_FEED_URL}, signed by the release key`);

  protocol.handle(
    APP_SCHEME,
    createAppProtocolHandler({ rootDir: rendererDir, getServerUrl: () => settings.getServerUrl(), log: logLine }),
  );
  session.defaultSession.webRequest.onHeadersReceived({ urls: ['http://*/*', 'https://*/*'] }, (details, callback) => {
    callback(desktopCors(details, settings.getServerUrl()) ?? {});
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _p, cb) => cb(false));
  session.defaultSession.setPermissionCheckHandler(() => false);

  const openExternal = async (url: string): Promise<void> => {
    if (!isSafeExternalUrl(url))
      throw new IpcFailure('INVALID_REQUEST', 'Seuls les liens https:// peuvent être ouverts.');
    await shell.openExternal(url);
  };

  registerIpc(ipcMain, {
    log: logLine,
    devOrigin,
    isKnownSender: (id) => mainWindow !== null && !mainWindow.isDestroyed() && mainWindow.webContents.id === id,
    handlers: {
      'app:version': () => app.getVersion(),
      'secrets:get': ({ key }) => secrets.get(key),
      'secrets:set': ({ key, value }) => (secrets.set(key, value), null),
      'secrets:delete': ({ key }) => (secrets.delete(key), null),
      'secrets:info': () => secrets.info(),
      'files:save': (req) => files.save(req),
      'files:open': (req) => files.open(req),
      'files:openBytes': (req) => files.openBytes(req),
      'backup:read': (req) => backup.read(req),
      'backup:write': (req) => backup.write(req),
      'backup:clear': (req) => backup.clear(req),
      'settings:getServerUrl': () => settings.getServerUrl(),
      'settings:setServerUrl': ({ url }) => {
        if (!isUsableServerUrl(url)) {
          throw new IpcFailure(
            'INVALID_REQUEST',
            'Indiquez une adresse en https:// (http:// n’est accepté que pour un serveur sur cet ordinateur).',
          );
        }
        const before = new URL(settings.getServerUrl()).origin;
        settings.setServerUrl(url);
        logLine(
          `sync server changed to ${new URL(settings.getServerUrl()).origin} (updates still from ${UPDATES_FEED_URL})`,
        );
        // The page's CSP names the server: a new origin takes effect on the next load.
        if (new URL(settings.getServerUrl()).origin !== before)
          setTimeout(() => mainWindow?.webContents.reload(), 1200); // lets the screen confirm first
        return null;
      },
      'updates:state': () => updates.state(),
      'updates:check': async () => (await updates.check(), null),
      'updates:installNow': () => (updates.installNow(), null),
      'app:setEditState': ({ unsavedEdits }) => (updates.setEditState(unsavedEdits), null),
      'shell:openExternal': async ({ url }) => (await openExternal(url), null),
    },
  });

  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      buildMenuTemplate(process.platform, app.getName(), {
        checkForUpdates: () => void updates.check(),
        openLogsFolder: () => void shell.openPath(app.getPath('logs')),
        openHelp: () => void openExternal('https://www.diplomatie.gouv.fr/').catch(() => undefined),
      }) as Electron.MenuItemConstructorOptions[],
    ),
  );

  createWindow(settings);
  updates.onState((s) => mainWindow?.webContents.send('atlas:updates:state-changed', s));
  // Background check shortly after start, then every 4 hours.
  if (app.isPackaged) {
    setTimeout(() => void updates.check(), 15_000);
    setInterval(() => void updates.check(), 4 * 3600_000);
  }
}

function dialogFor() {
  return {
    showSaveDialog: (o: Electron.SaveDialogOptions) =>
      mainWindow ? dialog.showSaveDialog(mainWindow, o) : dialog.showSaveDialog(o),
    showOpenDialog: (o: Electron.OpenDialogOptions) =>
      mainWindow ? dialog.showOpenDialog(mainWindow, o) : dialog.showOpenDialog(o),
  };
}

function createWindow(settings: SettingsStore): void {
  const bounds = restoreBounds(
    settings.getWindowState(),
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const win = new BrowserWindow({
    ...bounds,
    minWidth: 800,
    minHeight: 560,
    show: false,
    title: 'Atlas hors ligne',
    backgroundColor: '#ffffff',
    webPreferences: secureWebPreferences(preloadPath, { devTools: !app.isPackaged }),
  });
  mainWindow = win;
  applyWindowSecurity(win.webContents, win.webContents.session, {
    openExternal: (u) => shell.openExternal(u),
    log: logLine,
    devOrigin,
  });
  win.webContents.on(
    'will-prevent-unload',
    createUnloadPrompt({ confirmLeave: () => dialog.showMessageBoxSync(win, UNLOAD_PROMPT) === 1, log: logLine }),
  );
  if (bounds.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  win.on('close', () => {
    const b = win.getNormalBounds();
    settings.setWindowState({ x: b.x, y: b.y, width: b.width, height: b.height, maximized: win.isMaximized() });
  });
  win.on('closed', () => {
    mainWindow = null;
  });
  void win.loadURL(devUrl ?? APP_START_URL);
}
