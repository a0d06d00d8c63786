// Which fiches-projets await an avis of the services of the State (issue 15): one rule for the « Fiches à
// instruire » list and the regional dashboard's count. A fiche awaits an avis when none was given on it, or
// when every avis given concerns an earlier version of it (the fiche's server revision, as this device
// holds it, is newer than the version the avis was given on: `avisAnterieur`).
import type { Avis } from '../../../src-shared/domain/avis';
import type { FicheProjet } from '../../../src-shared/domain/ficheProjet';
import type { Partenariat } from '../../../src-shared/domain/partenariat';

/** Whether the fiche, as this device holds it from the server, changed after the version the avis concerns. */
export function avisAnterieur(a: Avis, ficheRevision: number | null | undefined): boolean {
  return a.ficheRevision != null && ficheRevision != null && ficheRevision > a.ficheRevision;
}

/** Why a fiche awaits an avis: none given yet, or changed since every avis given on it. */
export type MotifInstruction = 'sans_avis' | 'modifiee';
export const MOTIF_INSTRUCTION_LABELS: Record<MotifInstruction, string> = {
  sans_avis: 'Sans avis',
  modifiee: 'Modifiée depuis l’avis',
};

/** The rule: null when an avis concerns the fiche's current version. */
export function motifInstruction(
  avis: readonly Avis[] | undefined,
  ficheRevision: number | null | undefined,
): MotifInstruction | null {
  if (!avis || avis.length === 0) return 'sans_avis';
  return avis.every((a) => avisAnterieur(a, ficheRevision)) ? 'modifiee' : null;
}

/** The avis of many fiches grouped by fiche. */
export function avisParFiche(avis: readonly Avis[]): Map<string, Avis[]> {
  const out = new Map<string, Avis[]>();
  for (const a of avis) {
    const list = out.get(a.ficheProjetId);
    if (list) list.push(a);
    else out.set(a.ficheProjetId, [a]);
  }
  return out;
}

/** The latest avis (by date, then author), or null. */
export function dernierAvis(avis: readonly Avis[] | undefined): Avis | null {
  let best: Avis | null = null;
  for (const a of avis ?? [])
    if (!best || a.date > best.date || (a.date === best.date && a.auteur > best.auteur)) best = a;
  return best;
}

/** Number of fiches awaiting an avis per collectivité. */
export function aInstruireParCollectivite(
  fiches: readonly FicheProjet[],
  avis: ReadonlyMap<string, Avis[]>,
  revisions: ReadonlyMap<string, number | null>,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of fiches)
    if (motifInstruction(avis.get(f.id), revisions.get(f.id)) !== null)
      out.set(f.collectiviteId, (out.get(f.collectiviteId) ?? 0) + 1);
  return out;
}

/** « sans avis » or the latest avis's statut d'instruction: what the list filters on. */
export type StatutFiltre = 'sans_avis' | Avis['statutInstruction'];

export interface FicheAInstruire {
  fiche: FicheProjet;
  motif: MotifInstruction;
  /** The latest avis given (null: none). */
  avis: Avis | null;
  statut: StatutFiltre;
  /** The partenariat's country code (null when the partenariat is not on this device). */
  pays: string | null;
  partenaire: string | null;
  collectiviteNom: string;
}

/** The fiches of the scope awaiting an avis, in collectivité then title order. */
export function fichesAInstruire(input: {
  fiches: readonly FicheProjet[];
  avis: readonly Avis[];
  revisions: ReadonlyMap<string, number | null>;
  partenariats: readonly Partenariat[];
  collectiviteNom: (id: string) => string;
}): FicheAInstruire[] {
  const byFiche = avisParFiche(input.avis);
  const partenariats = new Map(input.partenariats.map((p) => [p.id, p]));
  const out: FicheAInstruire[] = [];
  for (const fiche of input.fiches) {
    const avis = byFiche.get(fiche.id);
    const motif = motifInstruction(avis, input.revisions.get(fiche.id));
    if (!motif) continue;
    const last = dernierAvis(avis);
    const p = partenariats.get(fiche.partenariatId);
    out.push({
      fiche,
      motif,
      avis: last,
      statut: last ? last.statutInstruction : 'sans_avis',
      pays: p?.pays ?? null,
      partenaire: p?.nomPartenaire ?? null,
      collectiviteNom: input.collectiviteNom(fiche.collectiviteId),
    });
  }
  const collator = new Intl.Collator('fr');
  return out.sort(
    (a, b) =>
      collator.compare(a.collectiviteNom, b.collectiviteNom) || collator.compare(a.fiche.intitule, b.fiche.intitule),
  );
}

export interface FiltresInstruction {
  thematique: string;
  pays: string;
  statut: string;
}

/** The list narrowed by thématique, pays and statut d'instruction ('' keeps all). */
export function filtrerAInstruire(list: readonly FicheAInstruire[], f: FiltresInstruction): FicheAInstruire[] {
  return list.filter(
    (x) =>
      (!f.thematique || (x.fiche.thematiques as readonly string[]).includes(f.thematique)) &&
      (!f.pays || x.pays === f.pays) &&
      (!f.statut || x.statut === f.statut),
  );
}
