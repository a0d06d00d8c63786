export const CATEGORIES_APD = [
  { code: 'cooperation_jumelage', label: 'Coopération et jumelage' },
  { code: 'un_pour_cent_eau', label: '1 % eau et assainissement' },
  { code: 'un_pour_cent_dechets', label: '1 % déchets' },
  { code: 'un_pour_cent_energie', label: '1 % énergie' },
  { code: 'subventions_ong', label: 'Subventions aux ONG et associations' },
  { code: 'multilateral', label: 'Contributions multilatérales' },
  { code: 'ead', label: 'Éducation au développement et sensibilisation' },
  { code: 'refugies', label: 'Accueil de réfugiés' },
  { code: 'bourses', label: "Bourses d'étudiants" },
  { code: 'frais_administratifs', label: 'Frais administratifs et de suivi' },
] as const;
export type CategorieApdCode = (typeof CATEGORIES_APD)[number]['code'];
export const CATEGORIE_APD_CODES = CATEGORIES_APD.map((c) => c.code) as [CategorieApdCode, ...CategorieApdCode[]];
