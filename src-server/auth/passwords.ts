// argon2id password hashing (OWASP parameters), via the native @node-rs/argon2 binary.
import { hash, verify, type Options } from '@node-rs/argon2';

// Algorithm.Argon2id is an ambient const enum (value 2), unusable under isolatedModules.
const OPTIONS: Options = { algorithm: 2 as Options['algorithm'], memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** A hash to verify against when the e-mail is unknown, so both answers take the same time. */
let dummy: Promise<string> | null = null;
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword('mot-de-passe-factice-pour-egaliser-le-temps');
  return dummy;
}
