// The import's reader and value parsers without a server: CSV cut anywhere into chunks (quotes, CRLF, UTF-8
// sequences), encodings, separators, the size limit, workbook sheets; French dates, amounts, countries, labels.
import { describe, expect, it } from 'vitest';
import { readCsv, readSourceBytes, readXlsx, SourceError } from '../../../src-server/import-atlas/read';
import { parseAmount, parseDate, parseLabels, parsePays } from '../../../src-server/import-atlas/values';
import { CollectiviteMatcher } from '../../../src-server/import-atlas/match';
import { loadOfficialCollectivites } from '../../../src-server/reference/officialCollectivites';
import { toWindows1252 } from '../../fixtures/import-atlas/generate';
import { writeXlsx } from '../../support/xlsx';

const TEXT =
  '\uFEFFNom;Description;Montant\r\nÉpinal;"ligne 1\r\nligne ""2"" ; fin";12 345,67 €\r\nSaint-Étienne;simple;3\r\n';

async function* chunks(bytes: Uint8Array, size: number) {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

describe('lecture CSV', () => {
  it('donne les mêmes lignes quel que soit le découpage du flux', async () => {
    const bytes = new TextEncoder().encode(TEXT);
    const whole = await readCsv(chunks(bytes, bytes.length));
    expect(whole.headers).toEqual(['Nom', 'Description', 'Montant']);
    expect(whole.rows).toEqual([
      { line: 2, cells: ['Épinal', 'ligne 1\nligne "2" ; fin', '12 345,67 €'] },
      { line: 4, cells: ['Saint-Étienne', 'simple', '3'] },
    ]);
    for (const size of [1, 2, 3, 5, 7]) expect(await readCsv(chunks(bytes, size))).toEqual(whole);
  });

  it('détecte Windows-1252 et la virgule', async () => {
    const t = await readCsv(chunks(toWindows1252(TEXT.slice(1).replace(/;/g, ',').replace('" , fin', '" ; fin')), 4));
    expect(t.encoding).toBe('windows-1252');
    expect(t.separator).toBe(',');
    expect(t.rows[0]!.cells[0]).toBe('Épinal');
    expect(t.rows[0]!.cells[2]).toBe('12 345');
  });

  it('signale un guillemet jamais refermé sans rien deviner', async () => {
    const t = await readCsv(chunks(new TextEncoder().encode('a;b\n1;2\n3;"ouvert\n4;5\n'), 3));
    expect(t.rows).toEqual([{ line: 2, cells: ['1', '2'] }]);
    expect(t.broken).toEqual([{ line: 3, reason: expect.stringContaining('guillemet') }]);
  });

  it('refuse un fichier trop gros avec sa taille', async () => {
    const err = await readSourceBytes(new Uint8Array(3 * 1024 * 1024), { maxBytes: 2 * 1024 * 1024 }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SourceError);
    expect((err as SourceError).message).toMatch(/3 Mo.*limite de 2 Mo/);
  });
});

describe('lecture XLSX', () => {
  const book = writeXlsx([
    { name: 'Notice', rows: [['Lisez-moi']] },
    {
      name: 'Données',
      rows: [
        ['Pays', 'Titre'],
        ['Mali', 'Puits & « eau »'],
      ],
    },
  ]);
  it('choisit la feuille qui a les colonnes attendues, ou celle nommée', () => {
    const t = readXlsx(book, { expectedHeaders: ['Pays', 'titre'] });
    expect(t).toMatchObject({ sheet: 'Données', sheets: ['Notice', 'Données'], headers: ['Pays', 'Titre'] });
    expect(t.rows).toEqual([{ line: 2, cells: ['Mali', 'Puits & « eau »'] }]);
    expect(readXlsx(book, { sheet: 'notice' }).headers).toEqual(['Lisez-moi']);
    expect(() => readXlsx(book, { sheet: 'Projets' })).toThrow(/pas de feuille « Projets »/);
  });
});

describe('valeurs', () => {
  it('lit les dates et montants français', () => {
    expect(parseDate('03/12/2026', 'd')).toEqual({ ok: true, value: '2026-12-03' });
    expect(parseDate('2019', 'd')).toEqual({ ok: true, value: '2019-01-01' });
    expect(parseDate('45000', 'd')).toEqual({ ok: true, value: '2023-03-15' });
    expect(parseDate('31/02/2020', 'd').ok).toBe(false);
    expect(parseAmount('12 345,67 €', 'm')).toEqual({ ok: true, value: 12345.67 });
    expect(parseAmount('1.200,5', 'm')).toEqual({ ok: true, value: 1200.5 });
    expect(parseAmount('beaucoup', 'm').ok).toBe(false);
  });
  it('reconnaît les pays et les thématiques, et dit les inconnus', () => {
    expect(parsePays('Sénégal')).toBe('SN');
    expect(parsePays('sn')).toBe('SN');
    expect(parsePays('Viêt Nam')).toBe('VN');
    expect(parsePays('Atlantide')).toBeNull();
    const list = [
      { code: 'agriculture', libelle: 'Agriculture, pêche et sécurité alimentaire' },
      { code: 'eau', libelle: 'Eau et assainissement' },
    ];
    expect(
      parseLabels('Agriculture, pêche et sécurité alimentaire, eau et assainissement ; Astronautique', list),
    ).toEqual({
      codes: ['agriculture', 'eau'],
      unknown: ['astronautique'],
    });
  });
  it('trouve une collectivité par code ou par nom, jamais au hasard', () => {
    const m = new CollectiviteMatcher(loadOfficialCollectivites());
    expect(m.match({ code: '212202782' })).toMatchObject({
      kind: 'matched',
      by: 'code',
      collectivite: { code: 'commune:22278' },
    });
    expect(m.match({ code: '35238' })).toMatchObject({ kind: 'matched', collectivite: { nom: 'Rennes' } });
    expect(m.match({ nom: 'ST-BRIEUC', departement: 'Côtes-d’Armor' })).toMatchObject({ kind: 'matched', by: 'nom' });
    expect(m.match({ nom: 'Saint-Denis' }).kind).toBe('ambiguous');
    expect(m.match({ nom: 'Saint-Denis', departement: '93' })).toMatchObject({
      kind: 'matched',
      collectivite: { code: 'commune:93066' },
    });
    expect(m.match({ nom: 'Trifouilly-les-Oies' }).kind).toBe('unknown');
  });
});
