// Thématiques d'intervention [provisoire]: codes are stable, labels may be edited by the DAECT.
export const THEMATIQUES = [
  { code: 'gouvernance', label: 'Appui institutionnel et gouvernance locale' },
  { code: 'eau', label: 'Eau et assainissement' },
  { code: 'education', label: 'Éducation et formation' },
  { code: 'enseignement_superieur', label: 'Enseignement supérieur et recherche' },
  { code: 'sante', label: 'Santé' },
  { code: 'agriculture', label: 'Agriculture, pêche et sécurité alimentaire' },
  { code: 'economie', label: 'Développement économique' },
  { code: 'environnement', label: 'Environnement, climat et énergie' },
  { code: 'culture', label: 'Culture et patrimoine' },
  { code: 'jeunesse', label: 'Jeunesse' },
  { code: 'sport', label: 'Sport' },
  { code: 'tourisme', label: 'Tourisme' },
  { code: 'urbanisme', label: 'Urbanisme et aménagement' },
  { code: 'egalite', label: 'Égalité femmes-hommes' },
  { code: 'numerique', label: 'Numérique' },
  { code: 'action_sociale', label: 'Action sociale' },
  { code: 'francophonie', label: 'Francophonie' },
  { code: 'humanitaire', label: 'Aide humanitaire et urgence' },
  { code: 'autre', label: 'Autre' },
] as const;
export type ThematiqueCode = (typeof THEMATIQUES)[number]['code'];
export const THEMATIQUE_CODES = THEMATIQUES.map((t) => t.code) as [ThematiqueCode, ...ThematiqueCode[]];
