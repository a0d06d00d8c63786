import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { SecretStore, type SafeStorageLike } from '../../../src-main/storage';

// A stand-in for safeStorage with a real (reversible) transformation, so the file never holds the clear text.
function fakeSafeStorage(backend = 'gnome_libsecret', available = true): SafeStorageLike {
  return {
    isEncryptionAvailable: () => available,
    encryptString: (s) => Buffer.from(Buffer.from(s, 'utf8').map((b) => b ^ 0x5a)),
    decryptString: (b) => {
      if (b[0] === 0) throw new Error('cannot decrypt');
      return Buffer.from(b.map((x) => x ^ 0x5a)).toString('utf8');
    },
    getSelectedStorageBackend: () => backend,
  };
}
const dir = () => mkdtempSync(path.join(tmpdir(), 'atlas-secrets-'));

describe('secret storage', () => {
  it('stores encrypted, reads back, deletes', () => {
    const d = dir();
    const s = new SecretStore(d, fakeSafeStorage(), 'linux', vi.fn());
    s.set('refreshToken', 'rt-123456');
    expect(readFileSync(path.join(d, 'secrets.json'), 'utf8')).not.toContain('rt-123456');
    expect(new SecretStore(d, fakeSafeStorage(), 'linux', vi.fn()).get('refreshToken')).toBe('rt-123456');
    s.delete('refreshToken');
    expect(s.get('refreshToken')).toBeNull();
  });

  it('reports the backend and whether it is weak', () => {
    expect(new SecretStore(dir(), fakeSafeStorage('basic_text'), 'linux', vi.fn()).info()).toEqual({
      backend: 'basic_text',
      weak: true,
    });
    expect(new SecretStore(dir(), fakeSafeStorage('kwallet5'), 'linux', vi.fn()).info()).toEqual({
      backend: 'kwallet5',
      weak: false,
    });
    expect(new SecretStore(dir(), fakeSafeStorage(), 'win32', vi.fn()).info()).toEqual({
      backend: 'dpapi',
      weak: false,
    });
    expect(new SecretStore(dir(), fakeSafeStorage(), 'darwin', vi.fn()).info()).toEqual({
      backend: 'keychain',
      weak: false,
    });
  });

  it('keeps secrets in memory only when the OS has no encryption', () => {
    const d = dir();
    const log = vi.fn();
    const s = new SecretStore(d, fakeSafeStorage('basic_text', false), 'linux', log);
    s.set('deviceKey', 'k');
    expect(s.get('deviceKey')).toBe('k');
    expect(s.info()).toEqual({ backend: 'memory', weak: true });
    expect(new SecretStore(d, fakeSafeStorage('basic_text', false), 'linux', vi.fn()).get('deviceKey')).toBeNull();
    expect(log).toHaveBeenCalledWith(expect.stringContaining('memory'));
  });

  it('drops an undecryptable entry and resets a corrupted file, with log lines', () => {
    const d = dir();
    writeFileSync(
      path.join(d, 'secrets.json'),
      JSON.stringify({ version: 1, secrets: { refreshToken: Buffer.from([0, 1]).toString('base64') } }),
    );
    const log = vi.fn();
    const s = new SecretStore(d, fakeSafeStorage(), 'linux', log);
    expect(s.get('refreshToken')).toBeNull();
    expect(log).toHaveBeenCalledWith(expect.stringContaining('could not be decrypted'));
    writeFileSync(path.join(d, 'secrets.json'), '{{{');
    expect(s.get('deviceKey')).toBeNull();
    expect(log).toHaveBeenCalledWith(expect.stringContaining('reset to defaults'));
    s.set('deviceKey', 'again');
    expect(s.get('deviceKey')).toBe('again');
  });
});
