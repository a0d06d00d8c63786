// Fiche-projet form values (strings, as inputs hold them) ⇄ the record the shared schema validates.
import type { FicheProjet } from '../../../src-shared/domain/ficheProjet';
import { str } from '../../ui/form';
import { amountToInput, parseAmount } from '../../ui/format';

export interface FValues {
  intitule: string;
  description: string;
  thematiques: string[];
  statut: string;
  dateDebut: string;
  dateFin: string;
  coutTotal: string;
  participationCollectivite: string;
  cofinancements: { financeur: string; montant: string }[];
  operateurs: string;
  beneficiaires: string;
  odd: string[];
  dispositifUnPourCent: string;
  referentContactId: string;
  siteWeb: string;
}

export function ficheToValues(f?: FicheProjet): FValues {
  return {
    intitule: f?.intitule ?? '',
    description: f?.description ?? '',
    thematiques: f ? [...f.thematiques] : [],
    statut: f?.statut ?? '',
    dateDebut: f?.dateDebut ?? '',
    dateFin: f?.dateFin ?? '',
    coutTotal: amountToInput(f?.coutTotal),
    participationCollectivite: amountToInput(f?.participationCollectivite),
    cofinancements: (f?.cofinancements ?? []).map((c) => ({
      financeur: c.financeur,
      montant: amountToInput(c.montant),
    })),
    operateurs: f?.operateurs ?? '',
    beneficiaires: f?.beneficiaires ?? '',
    odd: (f?.odd ?? []).map(String),
    dispositifUnPourCent: f?.dispositifUnPourCent ?? 'aucun',
    referentContactId: f?.referentContactId ?? '',
    siteWeb: f?.siteWeb ?? '',
  };
}

/** Empty inputs become absent/null so the schema says "obligatoire"; amounts are parsed the French way. */
export function ficheToRecord(
  v: FValues,
  ctx: { id: string; collectiviteId: string; partenariatId: string },
): Record<string, unknown> {
  return {
    id: ctx.id,
    collectiviteId: ctx.collectiviteId,
    partenariatId: ctx.partenariatId,
    intitule: v.intitule,
    description: v.description,
    thematiques: v.thematiques ?? [],
    statut: v.statut || undefined,
    dateDebut: v.dateDebut || undefined,
    dateFin: str(v.dateFin),
    coutTotal: parseAmount(v.coutTotal),
    participationCollectivite: parseAmount(v.participationCollectivite),
    cofinancements: (v.cofinancements ?? []).map((c) => ({
      financeur: c.financeur || undefined,
      montant: parseAmount(c.montant) ?? undefined,
    })),
    operateurs: v.operateurs,
    beneficiaires: v.beneficiaires,
    odd: (v.odd ?? []).map(Number).sort((a, b) => a - b),
    dispositifUnPourCent: v.dispositifUnPourCent || 'aucun',
    referentContactId: str(v.referentContactId),
    siteWeb: v.siteWeb,
  };
}
