// French formats for what users read: amounts "1 234,56 €", dates JJ/MM/AAAA.
const euro = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });
const integer = new Intl.NumberFormat('fr-FR');
const dateTimeFmt = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short', timeStyle: 'short' });

export function formatEuro(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : euro.format(n);
}

export function formatInt(n: number): string {
  return integer.format(n);
}

/** `2026-03-30` → `30/03/2026` (calendar dates carry no time zone). */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/** Timestamp → `30/03/2026 14:05` in the user's time zone. */
export function formatDateTime(iso: string | number | null | undefined): string {
  if (iso === null || iso === undefined) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : dateTimeFmt.format(d).replace(' ', ' à ');
}

/** "1 234,5" or "1234.50" → 1234.5; empty → null; anything else → NaN (the schema then says why). */
export function parseAmount(s: unknown): number | null {
  if (typeof s === 'number') return s;
  if (typeof s !== 'string') return null;
  const t = s.replace(/[\s\u00a0\u202f€]/g, '').replace(',', '.');
  if (t === '') return null;
  return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : Number.NaN;
}

/** Amount shown in an input: "1234,5" (no grouping, so it re-parses). */
export function amountToInput(n: number | null | undefined): string {
  return n === null || n === undefined ? '' : String(n).replace('.', ',');
}

export function todayIso(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
