// Desktop settings (settings.json in the user data folder): server address and window state.
import path from 'node:path';
import { z } from 'zod';
import { serverUrl } from '../src-shared/ipc/contract';
import { readJsonOrReset, writeJsonAtomic } from './jsonFile';

/** The national CNCD server; staging or a local server is set in the settings screen or ATLAS_SERVER_URL. */
export const DEFAULT_SERVER_URL = 'https://atlas-cncd.diplomatie.gouv.fr';

/** Variables only development builds honour (npm start, tests): a packaged app ignores them. */
const DEVELOPMENT_VARIABLES = ['ATLAS_SERVER_URL', 'ATLAS_USER_DATA_DIR'] as const;
export type DevelopmentEnv = Partial<Record<(typeof DEVELOPMENT_VARIABLES)[number], string>>;

/**
 * The development variables of `env`, or none once packaged: on an agent's computer, an environment
 * variable must not move the sync server or the profile folder behind the user's back.
 */
export function developmentEnv(isPackaged: boolean, env: Record<string, string | undefined>): DevelopmentEnv {
  if (isPackaged) return {};
  const out: DevelopmentEnv = {};
  for (const k of DEVELOPMENT_VARIABLES) if (env[k]) out[k] = env[k];
  return out;
}

export const windowStateSchema = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(400).max(20_000),
  height: z.number().int().min(300).max(20_000),
  maximized: z.boolean().default(false),
});
export type WindowState = z.infer<typeof windowStateSchema>;

const settingsSchema = z.object({
  version: z.literal(1).default(1),
  serverUrl: serverUrl.optional(),
  window: windowStateSchema.optional(),
});
export type Settings = z.infer<typeof settingsSchema>;

export class SettingsStore {
  private data: Settings;
  readonly file: string;

  constructor(
    userDataDir: string,
    private readonly log: (m: string) => void,
    /** From developmentEnv(): empty in packaged builds. */
    private readonly env: DevelopmentEnv = {},
  ) {
    this.file = path.join(userDataDir, 'settings.json');
    this.data = readJsonOrReset(this.file, settingsSchema, () => ({ version: 1 as const }), log);
  }

  /** ATLAS_SERVER_URL (development builds only) wins over the saved setting, which wins over the default. */
  getServerUrl(): string {
    const fromEnv = this.env['ATLAS_SERVER_URL'];
    if (fromEnv && serverUrl.safeParse(fromEnv).success) return stripSlash(fromEnv);
    return stripSlash(this.data.serverUrl ?? DEFAULT_SERVER_URL);
  }

  setServerUrl(url: string): void {
    this.data = { ...this.data, serverUrl: stripSlash(serverUrl.parse(url)) };
    this.save();
  }

  getWindowState(): WindowState | undefined {
    return this.data.window;
  }

  setWindowState(state: WindowState): void {
    const parsed = windowStateSchema.safeParse(state);
    if (!parsed.success) return;
    this.data = { ...this.data, window: parsed.data };
    this.save();
  }

  private save(): void {
    try {
      writeJsonAtomic(this.file, this.data);
    } catch {
      this.log('settings could not be saved');
    }
  }
}

function stripSlash(u: string): string {
  return u.replace(/\/+$/, '');
}
