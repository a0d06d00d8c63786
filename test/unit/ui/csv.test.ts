// The CSV builder used by every export: Excel in French settings must open it as-is and never run a cell.
import { describe, expect, it } from 'vitest';
import { toCsv, type CsvColumn } from '../../../src-renderer/ui/csv';

interface Row {
  nom: string | null;
  montant?: number;
  actif?: boolean;
}
const cols: CsvColumn<Row>[] = [
  { header: 'Nom', value: (r) => r.nom },
  { header: 'Montant (€)', value: (r) => r.montant },
  { header: 'Actif', value: (r) => r.actif },
];
const body = (csv: string) => csv.replace(/^\uFEFF/, '').split('\r\n');

describe('toCsv', () => {
  it('starts with a UTF-8 BOM, separates with semicolons, ends every line with CRLF', () => {
    const csv = toCsv([{ nom: 'Égletons', montant: 12500.5, actif: true }], cols);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(body(csv)).toEqual(['Nom;Montant (€);Actif', 'Égletons;12500,5;oui', '']);
  });

  it('writes a header line alone for no rows, and empty cells for null and undefined', () => {
    expect(toCsv([], cols)).toBe('\uFEFFNom;Montant (€);Actif\r\n');
    expect(body(toCsv([{ nom: null }], cols))[1]).toBe(';;');
    expect(body(toCsv([{ nom: 'x', actif: false }], cols))[1]).toBe('x;;non');
  });

  it('quotes cells holding a separator, a quote or a line break, doubling inner quotes', () => {
    const lines = body(
      toCsv(
        [
          { nom: 'Dupont; Martin' },
          { nom: 'Le « grand » "projet"' },
          { nom: 'ligne 1\nligne 2' },
          { nom: 'retour\r\nchariot' },
        ],
        cols,
      ),
    );
    expect(lines.slice(1, 4)).toEqual(['"Dupont; Martin";;', '"Le « grand » ""projet""";;', '"ligne 1\nligne 2";;']);
    expect(toCsv([{ nom: 'retour\r\nchariot' }], cols)).toContain('"retour\r\nchariot";;\r\n');
  });

  it('neutralises text that Excel would run as a formula', () => {
    const evil = ['=HYPERLINK("http://x";"clic")', '+33 1 23', '-2+3', '@SUM(A1)', '\t=1', '\r=1'];
    // The data line: after the header's CRLF, without the final CRLF (a quoted cell may hold a CR).
    const lines = evil.map((nom) => {
      const c = toCsv([{ nom }], cols);
      return c.slice(c.indexOf('\r\n') + 2, -2);
    });
    expect(lines[0]).toBe('"\'=HYPERLINK(""http://x"";""clic"")";;');
    expect(lines[1]).toBe("'+33 1 23;;");
    expect(lines[2]).toBe("'-2+3;;");
    expect(lines[3]).toBe("'@SUM(A1);;");
    expect(lines[4]).toBe("'\t=1;;");
    expect(lines[5]).toBe('"\'\r=1";;');
  });

  it('leaves numbers (negative too) and harmless text alone', () => {
    expect(body(toCsv([{ nom: 'a=b', montant: -3.25 }], cols))[1]).toBe('a=b;-3,25;');
    expect(body(toCsv([{ nom: ' =pas au début' }], cols))[1]).toBe(' =pas au début;;');
  });
});
