// French formatting and parsing of what users read and type: amounts, integers, dates.
import { beforeAll, describe, expect, it } from 'vitest';

// The date-time formatter takes the process time zone when the module loads: pin it first.
process.env.TZ = 'Europe/Paris';
let f: typeof import('../../../src-renderer/ui/format');
beforeAll(async () => {
  f = await import('../../../src-renderer/ui/format');
});
/** Intl uses narrow no-break spaces; compare with plain spaces. */
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('parseAmount', () => {
  it('reads French and plain amounts', () => {
    expect(f.parseAmount('12 500,50')).toBe(12500.5);
    expect(f.parseAmount('12\u202f500,50\u00a0€')).toBe(12500.5);
    expect(f.parseAmount('1234.50')).toBe(1234.5);
    expect(f.parseAmount('0')).toBe(0);
    expect(f.parseAmount('-3,5')).toBe(-3.5);
    expect(f.parseAmount(' 7 ')).toBe(7);
    expect(f.parseAmount(42)).toBe(42);
  });

  it('gives null for nothing typed', () => {
    expect(f.parseAmount('')).toBeNull();
    expect(f.parseAmount('   ')).toBeNull();
    expect(f.parseAmount(' € ')).toBeNull();
    expect(f.parseAmount(undefined)).toBeNull();
    expect(f.parseAmount(null)).toBeNull();
  });

  it('gives NaN (so the schema explains) for anything that is not one amount', () => {
    for (const s of ['abc', '12,5,3', '1.234,56', '1e5', '12 500 euros', '--3', '0x10', ',5', '5,']) {
      expect(f.parseAmount(s), s).toBeNaN();
    }
  });

  it('round-trips through the input format', () => {
    for (const n of [0, 1, 12500.5, 0.01, 1234567.89, 9_999_999_999.99]) {
      expect(f.parseAmount(f.amountToInput(n))).toBe(n);
    }
    expect(f.amountToInput(12500.5)).toBe('12500,5');
    expect(f.amountToInput(null)).toBe('');
    expect(f.amountToInput(undefined)).toBe('');
  });
});

describe('formatEuro and formatInt', () => {
  it('group thousands and use the decimal comma', () => {
    expect(plain(f.formatEuro(12500.5))).toBe('12 500,50 €');
    expect(plain(f.formatEuro(0))).toBe('0,00 €');
    expect(plain(f.formatEuro(-1234.567))).toBe('-1 234,57 €');
    expect(plain(f.formatInt(1234567))).toBe('1 234 567');
  });

  it('show a dash for no amount', () => {
    expect(f.formatEuro(null)).toBe('—');
    expect(f.formatEuro(undefined)).toBe('—');
  });
});

describe('formatDate and formatDateTime', () => {
  it('show calendar dates as JJ/MM/AAAA without any time-zone shift', () => {
    expect(f.formatDate('2026-03-30')).toBe('30/03/2026');
    expect(f.formatDate('2026-01-01T23:30:00Z')).toBe('01/01/2026');
    expect(f.formatDate(null)).toBe('—');
    expect(f.formatDate('')).toBe('—');
    expect(f.formatDate('pas une date')).toBe('pas une date');
  });

  it('show timestamps in the user’s time zone with « à »', () => {
    expect(f.formatDateTime('2026-03-30T12:05:00Z')).toBe('30/03/2026 à 14:05'); // summer time
    expect(f.formatDateTime(Date.UTC(2026, 0, 15, 8, 0))).toBe('15/01/2026 à 09:00');
    expect(f.formatDateTime(null)).toBe('—');
    expect(f.formatDateTime('n’importe quoi')).toBe('n’importe quoi');
  });

  it('todayIso gives the local calendar date', () => {
    expect(f.todayIso()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(f.formatDate(f.todayIso())).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
  });
});
