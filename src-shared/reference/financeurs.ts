export const FINANCEURS = [
  { code: 'meae_daect', label: 'MEAE / DAECT' },
  { code: 'afd', label: 'Agence française de développement (AFD)' },
  { code: 'ue', label: 'Union européenne' },
  { code: 'region', label: 'Région' },
  { code: 'departement', label: 'Département' },
  { code: 'agence_eau', label: "Agence de l'eau" },
  { code: 'autre', label: 'Autre' },
] as const;
export type FinanceurCode = (typeof FINANCEURS)[number]['code'];
export const FINANCEUR_CODES = FINANCEURS.map((f) => f.code) as [FinanceurCode, ...FinanceurCode[]];
