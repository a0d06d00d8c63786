// Small JSON files in the user data folder, written atomically (temp file + rename) so a crash or
// power cut mid-write never leaves a half file; an unreadable file is moved aside, never deleted.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';

export function writeJsonAtomic(file: string, value: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(value, null, 2), { encoding: 'utf8', mode: 0o600 });
  renameSync(tmp, file);
}

/**
 * Reads and validates; on a missing file returns the fallback, on a corrupted or invalid one moves
 * it to `<file>.corrupt-<time>` (kept for support) and returns the fallback with a log line.
 */
export function readJsonOrReset<T>(file: string, schema: z.ZodType<T>, fallback: () => T, log: (m: string) => void): T {
  if (!existsSync(file)) return fallback();
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return quarantine(file, fallback, log, 'not valid JSON');
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return quarantine(file, fallback, log, 'invalid content');
  return parsed.data;
}

function quarantine<T>(file: string, fallback: () => T, log: (m: string) => void, why: string): T {
  const aside = `${file}.corrupt-${Date.now()}`;
  try {
    renameSync(file, aside);
    log(`${path.basename(file)} ${why}: reset to defaults (old file kept as ${path.basename(aside)})`);
  } catch {
    log(`${path.basename(file)} ${why}: reset to defaults (could not move it aside)`);
  }
  return fallback();
}
