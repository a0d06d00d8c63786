// A CSV reader for the tests of the exports (';' separator, quoted cells with doubled quotes and line
// breaks, CRLF lines, an optional BOM): what Excel does when it opens the file.
export function parseCsv(text: string): string[][] {
  const s = text.replace(/^\uFEFF/, '');
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === ';') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && s[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** The rows of a CSV as objects keyed by the heading line. */
export function csvObjects(text: string): { headers: string[]; rows: Record<string, string>[] } {
  const [headers = [], ...rest] = parseCsv(text);
  return { headers, rows: rest.map((r) => Object.fromEntries(headers.map((h, i) => [h, r[i] ?? '']))) };
}
