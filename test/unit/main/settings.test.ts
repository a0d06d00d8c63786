import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_SERVER_URL, developmentEnv, SettingsStore } from '../../../src-main/settings';
import { restoreBounds } from '../../../src-main/windowState';

const dir = () => mkdtempSync(path.join(tmpdir(), 'atlas-settings-'));

describe('settings', () => {
  it('defaults to the national server, persists an edited address', () => {
    const d = dir();
    const s = new SettingsStore(d, vi.fn(), {});
    expect(s.getServerUrl()).toBe(DEFAULT_SERVER_URL);
    s.setServerUrl('https://recette.cncd.example.fr/');
    expect(new SettingsStore(d, vi.fn(), {}).getServerUrl()).toBe('https://recette.cncd.example.fr');
  });

  it('lets ATLAS_SERVER_URL win (npm start), ignoring an invalid one', () => {
    const d = dir();
    expect(new SettingsStore(d, vi.fn(), { ATLAS_SERVER_URL: 'http://127.0.0.1:8080' }).getServerUrl()).toBe(
      'http://127.0.0.1:8080',
    );
    expect(new SettingsStore(d, vi.fn(), { ATLAS_SERVER_URL: 'javascript:1' }).getServerUrl()).toBe(DEFAULT_SERVER_URL);
  });

  it('honours ATLAS_SERVER_URL and ATLAS_USER_DATA_DIR in development builds only, never once packaged', () => {
    const env = {
      ATLAS_SERVER_URL: 'https://evil.example.fr',
      ATLAS_USER_DATA_DIR: '/tmp/elsewhere',
      PATH: '/usr/bin',
    };
    expect(developmentEnv(false, env)).toEqual({
      ATLAS_SERVER_URL: 'https://evil.example.fr',
      ATLAS_USER_DATA_DIR: '/tmp/elsewhere',
    });
    expect(developmentEnv(true, env)).toEqual({});
    const d = dir();
    expect(new SettingsStore(d, vi.fn(), developmentEnv(true, env)).getServerUrl()).toBe(DEFAULT_SERVER_URL);
    expect(new SettingsStore(d, vi.fn(), developmentEnv(false, env)).getServerUrl()).toBe('https://evil.example.fr');
  });

  it('refuses an invalid address without touching the file', () => {
    const d = dir();
    const s = new SettingsStore(d, vi.fn(), {});
    s.setServerUrl('https://a.fr');
    expect(() => s.setServerUrl('ftp://a.fr')).toThrow();
    expect(new SettingsStore(d, vi.fn(), {}).getServerUrl()).toBe('https://a.fr');
  });

  it.each(['{ not json', '{"version":1,"serverUrl":"javascript:alert(1)"}', '[]', '\u0000\u0000'])(
    'resets a corrupted file (%s) with a log line, keeping the old one aside',
    (content) => {
      const d = dir();
      writeFileSync(path.join(d, 'settings.json'), content);
      const log = vi.fn();
      const s = new SettingsStore(d, log, {});
      expect(s.getServerUrl()).toBe(DEFAULT_SERVER_URL);
      expect(log).toHaveBeenCalledWith(expect.stringMatching(/settings\.json .*reset to defaults/));
      const aside = readdirSync(d).find((f) => f.startsWith('settings.json.corrupt-'));
      expect(aside).toBeDefined();
      expect(readFileSync(path.join(d, aside as string), 'utf8')).toBe(content);
      expect(existsSync(path.join(d, 'settings.json'))).toBe(false);
    },
  );

  it('remembers the window state, ignoring absurd values', () => {
    const d = dir();
    const s = new SettingsStore(d, vi.fn(), {});
    s.setWindowState({ x: 10, y: 20, width: 1000, height: 700, maximized: true });
    s.setWindowState({ x: 10, y: 20, width: 5, height: 5, maximized: false });
    expect(new SettingsStore(d, vi.fn(), {}).getWindowState()).toEqual({
      x: 10,
      y: 20,
      width: 1000,
      height: 700,
      maximized: true,
    });
  });
});

describe('restoreBounds', () => {
  const screen = [{ x: 0, y: 0, width: 1920, height: 1040 }];
  it('uses defaults without a saved state', () => {
    expect(restoreBounds(undefined, screen)).toEqual({ width: 1280, height: 820, maximized: false });
  });
  it('restores a visible position', () => {
    expect(restoreBounds({ x: 100, y: 50, width: 1000, height: 700, maximized: false }, screen)).toEqual({
      x: 100,
      y: 50,
      width: 1000,
      height: 700,
      maximized: false,
    });
  });
  it('drops the position of a window left on a screen that is gone', () => {
    const r = restoreBounds({ x: 3000, y: 50, width: 1000, height: 700, maximized: false }, screen);
    expect(r.x).toBeUndefined();
    expect(r.width).toBe(1000);
  });
});
