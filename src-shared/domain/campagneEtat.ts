// Where a collectivité stands in a campaign, read from its attestations: one rule for the agent's home,
// the SGAR's and the DAECT's dashboards, the « à jour » list that decides co-funding eligibility and the
// server's refusal of attestations after closing. A part counts as verified when its attestation was
// made within the campaign's dates (French calendar days, Europe/Paris); a collectivité is « à jour »
// when all five parts are, « partiellement » when some are.
import { PARTIES, type AttestationCampagne, type Campagne, type Partie } from './campagne';

export const ETATS_CAMPAGNE = ['a_jour', 'partiel', 'pas_a_jour'] as const;
export type EtatCampagne = (typeof ETATS_CAMPAGNE)[number];
export const ETAT_CAMPAGNE_LABELS: Record<EtatCampagne, string> = {
  a_jour: 'À jour',
  partiel: 'Partiellement à jour',
  pas_a_jour: 'Pas à jour',
};

const parisDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Paris',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar day (YYYY-MM-DD) of an instant in France: campaign dates are French days. */
export function jourEnFrance(instant: string | Date): string {
  const d = typeof instant === 'string' ? new Date(instant) : instant;
  return Number.isNaN(d.getTime()) ? '' : parisDay.format(d);
}

/** The campaign open on `today`, else the latest one (by year); null when none is known. */
export function campagneCourante(campagnes: readonly Campagne[], today: string): Campagne | null {
  const byYear = [...campagnes].sort((a, b) => b.annee - a.annee);
  return byYear.find((c) => c.dateOuverture <= today && today <= c.dateCloture) ?? byYear[0] ?? null;
}

/** Open on `today` (both dates included). */
export function campagneOuverte(c: Campagne, today: string): boolean {
  return c.dateOuverture <= today && today <= c.dateCloture;
}

/** Whole days from `today` to the closing day (0 on the closing day, negative once closed). */
export function joursRestants(c: Campagne, today: string): number {
  return Math.round((Date.parse(`${c.dateCloture}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}

export interface EtatPartie {
  partie: Partie;
  /** The attestation that counts, or null when the part is not verified for this campaign. */
  attestation: AttestationCampagne | null;
}

export interface EtatCollectivite {
  etat: EtatCampagne;
  parties: EtatPartie[];
  /** Number of verified parts (0 to 5). */
  verifiees: number;
  /** The latest attestation's instant, or null. */
  derniereAttestation: string | null;
}

/** Whether an attestation counts for the campaign: its campaign, made within its dates. */
export function attestationValide(a: AttestationCampagne, c: Campagne): boolean {
  if (a.campagneId !== c.id) return false;
  const day = jourEnFrance(a.verifieeLe);
  return day !== '' && c.dateOuverture <= day && day <= c.dateCloture;
}

/** A collectivité's state in a campaign from its attestations (any campaign's: the others are ignored). */
export function etatCollectivite(c: Campagne | null, attestations: readonly AttestationCampagne[]): EtatCollectivite {
  const valid = c ? attestations.filter((a) => attestationValide(a, c)) : [];
  const parties = PARTIES.map((partie) => ({ partie, attestation: valid.find((a) => a.partie === partie) ?? null }));
  const verifiees = parties.filter((p) => p.attestation).length;
  const derniereAttestation = valid.reduce<string | null>(
    (m, a) => (m === null || a.verifieeLe > m ? a.verifieeLe : m),
    null,
  );
  return {
    etat: verifiees === PARTIES.length ? 'a_jour' : verifiees > 0 ? 'partiel' : 'pas_a_jour',
    parties,
    verifiees,
    derniereAttestation,
  };
}

/** The attestations of many collectivités grouped by collectivité, for the dashboards. */
export function attestationsParCollectivite(
  attestations: readonly AttestationCampagne[],
): Map<string, AttestationCampagne[]> {
  const out = new Map<string, AttestationCampagne[]>();
  for (const a of attestations) {
    const list = out.get(a.collectiviteId);
    if (list) list.push(a);
    else out.set(a.collectiviteId, [a]);
  }
  return out;
}
