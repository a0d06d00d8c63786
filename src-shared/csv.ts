// CSV for Excel in French settings: semicolon separator, CRLF, UTF-8 with BOM so accents survive. One rule for
// the app's exports (src-renderer/ui/csv.ts re-exports it) and the server's open-data files (src-server/open-data/).
export interface CsvColumn<T> {
  header: string;
  value: (row: T) => string | number | boolean | null | undefined;
}

function cell(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return '';
  let s = typeof v === 'number' ? String(v).replace('.', ',') : typeof v === 'boolean' ? (v ? 'oui' : 'non') : v;
  // Cells starting with = + - @ are formulas to Excel: prefix them so data stays data.
  if (/^[=+\-@\t\r]/.test(s) && typeof v === 'string') s = `'${s}`;
  return /[";\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv<T>(rows: readonly T[], columns: readonly CsvColumn<T>[]): string {
  return csvHead(columns) + csvRows(rows, columns);
}

/** The start of a CSV file built in chunks: the BOM and the heading line. */
export function csvHead<T>(columns: readonly CsvColumn<T>[]): string {
  return `\uFEFF${columns.map((c) => cell(c.header)).join(';')}\r\n`;
}

/** Lines of CSV for a chunk of rows, each ending with CRLF (after `csvHead`, chunks follow one another). */
export function csvRows<T>(rows: readonly T[], columns: readonly CsvColumn<T>[]): string {
  let out = '';
  for (const r of rows) out += `${columns.map((c) => cell(c.value(r))).join(';')}\r\n`;
  return out;
}
