// Field builders: every rule carries a French message naming the field as its form labels it.
// Entities are built from these so that the server, the client database and the forms share
// one definition and one wording.
import { z } from 'zod';

// Characters no text of the Atlas may hold: NUL and the other C0 controls (tab and line breaks
// excepted) and DEL. PostgreSQL cannot store NUL at all, and the others only hide text from people.
// One rule, used by the entity field builders below and by the HTTP schemas (e-mails, names, device names).
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
/** Half of a surrogate pair alone: not text in UTF-8 (PostgreSQL's json refuses it). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function hasControlChars(s: string): boolean {
  return CONTROL_CHARS.test(s) || LONE_SURROGATE.test(s);
}

/** French message of the rule, naming the field as its form labels it. */
export const controlCharsMessage = (label: string) => `« ${label} » contient des caractères de contrôle non autorisés.`;

/** A string without control characters (checked first: nothing else runs on such a value). */
export function safeString(label: string, typeMessage?: string) {
  return z
    .string(typeMessage ? { error: typeMessage } : undefined)
    .refine((s) => !hasControlChars(s), { error: controlCharsMessage(label), abort: true });
}

export const LIMITS = {
  shortText: 200,
  longText: 5_000,
  url: 500,
  email: 254,
  phone: 30,
  amount: 10_000_000_000,
  arrayItems: 50,
} as const;

const q = (label: string) => `« ${label} »`;

/** What kind of value a field holds: how forms draw it, exports and the synchronisation screen read it. */
export type FieldType =
  | 'text'
  | 'longText'
  | 'email'
  | 'phone'
  | 'url'
  | 'postalCode'
  | 'reference'
  | 'choice'
  | 'choices'
  | 'boolean'
  | 'date'
  | 'dateTime'
  | 'amount'
  | 'integer'
  | 'year'
  | 'coordinate'
  | 'country'
  | 'list';

interface FieldMeta {
  /** The name the builder's messages use. */
  label?: string;
  type?: FieldType;
  /** Where screens word the field otherwise than its messages (a checkbox's sentence…). */
  display?: string;
  /** French labels of a choice list's values. */
  choices?: Readonly<Record<string, string>>;
  /** A shorter heading for export columns. */
  column?: string;
}

/** The field catalogue: builders register each schema they return (refinements inherit it, see fieldInfoOf). */
const FIELDS = z.registry<FieldMeta>();

/** Registers what screens need to know about a field; outer registrations override inner ones. */
export function describeField<T extends z.ZodType>(schema: T, meta: FieldMeta): T {
  FIELDS.add(schema, { ...FIELDS.get(schema), ...meta });
  return schema;
}

export interface FieldInfo {
  /** As people read it (typographic apostrophe): forms, exports, the synchronisation screen. */
  label: string;
  type: FieldType;
  /** Neither null nor left out: forms mark it with an asterisk. */
  required: boolean;
  /** A choice list's values with their labels (the value itself where the domain names none). */
  choices?: readonly { value: string; label: string }[];
  /** Heading of its export column: shorter than the label for some, with the unit for amounts. */
  column: string;
  /**
   * The value the schema gives when none is sent (`.default(…)`), when not null: a choice with a default is
   * always filled, so its list has no empty entry (and it is not required: nothing to forget).
   */
  defaultValue?: unknown;
}

/** An amount is typed and exported as a bare number: its label says the unit. */
export function labelWithUnit(info: Pick<FieldInfo, 'label' | 'type'>): string {
  return info.type === 'amount' ? `${info.label} (€)` : info.label;
}

/** The schema a wrapper holds: `.nullable()`, `.default()`, `z.preprocess` build new schemas around the builder's. */
function inner(s: z.core.$ZodType): z.core.$ZodType | undefined {
  if (s instanceof z.ZodNullable || s instanceof z.ZodOptional || s instanceof z.ZodDefault) return s.unwrap();
  if (s instanceof z.ZodPipe) return s.out instanceof z.ZodTransform ? s.in : s.out;
  if (s instanceof z.ZodArray) return s.element;
  return undefined;
}

/** A field schema's catalogue entry, read through its wrappers; undefined for a field no builder described. */
export function fieldInfoOf(schema: z.core.$ZodType): FieldInfo | undefined {
  let meta: FieldMeta = {};
  let values: readonly string[] | undefined;
  let defaultValue: unknown = null;
  for (let s: z.core.$ZodType | undefined = schema; s; s = inner(s)) {
    // Inner first, then outer: the outermost description wins.
    meta = { ...FIELDS.get(s), ...meta };
    if (!values && s instanceof z.ZodEnum) values = s.options.map(String);
    if (defaultValue === null && s instanceof z.ZodDefault) defaultValue = s.def.defaultValue ?? null;
  }
  if (!meta.label || !meta.type) return undefined;
  const choices = meta.choices;
  const label = (meta.display ?? meta.label).replace(/'/g, '’');
  return {
    label,
    type: meta.type,
    column: meta.column ?? labelWithUnit({ label, type: meta.type }),
    required: meta.type !== 'boolean' && !z.safeParse(schema, null).success && !z.safeParse(schema, undefined).success,
    ...(values && { choices: values.map((value) => ({ value, label: choices?.[value] ?? value })) }),
    ...(defaultValue !== null && !Array.isArray(defaultValue) && { defaultValue }),
  };
}

/** Message for a value of the wrong type (zod's invalid_type) or a missing required one. */
function typeError(label: string, expected: string) {
  return (issue: { input?: unknown }) =>
    issue.input === undefined || issue.input === null || issue.input === ''
      ? `${q(label)} est obligatoire.`
      : `${q(label)} doit être ${expected}.`;
}

/** Trimmed text, kept verbatim otherwise: markup is stored as text and never interpreted. */
export function text(label: string, opts: { max?: number; min?: number } = {}) {
  const max = opts.max ?? LIMITS.shortText;
  const min = opts.min ?? 1;
  // Paragraphs (descriptions, comments) get a text area; a name or an address one line.
  const schema = z
    .string({ error: typeError(label, 'un texte') })
    .trim()
    .min(min, {
      error: min === 1 ? `${q(label)} est obligatoire.` : `${q(label)} doit comporter au moins ${min} caractères.`,
    })
    .max(max, { error: `${q(label)} ne peut dépasser ${max} caractères.` })
    .refine((s) => !hasControlChars(s), { error: controlCharsMessage(label) });
  return describeField(schema, { label, type: max >= 1_000 ? 'longText' : 'text' });
}

/** Optional text: empty strings become null so "nothing typed" has one representation. */
export function optionalText(label: string, opts: { max?: number } = {}) {
  return z
    .preprocess((v) => (typeof v === 'string' && v.trim() === '' ? null : v), text(label, { max: opts.max }).nullable())
    .default(null);
}

const EMAIL_RE = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[A-Za-z]{2,}$/;

export function email(label: string) {
  const schema = z
    .string({ error: typeError(label, 'une adresse électronique') })
    .trim()
    .min(1, { error: `${q(label)} est obligatoire.` })
    .max(LIMITS.email, { error: `${q(label)} ne peut dépasser ${LIMITS.email} caractères.` })
    .refine((s) => EMAIL_RE.test(s) && !s.includes('..') && !hasControlChars(s), {
      error: `${q(label)} n'est pas une adresse électronique valide (exemple : prenom.nom@mairie-exemple.fr).`,
    });
  return describeField(schema, { label, type: 'email' });
}

export function optionalEmail(label: string) {
  return z
    .preprocess((v) => (typeof v === 'string' && v.trim() === '' ? null : v), email(label).nullable())
    .default(null);
}

const PHONE_RE = /^\+?[0-9 .()-]{6,30}$/;
export function optionalPhone(label: string) {
  const schema = z
    .preprocess(
      (v) => (typeof v === 'string' && v.trim() === '' ? null : v),
      z
        .string({ error: typeError(label, 'un numéro de téléphone') })
        .trim()
        .max(LIMITS.phone, { error: `${q(label)} ne peut dépasser ${LIMITS.phone} caractères.` })
        .refine((s) => PHONE_RE.test(s), { error: `${q(label)} n'est pas un numéro de téléphone valide.` })
        .nullable(),
    )
    .default(null);
  return describeField(schema, { label, type: 'phone' });
}

export function optionalUrl(label: string) {
  const schema = z
    .preprocess(
      (v) => (typeof v === 'string' && v.trim() === '' ? null : v),
      z
        .string({ error: typeError(label, 'une adresse web') })
        .trim()
        .max(LIMITS.url, { error: `${q(label)} ne peut dépasser ${LIMITS.url} caractères.` })
        .refine((s) => /^https?:\/\/[^\s<>"]+\.[^\s<>"]+$/i.test(s) && !hasControlChars(s), {
          error: `${q(label)} doit être une adresse web commençant par https:// ou http://.`,
        })
        .nullable(),
    )
    .default(null);
  return describeField(schema, { label, type: 'url' });
}

export function uuid(label: string) {
  const schema = z
    .string({ error: typeError(label, 'un identifiant') })
    .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, {
      error: `${q(label)} n'est pas un identifiant valide.`,
    });
  return describeField(schema, { label, type: 'reference' });
}

/** `labels` names the values for screens and exports, where the domain has French names for them. */
export function enumOf<const T extends readonly [string, ...string[]]>(
  label: string,
  values: T,
  labels?: Readonly<Record<T[number], string>>,
) {
  return describeField(z.enum(values, { error: `${q(label)} : choisissez une valeur de la liste.` }), {
    label,
    type: 'choice',
    ...(labels && { choices: labels }),
  });
}

/** `display`: the sentence a checkbox reads as, where it is not the field's name. */
export function bool(label: string, opts: { display?: string } = {}) {
  return describeField(z.boolean({ error: `${q(label)} doit être coché ou décoché.` }), {
    label,
    type: 'boolean',
    ...opts,
  });
}

const ISO_DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
function isRealDate(s: string) {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** A calendar date as `AAAA-MM-JJ` (no time zone: a convention is signed on a day). */
export function date(label: string) {
  const schema = z
    .string({ error: typeError(label, 'une date') })
    .refine((s) => ISO_DATE_RE.test(s) && isRealDate(s), {
      error: `${q(label)} n'est pas une date valide (JJ/MM/AAAA).`,
    })
    // A malformed date gets one message, not also the out-of-range one. (Not `abort: true`: an aborting
    // issue makes zod skip every rule across fields of the record, even those with `when`, see whenValid.)
    .refine((s) => !(ISO_DATE_RE.test(s) && isRealDate(s)) || (s >= '1900-01-01' && s <= '2100-12-31'), {
      error: `${q(label)} doit être comprise entre 1900 et 2100.`,
    });
  return describeField(schema, { label, type: 'date' });
}

export function optionalDate(label: string) {
  return z.preprocess((v) => (v === '' ? null : v), date(label).nullable()).default(null);
}

/**
 * The Atlas import's mark (docs/domain.md, « Repris de l'Atlas existant »): when the import run wrote the
 * record, null once someone else wrote it. Only the server writes it (registry `serverOnlyFields`).
 */
export function reprise() {
  return dateTime("Repris de l'Atlas existant le").nullable().default(null);
}

export function dateTime(label: string) {
  return describeField(z.iso.datetime({ offset: true, error: `${q(label)} n'est pas un horodatage valide.` }), {
    label,
    type: 'dateTime',
  });
}

/** Euros with at most two decimals. */
export function amount(label: string, opts: { positive?: boolean } = {}) {
  const schema = z
    .number({ error: typeError(label, 'un montant en euros') })
    .refine((n) => Number.isFinite(n), { error: `${q(label)} doit être un montant en euros.` })
    .refine((n) => (opts.positive ? n > 0 : n >= 0), {
      error: opts.positive ? `${q(label)} doit être supérieur à 0 €.` : `${q(label)} ne peut pas être négatif.`,
    })
    .refine((n) => n <= LIMITS.amount, { error: `${q(label)} ne peut dépasser 10 milliards d'euros.` })
    .refine((n) => Math.abs(Math.round(n * 100) - n * 100) < 1e-6, {
      error: `${q(label)} ne peut avoir plus de deux décimales.`,
    });
  return describeField(schema, { label, type: 'amount' });
}

export function optionalAmount(label: string) {
  return amount(label).nullable().default(null);
}

/**
 * A whole number. An empty input (a blank string, as a form holds it) is "obligatoire": before, a screen's
 * `Number('')` made it 0 and the message said "doit être supérieur ou égal à 2000". Other strings are
 * refused ("doit être un nombre entier"): screens send numbers.
 */
export function int(label: string, min: number, max: number) {
  const schema = z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z
      .number({ error: typeError(label, 'un nombre entier') })
      .int({ error: `${q(label)} doit être un nombre entier.` })
      .min(min, { error: `${q(label)} doit être supérieur ou égal à ${min}.` })
      .max(max, { error: `${q(label)} doit être inférieur ou égal à ${max}.` }),
  );
  return describeField(schema, { label, type: 'integer' });
}

export function year(label: string, min = 1950, max = 2100) {
  return describeField(int(label, min, max), { type: 'year' });
}

/** Strict object: unknown fields are refused on writes, with a French message. */
export function entity<S extends z.ZodRawShape>(shape: S) {
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `Champ inconnu : ${(issue as { keys?: string[] }).keys?.join(', ') ?? ''}.`
        : issue.code === 'invalid_type'
          ? 'Les données envoyées ne forment pas un enregistrement.'
          : undefined,
  });
}

const PARIS_DAY = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Paris',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/**
 * Today as a calendar day `AAAA-MM-JJ` in Europe/Paris, whatever the machine's zone: rules about "the
 * future" compare calendar dates, and the server (often UTC) and the devices must agree on the day.
 */
export const todayParis = (now: Date = new Date()): string => PARIS_DAY.format(now);

export const currentYear = (now: Date = new Date()) => Number(todayParis(now).slice(0, 4));

/**
 * Options of a rule across fields (`.superRefine(rule, whenValid('a', 'b'))`): it runs whenever the fields it
 * reads are valid. By default zod skips an object's refinements as soon as any field fails, so a form showed
 * its errors in rounds: the required fields first, the rules across fields at the next submit.
 */
export function whenValid(...fields: string[]): { when: (payload: z.core.ParsePayload) => boolean } {
  return {
    when: (payload) =>
      typeof payload.value === 'object' &&
      payload.value !== null &&
      !payload.issues.some((i) =>
        !i.path?.length ? i.code !== 'unrecognized_keys' : fields.includes(String(i.path[0])),
      ),
  };
}
