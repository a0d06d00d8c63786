// Secrets (refresh token, device key) encrypted with Electron's safeStorage (DPAPI on Windows,
// Keychain on macOS, libsecret/kwallet on Linux) and kept in secrets.json. Where the platform only
// offers the weak `basic_text` backend, info() says so and the settings screen shows it.
import path from 'node:path';
import { z } from 'zod';
import type { SecretKey } from '../src-shared/ipc/contract';
import { readJsonOrReset, writeJsonAtomic } from './jsonFile';

export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only in Electron. */
  getSelectedStorageBackend?: () => string;
}

const fileSchema = z.object({ version: z.literal(1), secrets: z.record(z.string(), z.string()) });

const WEAK_BACKENDS = new Set(['basic_text', 'unknown', 'memory']);

export class SecretStore {
  private readonly file: string;
  /** Used only when the OS offers no encryption at all: secrets last for the session, never on disk. */
  private readonly memory = new Map<string, string>();

  constructor(
    userDataDir: string,
    private readonly safeStorage: SafeStorageLike,
    private readonly platform: NodeJS.Platform,
    private readonly log: (m: string) => void,
  ) {
    this.file = path.join(userDataDir, 'secrets.json');
  }

  info(): { backend: string; weak: boolean } {
    if (!this.safeStorage.isEncryptionAvailable()) return { backend: 'memory', weak: true };
    let backend: string;
    if (this.platform === 'win32') backend = 'dpapi';
    else if (this.platform === 'darwin') backend = 'keychain';
    else backend = this.safeStorage.getSelectedStorageBackend?.() ?? 'unknown';
    return { backend, weak: WEAK_BACKENDS.has(backend) };
  }

  get(key: SecretKey): string | null {
    if (!this.safeStorage.isEncryptionAvailable()) return this.memory.get(key) ?? null;
    const stored = this.read().secrets[key];
    if (stored === undefined) return null;
    try {
      return this.safeStorage.decryptString(Buffer.from(stored, 'base64'));
    } catch {
      // Keyring changed (new OS profile): the user logs in again; the entry is dropped.
      this.log(`secret ${key} could not be decrypted: removed`);
      this.delete(key);
      return null;
    }
  }

  set(key: SecretKey, value: string): void {
    if (!this.safeStorage.isEncryptionAvailable()) {
      this.log('no OS encryption available: secret kept in memory only');
      this.memory.set(key, value);
      return;
    }
    const data = this.read();
    data.secrets[key] = this.safeStorage.encryptString(value).toString('base64');
    writeJsonAtomic(this.file, data);
  }

  delete(key: SecretKey): void {
    this.memory.delete(key);
    const data = this.read();
    if (key in data.secrets) {
      delete data.secrets[key];
      writeJsonAtomic(this.file, data);
    }
  }

  private read(): z.infer<typeof fileSchema> {
    return readJsonOrReset(this.file, fileSchema, () => ({ version: 1 as const, secrets: {} }), this.log);
  }
}
