// A source row's French collectivité, found in the official register: by its code (the register's own
// `commune:22278`, a SIREN, a commune's COG code) when the row has one, else by its normalised name (accents,
// case, « St »/« Saint », hyphens) narrowed by the département or the région. Ambiguous or unknown: said,
// never guessed.
import type { OfficialCollectivite } from '../../src-shared/reference/collectivites/types';
import { coreName, tokenize } from '../../src-shared/reference/collectivites/normalize';
import { REGION_NOMS } from '../../src-shared/reference/regions';

export type MatchResult =
  | { kind: 'matched'; collectivite: OfficialCollectivite; by: 'code' | 'nom' }
  | { kind: 'ambiguous'; candidates: OfficialCollectivite[] }
  | { kind: 'unknown'; reason: string };

const nameKey = (s: string) => tokenize(s).join(' ');

export class CollectiviteMatcher {
  private byCode = new Map<string, OfficialCollectivite>();
  private bySiren = new Map<string, OfficialCollectivite>();
  private byInsee = new Map<string, OfficialCollectivite>();
  private byName = new Map<string, OfficialCollectivite[]>();
  private depByName = new Map<string, string>();
  private regByName = new Map<string, string>();

  constructor(list: readonly OfficialCollectivite[]) {
    for (const c of list) {
      this.byCode.set(c.code, c);
      if (c.siren) this.bySiren.set(c.siren, c);
      if (c.type === 'commune' && c.codeInsee) this.byInsee.set(c.codeInsee, c);
      const keys = new Set([nameKey(c.nom), coreName(nameKey(c.nom))]);
      for (const k of keys) {
        const l = this.byName.get(k);
        if (l) l.push(c);
        else this.byName.set(k, [c]);
      }
      if (c.type === 'departement' && c.departement) this.depByName.set(nameKey(c.nom), c.departement);
    }
    for (const [code, nom] of Object.entries(REGION_NOMS)) this.regByName.set(nameKey(nom), code);
  }

  /** A département as a code (« 35 », « 2A », « 971 ») or a name (« Ille-et-Vilaine », « 35 - Ille-et-Vilaine »). */
  departement(raw: string): string | null {
    const s = raw.trim();
    const m = /^(\d{2,3}|2[AB])\b/i.exec(s);
    if (m) return m[1]!.toUpperCase();
    return this.depByName.get(nameKey(s)) ?? null;
  }

  region(raw: string): string | null {
    const s = raw.trim();
    if (/^\d{2}$/.test(s)) return s;
    const m = /^reg:(\d{2})$/.exec(s);
    if (m) return m[1]!;
    return this.regByName.get(nameKey(s)) ?? null;
  }

  match(row: { code?: string; nom?: string; departement?: string; region?: string }): MatchResult {
    const code = row.code?.trim();
    if (code) {
      const c =
        this.byCode.get(code) ??
        (/^\d{9}$/.test(code.replace(/\s/g, '')) ? this.bySiren.get(code.replace(/\s/g, '')) : undefined) ??
        (/^(\d{5}|2[AB]\d{3})$/i.test(code) ? this.byInsee.get(code.toUpperCase()) : undefined);
      if (c) return { kind: 'matched', collectivite: c, by: 'code' };
      if (!row.nom?.trim()) return { kind: 'unknown', reason: `code « ${code} » absent du répertoire officiel` };
    }
    const nom = row.nom?.trim();
    if (!nom) return { kind: 'unknown', reason: 'ni code ni nom de collectivité' };
    const key = nameKey(nom);
    let candidates = this.byName.get(key) ?? this.byName.get(coreName(key)) ?? [];
    // The same collectivité found under its full and its core name counts once.
    candidates = [...new Map(candidates.map((c) => [c.code, c])).values()];
    const dep = row.departement?.trim() ? this.departement(row.departement) : null;
    const reg = row.region?.trim() ? this.region(row.region) : null;
    if (dep) candidates = candidates.filter((c) => c.departement === dep || (c.type === 'region' && c.region === reg));
    else if (reg) candidates = candidates.filter((c) => c.region === reg);
    if (candidates.length === 1) return { kind: 'matched', collectivite: candidates[0]!, by: 'nom' };
    if (candidates.length > 1) {
      // The name given is exactly one candidate's official name (« Épinal », not « CA d’Épinal »): that one.
      const exact = candidates.filter((c) => nameKey(c.nom) === key);
      if (exact.length === 1) return { kind: 'matched', collectivite: exact[0]!, by: 'nom' };
      return { kind: 'ambiguous', candidates: candidates.slice(0, 10) };
    }
    return {
      kind: 'unknown',
      reason: `« ${nom} »${dep ? ` (département ${dep})` : reg ? ` (région ${reg})` : ''} absente du répertoire officiel`,
    };
  }
}
