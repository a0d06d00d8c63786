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

/**
 * The campaign open on `today`; else the latest one that has opened (the one just closed: its « à jour »
 * still decide until the next opens); else the next to open; null when none is known. A campaign the
 * DAECT prepares for a later year never hides the one that ran.
 */
export function campagneCourante(campagnes: readonly Campagne[], today: string): Campagne | null {
  const byYear = [...campagnes].sort((a, b) => b.annee - a.annee);
  return (
    byYear.find((c) => campagneOuverte(c, today)) ??
    byYear.find((c) => c.dateOuverture <= today) ??
    byYear.at(-1) ??
    null
  );
}

/** Open on `today` (both dates included). */
export function campagneOuverte(c: Campagne, today: string): boolean {
  return c.dateOuverture <= today && today <= c.dateCloture;
}

export const PHASES_CAMPAGNE = ['a_venir', 'ouverte', 'close'] as const;
export type PhaseCampagne = (typeof PHASES_CAMPAGNE)[number];
export const PHASE_CAMPAGNE_LABELS: Record<PhaseCampagne, string> = {
  a_venir: 'À venir',
  ouverte: 'Ouverte',
  close: 'Close',
};

/** À venir before its opening day, ouverte from it to its closing day (included), close after. */
export function phaseCampagne(c: Campagne, today: string): PhaseCampagne {
  return today < c.dateOuverture ? 'a_venir' : today <= c.dateCloture ? 'ouverte' : 'close';
}

const MOIS = [
  'janvier',
  'février',
  'mars',
  'avril',
  'mai',
  'juin',
  'juillet',
  'août',
  'septembre',
  'octobre',
  'novembre',
  'décembre',
];

/** `2026-06-30` → « 30 juin 2026 », `2027-03-01` → « 1er mars 2027 » (as a sentence says a date). */
export function jourEnLettres(day: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return day;
  const d = Number(m[3]);
  return `${d === 1 ? '1er' : d} ${MOIS[Number(m[2]) - 1] ?? m[2]} ${m[1]}`;
}

/**
 * Why an attestation of campaign `c` (its creation or its renewal) is refused on `today`, null when it is
 * accepted: one sentence, said by the server (code CAMPAIGN_CLOSED) and by the device before it sends.
 */
export function refusAttestation(c: Campagne, today: string): string | null {
  const phase = phaseCampagne(c, today);
  if (phase === 'close')
    return `La campagne ${c.annee} est close depuis le ${jourEnLettres(c.dateCloture)} : les attestations ne sont plus acceptées.`;
  if (phase === 'a_venir')
    return `La campagne ${c.annee} n’ouvre que le ${jourEnLettres(c.dateOuverture)} : les attestations ne sont pas encore acceptées.`;
  return null;
}

/**
 * The closing date « Clôturer la campagne » sets on `today`: today itself. A closing date is the last day
 * attestations are accepted (campagneOuverte, attestationValide), so closing today keeps what agents
 * attested today valid and refuses everything from tomorrow (a closing date of yesterday would undo
 * today's attestations, and be before the opening of a campaign opened today). Null when the campaign is
 * not open or already closes today: there is nothing to bring forward.
 */
export function clotureAnticipee(c: Campagne, today: string): string | null {
  return campagneOuverte(c, today) && today < c.dateCloture ? today : null;
}

/** The agent's sentence about time: days left, the last day, closed since, or opening on. */
export function phraseDelai(c: Campagne, today: string): string {
  const n = joursRestants(c, today);
  const cloture = jourEnLettres(c.dateCloture);
  switch (phaseCampagne(c, today)) {
    case 'a_venir':
      return `La campagne ${c.annee} ouvrira le ${jourEnLettres(c.dateOuverture)} (clôture le ${cloture}).`;
    case 'close':
      return `La campagne ${c.annee} est close depuis le ${cloture}.`;
    default:
      return n === 0
        ? `C’est le dernier jour pour attester vos pages (clôture ce soir, ${cloture}).`
        : `Il reste ${n} jour${n > 1 ? 's' : ''} pour attester vos pages (clôture le ${cloture}).`;
  }
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

export interface BilanCampagne {
  /** Collectivités of the scope (those given). */
  total: number;
  aJour: number;
  partiel: number;
  pasAJour: number;
  /** Per part, how many collectivités of the scope attested it within the campaign. */
  parPartie: Record<Partie, number>;
}

/** Where the collectivités of a scope stand in a campaign (the DAECT's and SGAR's campaign pages). */
export function bilanCampagne(
  c: Campagne,
  collectiviteIds: readonly string[],
  parCollectivite: ReadonlyMap<string, readonly AttestationCampagne[]>,
): BilanCampagne {
  const parPartie = Object.fromEntries(PARTIES.map((p) => [p, 0])) as Record<Partie, number>;
  let aJour = 0;
  let partiel = 0;
  for (const id of collectiviteIds) {
    const e = etatCollectivite(c, parCollectivite.get(id) ?? []);
    if (e.etat === 'a_jour') aJour++;
    else if (e.etat === 'partiel') partiel++;
    for (const p of e.parties) if (p.attestation) parPartie[p.partie]++;
  }
  const total = collectiviteIds.length;
  return { total, aJour, partiel, pasAJour: total - aJour - partiel, parPartie };
}
