import { describe, expect, it, vi } from 'vitest';
import {
  applyWindowSecurity,
  createNavigationGuard,
  createPermissionRequestHandler,
  createUnloadPrompt,
  UNLOAD_PROMPT,
  createWindowOpenHandler,
  isSafeExternalUrl,
  secureWebPreferences,
  type GuardableContents,
} from '../../../src-main/security';

const event = () => ({ preventDefault: vi.fn() });

describe('external links', () => {
  it.each([
    ['https://www.diplomatie.gouv.fr/', true],
    ['http://www.diplomatie.gouv.fr/', false],
    ['javascript:alert(1)', false],
    ['file:///etc/passwd', false],
    ['app://atlas/index.html', false],
    ['https://user:pass@example.fr/', false],
    ['smb://server/share', false],
    ['not a url', false],
  ])('%s → %s', (url, ok) => expect(isSafeExternalUrl(url)).toBe(ok));
});

describe('navigation guard', () => {
  const log = vi.fn();
  const guard = createNavigationGuard({ openExternal: vi.fn(), log });

  it('lets app:// navigation through', () => {
    const e = event();
    guard(e, 'app://atlas/contacts');
    expect(e.preventDefault).not.toHaveBeenCalled();
  });

  it.each([
    'https://evil.example/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'app://other/index.html',
    'http://127.0.0.1:5173/',
  ])('blocks %s', (url) => {
    const e = event();
    guard(e, url);
    expect(e.preventDefault).toHaveBeenCalled();
  });

  it('allows the dev server origin only when given', () => {
    const dev = createNavigationGuard({ openExternal: vi.fn(), log, devOrigin: 'http://localhost:5173' });
    const e = event();
    dev(e, 'http://localhost:5173/contacts');
    expect(e.preventDefault).not.toHaveBeenCalled();
  });
});

describe('window.open', () => {
  it('always denies, and opens only https links outside', async () => {
    const openExternal = vi.fn(async () => undefined);
    const handler = createWindowOpenHandler({ openExternal, log: vi.fn() });
    expect(handler({ url: 'https://www.legifrance.gouv.fr/' })).toEqual({ action: 'deny' });
    expect(handler({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(handler({ url: 'file:///C:/Windows/System32/calc.exe' })).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledTimes(1);
    expect(openExternal).toHaveBeenCalledWith('https://www.legifrance.gouv.fr/');
  });
});

describe('permissions and webviews', () => {
  it('refuses every permission request and check', () => {
    const cb = vi.fn();
    createPermissionRequestHandler({ log: vi.fn() })(null, 'media', cb);
    expect(cb).toHaveBeenCalledWith(false);
  });

  it('wires every guard on a window', () => {
    const handlers = new Map<string, (...a: unknown[]) => void>();
    let openHandler: ((d: { url: string }) => { action: 'deny' }) | undefined;
    let permission: ((...a: unknown[]) => void) | undefined;
    let check: (() => boolean) | undefined;
    applyWindowSecurity(
      {
        on: (name: string, l: (...a: unknown[]) => void) => handlers.set(name, l),
        setWindowOpenHandler: (h: (d: { url: string }) => { action: 'deny' }) => {
          openHandler = h;
        },
      } as unknown as GuardableContents,
      {
        setPermissionRequestHandler: (h) => {
          permission = h as (...a: unknown[]) => void;
        },
        setPermissionCheckHandler: (h) => {
          check = h;
        },
      },
      { openExternal: vi.fn(), log: vi.fn() },
    );
    expect([...handlers.keys()].sort()).toEqual(['will-attach-webview', 'will-navigate', 'will-redirect']);
    const e = event();
    handlers.get('will-attach-webview')?.(e);
    expect(e.preventDefault).toHaveBeenCalled();
    expect(openHandler?.({ url: 'https://x.fr' })).toEqual({ action: 'deny' });
    const cb = vi.fn();
    permission?.(null, 'geolocation', cb);
    expect(cb).toHaveBeenCalledWith(false);
    expect(check?.()).toBe(false);
  });

  it('uses the hardened web preferences', () => {
    expect(secureWebPreferences('/p.cjs')).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      devTools: false,
    });
    expect(secureWebPreferences('/p.cjs', { devTools: true }).devTools).toBe(true);
  });
});

describe('unload prompt (leave guard on close or quit)', () => {
  it('lets the window go only when the user confirms', () => {
    const stay = event();
    createUnloadPrompt({ confirmLeave: () => false, log: vi.fn() })(stay);
    expect(stay.preventDefault).not.toHaveBeenCalled();
    const leave = event();
    createUnloadPrompt({ confirmLeave: () => true, log: vi.fn() })(leave);
    expect(leave.preventDefault).toHaveBeenCalled();
    expect(UNLOAD_PROMPT.buttons[UNLOAD_PROMPT.cancelId]).toBe('Rester dans l’application');
  });
});
