// The update notice's words for each state the main process announces, the refusal of "install now"
// during an edit, the edit state reported to the host, and the weak secret-storage warning.
import { afterEach, describe, expect, it } from 'vitest';
import { updateState } from '../../../src-shared/ipc/contract';
import type { HostBridge, UpdateState } from '../../../src-renderer/host/bridge';
import { setHost } from '../../../src-renderer/host';
import { hasUnsavedEdits, setFormDirty, subscribeEditState } from '../../../src-renderer/ui/editState';
import {
  installBlockedMessage,
  installErrorMessage,
  updateNotice,
} from '../../../src-renderer/features/mise-a-jour/notice';
import { secretStorageNotice } from '../../../src-renderer/features/connexion/secretNotice';

describe('updateNotice', () => {
  it('shows nothing while idle or checking', () => {
    expect(updateNotice({ state: 'idle' })).toBeNull();
    expect(updateNotice({ state: 'checking' })).toBeNull();
  });

  it('announces an available version without an install button', () => {
    const n = updateNotice({ state: 'available', version: '1.4.0' })!;
    expect(n.text).toContain('1.4.0');
    expect(n.canInstall).toBe(false);
    expect(n.severity).toBe('info');
  });

  it('shows download progress, bounded and rounded', () => {
    expect(updateNotice({ state: 'downloading', version: '1.4.0', percent: 42.6 })!.percent).toBe(43);
    expect(updateNotice({ state: 'downloading', version: '1.4.0', percent: 0 })!.percent).toBe(0);
    expect(updateNotice({ state: 'downloading', version: '1.4.0', percent: 140 })!.percent).toBe(100);
    expect(updateNotice({ state: 'downloading', version: '1.4.0', percent: -3 })!.percent).toBe(0);
    expect(updateNotice({ state: 'downloading', version: '1.4.0', percent: 50 })!.canInstall).toBe(false);
  });

  it('says a ready version installs on closing and offers to install now', () => {
    const n = updateNotice({ state: 'ready', version: '1.4.0' })!;
    expect(n.text).toBe('Une nouvelle version (1.4.0) est prête. Elle s’installera à la fermeture de l’application.');
    expect(n.canInstall).toBe(true);
  });

  it('reports an error calmly, without the technical message', () => {
    const n = updateNotice({ state: 'error', message: 'net::ERR_CONNECTION_REFUSED at https://…' })!;
    expect(n.severity).toBe('info');
    expect(n.text).not.toContain('ERR_');
    expect(n.text).toContain('L’application fonctionne normalement');
    expect(n.canInstall).toBe(false);
  });

  it('has words for every state of the IPC contract', () => {
    for (const option of updateState.options) {
      const s = option.shape.state.value;
      const sample = { state: s, version: '2.0.0', percent: 10, message: 'x' };
      const parsed = updateState.parse(
        Object.fromEntries(Object.keys(option.shape).map((k) => [k, sample[k as keyof typeof sample]])),
      ) as UpdateState;
      const n = updateNotice(parsed);
      if (s === 'idle' || s === 'checking') expect(n).toBeNull();
      else expect(n?.title, s).toBeTruthy();
    }
  });
});

describe('install now', () => {
  it('is blocked while a form holds unsaved edits, with a French message', () => {
    expect(installBlockedMessage(false)).toBeNull();
    expect(installBlockedMessage(true)).toMatch(/enregistrez ou annulez/);
  });

  it('explains the host refusal EDITS_UNSAVED and other failures', () => {
    expect(installErrorMessage('EDITS_UNSAVED')).toMatch(/attend la fin de votre saisie/);
    expect(installErrorMessage('FAILED')).toMatch(/prochaine fermeture/);
    expect(installErrorMessage(undefined)).toMatch(/prochaine fermeture/);
  });
});

describe('edit state', () => {
  afterEach(() => setHost(null));

  it('tells the host on each clean ↔ dirty transition only, across several forms', async () => {
    const reports: boolean[] = [];
    const fake = {
      updates: {
        reportEditState: async (d: boolean) => {
          reports.push(d);
        },
      },
    } as unknown as HostBridge;
    setHost(fake);
    let notified = 0;
    const off = subscribeEditState(() => {
      notified++;
    });
    setFormDirty('contact:a', false); // first report establishes "clean"
    setFormDirty('contact:a', true);
    setFormDirty('contact:a', true);
    setFormDirty('ficheProjet:b', true);
    expect(hasUnsavedEdits()).toBe(true);
    setFormDirty('contact:a', false);
    expect(hasUnsavedEdits()).toBe(true); // the fiche is still open
    setFormDirty('ficheProjet:b', false);
    expect(hasUnsavedEdits()).toBe(false);
    off();
    setFormDirty('x', true);
    setFormDirty('x', false);
    expect(reports).toEqual([false, true, false, true, false]);
    expect(notified).toBe(3);
  });

  it('survives a host without reportEditState (browser) and a failing one', () => {
    setHost({ updates: {} } as unknown as HostBridge);
    setFormDirty('a', true);
    setHost({ updates: { reportEditState: () => Promise.reject(new Error('IPC fermé')) } } as unknown as HostBridge);
    setFormDirty('a', false);
    expect(hasUnsavedEdits()).toBe(false);
  });
});

describe('secretStorageNotice', () => {
  it('says nothing when the operating system protects the token', () => {
    expect(secretStorageNotice('electron', { backend: 'gnome_libsecret', weak: false })).toBeNull();
    expect(secretStorageNotice('electron', { backend: 'dpapi', weak: false })).toBeNull();
  });

  it('explains weak storage on this computer (Linux without a keyring)', () => {
    const n = secretStorageNotice('electron', { backend: 'basic_text', weak: true })!;
    const all = n.paragraphs.join(' ');
    expect(n.title).toMatch(/sans la protection du système/);
    expect(all).toMatch(/jeton de session/);
    expect(all).toMatch(/trousseau/);
    expect(all).toMatch(/déconnectez-vous/);
  });

  it('words it for the browser host', () => {
    const n = secretStorageNotice('web', { backend: 'indexeddb', weak: true })!;
    expect(n.title).toMatch(/navigateur/);
  });
});
