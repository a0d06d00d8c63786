// fast-check arbitraries generated from zod 4 schemas, for the fuzz suite: the shapes a schema
// accepts, filled with hostile values (control characters, lone surrogates, huge or empty strings,
// injection attempts, extreme numbers), and, in `invalid` mode, with any node sometimes replaced by
// junk of another type or an unknown key. No package does this for zod 4 (zod-fast-check is for
// zod 3), so the schema tree is walked here; unknown node types fall back to arbitrary JSON.
import fc from 'fast-check';
import type { z } from 'zod';

export interface ArbitraryOptions {
  /** Replace nodes by junk now and then, and add unknown keys to objects. */
  invalid?: boolean;
}

/** Strings an attacker or a broken client sends. */
export const HOSTILE_STRINGS: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\u0007\u001b[31m',
  '\u007f',
  '\uD800',
  'x\uDC00y',
  '\u202Eevil',
  '\uFEFF',
  "'; DROP TABLE users; --",
  "' OR '1'='1",
  '<script>alert(1)</script>',
  '{{7*7}}',
  '${jndi:ldap://x}',
  '../../etc/passwd',
  '%00',
  '\\',
  '"',
  'null',
  'undefined',
  '0',
  '-1',
  '1e309',
  'NaN',
  '{"a":1}',
  '[]',
  'é'.repeat(201),
  '𝕏'.repeat(150),
  'x'.repeat(5_001),
  'y'.repeat(100_000),
  'a@b.fr\u0000',
  'bytes=0-,0-,0-',
];

const hostileString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 300 }) },
);

const hostileNumber = fc.constantFrom(-1, 0, 0.5, -0.0001, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 31, 1e-300);

/** Any JSON value, sometimes nested beyond what a record holds. */
export const junk: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 2, arbitrary: hostileString },
  { weight: 1, arbitrary: hostileNumber },
  { weight: 1, arbitrary: fc.integer({ min: 17, max: 40 }).map(nested) },
);

/** A value nested `depth` levels deep (arrays inside objects). */
export function nested(depth: number): unknown {
  let v: unknown = 'fond';
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { v };
  return v;
}

type Def = {
  type: string;
  checks?: { _zod: { def: Record<string, unknown> } }[];
  format?: string;
  pattern?: RegExp;
  [k: string]: unknown;
};
const defOf = (s: unknown): Def => (s as { _zod: { def: Def } })._zod.def;

/** Is this object key optional in the schema (absent is accepted)? */
function optionalKey(s: unknown): boolean {
  const t = defOf(s).type;
  return t === 'optional' || t === 'default' || (t === 'pipe' && optionalKey(defOf(s).in));
}

/** Strings matching the pattern (case-insensitive ones generated in their lowercase form); null if fast-check cannot. */
function matching(pattern: RegExp): fc.Arbitrary<string> | null {
  try {
    return fc
      .stringMatching(new RegExp(pattern.source, pattern.flags.replace(/[igmy]/g, '')))
      .filter((s) => s.length <= 1_000);
  } catch {
    return null;
  }
}

function stringArb(def: Def): fc.Arbitrary<string> {
  let pattern: RegExp | undefined = def.pattern;
  let max = 60;
  let min = 0;
  for (const c of def.checks ?? []) {
    const d = c._zod.def;
    if (d.check === 'string_format' && d.pattern instanceof RegExp) pattern = d.pattern;
    if (d.check === 'max_length') max = Math.min(max, Number(d.maximum));
    if (d.check === 'min_length') min = Number(d.minimum);
  }
  const valid =
    (pattern && matching(pattern)) ||
    fc.string({ minLength: Math.min(min, max), maxLength: Math.max(max, Math.min(min, max)) });
  return fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: hostileString });
}

function numberArb(def: Def): fc.Arbitrary<number> {
  let int = false;
  let min = -1e6;
  let max = 1e6;
  for (const c of def.checks ?? []) {
    const d = c._zod.def;
    if (d.check === 'number_format' && String(d.format).includes('int')) int = true;
    if (d.check === 'greater_than') min = Math.max(min, Number(d.value));
    if (d.check === 'less_than') max = Math.min(max, Number(d.value));
  }
  const valid = int
    ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) })
    : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
  return fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: hostileNumber });
}

/** An arbitrary for the values `schema` accepts (mostly), with hostile contents. */
export function arbitraryOf(schema: unknown, opts: ArbitraryOptions = {}): fc.Arbitrary<unknown> {
  // Building an arbitrary (regexes above all) costs far more than drawing from it: one per schema and mode.
  const cache = opts.invalid ? invalidCache : validCache;
  const key = schema as object;
  let arb = cache.get(key);
  if (!arb) {
    const node = walk(schema, opts);
    arb = opts.invalid ? fc.oneof({ weight: 6, arbitrary: node }, { weight: 1, arbitrary: junk }) : node;
    cache.set(key, arb);
  }
  return arb;
}
const validCache = new WeakMap<object, fc.Arbitrary<unknown>>();
const invalidCache = new WeakMap<object, fc.Arbitrary<unknown>>();

function walk(schema: unknown, opts: ArbitraryOptions): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  const child = (s: unknown) => arbitraryOf(s, opts);
  switch (def.type) {
    case 'string':
      return stringArb(def);
    case 'number':
      return numberArb(def);
    case 'int':
      return numberArb({
        ...def,
        checks: [...(def.checks ?? []), { _zod: { def: { check: 'number_format', format: 'int' } } }],
      });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'enum':
      return fc.oneof(
        { weight: 5, arbitrary: fc.constantFrom(...Object.values(def.entries as Record<string, string>)) },
        { weight: 1, arbitrary: hostileString },
      );
    case 'literal':
      return fc.constantFrom(...(def.values as unknown[]));
    case 'nullable':
      return fc.oneof(fc.constant(null), child(def.innerType));
    case 'optional':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return child(def.innerType);
    case 'pipe': {
      // z.preprocess(fn, schema) is a pipe from a transform: generate for the schema after it.
      const from = defOf(def.in).type;
      return child(from === 'transform' ? def.out : def.in);
    }
    case 'object': {
      const shape = (schema as z.ZodObject).shape as Record<string, unknown>;
      const keys = Object.keys(shape);
      const required = keys.filter((k) => !optionalKey(shape[k]));
      const rec = fc.record(Object.fromEntries(keys.map((k) => [k, child(shape[k])])), { requiredKeys: required });
      if (!opts.invalid) return rec;
      return fc
        .tuple(
          rec,
          fc.option(fc.tuple(fc.constantFrom('inconnu', '__proto__', 'constructor', 'id\u0000', ''), junk), {
            freq: 6,
          }),
        )
        .map(([r, extra]) => (extra ? { ...(r as object), [extra[0]]: extra[1] } : r));
    }
    case 'array': {
      let max = 4;
      for (const c of def.checks ?? [])
        if (c._zod.def.check === 'max_length') max = Math.min(max, Number(c._zod.def.maximum));
      return fc.array(child(def.element), { maxLength: max });
    }
    case 'record':
      return fc.dictionary(walk(def.keyType, {}) as fc.Arbitrary<string>, child(def.valueType), { maxKeys: 4 });
    case 'union':
      return fc.oneof(...(def.options as unknown[]).map(child));
    case 'tuple':
      return fc.tuple(...(def.items as unknown[]).map(child));
    default:
      return junk; // unknown, any, custom, transform…
  }
}
