import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createFiles, type DialogLike } from '../../../src-main/files';
import { buildMenuTemplate, type MenuItemSpec } from '../../../src-main/menu';
import { redact } from '../../../src-main/logging';

const dir = mkdtempSync(path.join(tmpdir(), 'atlas-files-'));

function dialog(savePath?: string, openPath?: string): DialogLike {
  return {
    showSaveDialog: vi.fn(async () => (savePath ? { canceled: false, filePath: savePath } : { canceled: true })),
    showOpenDialog: vi.fn(async () =>
      openPath ? { canceled: false, filePaths: [openPath] } : { canceled: true, filePaths: [] },
    ),
  };
}

describe('files', () => {
  it('writes where the user chose, text or bytes', async () => {
    const target = path.join(dir, 'contacts.csv');
    const d = dialog(target);
    const files = createFiles({ dialog: d, defaultDir: () => dir, log: vi.fn() });
    expect(
      await files.save({
        suggestedName: 'contacts.csv',
        content: 'nom;prénom\nDupont;Élise\n',
        filters: [{ name: 'CSV', extensions: ['csv'] }],
      }),
    ).toEqual({ saved: true, path: target });
    expect(readFileSync(target, 'utf8')).toContain('Élise');
    expect(d.showSaveDialog).toHaveBeenCalledWith(
      expect.objectContaining({ defaultPath: path.join(dir, 'contacts.csv') }),
    );
    await files.save({ suggestedName: 'b.bin', content: new Uint8Array([0xef, 0xbb, 0xbf, 0x41]) });
    expect(readFileSync(target)).toEqual(Buffer.from([0xef, 0xbb, 0xbf, 0x41]));
  });

  it('reports a cancelled dialog as not saved', async () => {
    const files = createFiles({ dialog: dialog(), defaultDir: () => dir, log: vi.fn() });
    expect(await files.save({ suggestedName: 'x.csv', content: 'a' })).toEqual({ saved: false });
    expect(await files.open({})).toBeNull();
  });

  it('gives a French error when the place cannot be written', async () => {
    const files = createFiles({
      dialog: dialog(path.join(dir, 'no', 'such', 'dir', 'x.csv')),
      defaultDir: () => dir,
      log: vi.fn(),
    });
    await expect(files.save({ suggestedName: 'x.csv', content: 'a' })).rejects.toMatchObject({
      code: 'FAILED',
      message: expect.stringContaining('enregistré'),
    });
  });

  it('opens a file, dropping a UTF-8 BOM', async () => {
    const src = path.join(dir, 'import.csv');
    writeFileSync(src, '\uFEFFa;b\n');
    const files = createFiles({ dialog: dialog(undefined, src), defaultDir: () => dir, log: vi.fn() });
    expect(await files.open({})).toEqual({ name: 'import.csv', content: 'a;b\n' });
  });
});

describe('menu', () => {
  const labels = (items: MenuItemSpec[]): string[] =>
    items.flatMap((i) => [i.label ?? '', ...labels(i.submenu ?? [])]).filter(Boolean);
  it('is in French, with the update check', () => {
    const check = vi.fn();
    const t = buildMenuTemplate('win32', 'Atlas hors ligne', {
      checkForUpdates: check,
      openHelp: vi.fn(),
      openLogsFolder: vi.fn(),
    });
    const all = labels(t);
    expect(all).toEqual(
      expect.arrayContaining([
        'Fichier',
        'Édition',
        'Affichage',
        'Aide',
        'Quitter',
        'Copier',
        'Coller',
        'Rechercher une mise à jour',
      ]),
    );
    expect(all.join(' ')).not.toMatch(/\b(File|Edit|View|Help|Quit)\b/);
    t.find((i) => i.label === 'Aide')
      ?.submenu?.find((i) => i.label === 'Rechercher une mise à jour')
      ?.click?.();
    expect(check).toHaveBeenCalled();
  });
  it('has the application menu on macOS', () => {
    expect(
      buildMenuTemplate('darwin', 'Atlas hors ligne', {
        checkForUpdates: vi.fn(),
        openHelp: vi.fn(),
        openLogsFolder: vi.fn(),
      })[0]?.label,
    ).toBe('Atlas hors ligne');
  });
});

describe('log redaction', () => {
  it('masks personal data and secrets', () => {
    const line = redact(
      'login ok for elise.dupont@mairie-exemple.fr tel 06 12 34 56 78 Bearer abcdefghijklmnop token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U GET https://cncd.fr/api/v1/accounts/verify?token=secret123',
    );
    expect(line).not.toContain('elise');
    expect(line).not.toContain('06 12');
    expect(line).not.toContain('abcdefghijklmnop');
    expect(line).not.toContain('eyJ');
    expect(line).not.toContain('secret123');
    expect(line).toContain('[courriel]');
    expect(line).toContain('https://cncd.fr/api/v1/accounts/verify?…');
  });
  it('leaves ordinary lines alone', () => {
    expect(redact('update check failed: 503')).toBe('update check failed: 503');
  });
});
