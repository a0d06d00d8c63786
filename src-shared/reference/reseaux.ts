// Associations et réseaux [provisoire]: national networks plus the regional multi-actor networks (RRMA).
export const RESEAUX = [
  { code: 'cuf', label: 'Cités Unies France', region: null },
  { code: 'afccre', label: 'AFCCRE', region: null },
  { code: 'cglu', label: 'CGLU – Cités et gouvernements locaux unis', region: null },
  { code: 'aimf', label: 'AIMF – Association internationale des maires francophones', region: null },
  { code: 'platforma', label: 'PLATFORMA', region: null },
  { code: 'rrma_ara', label: 'RESACOOP (Auvergne-Rhône-Alpes)', region: '84' },
  { code: 'rrma_bfc', label: 'Bourgogne-Franche-Comté International', region: '27' },
  { code: 'rrma_bre', label: 'Bretagne Solidaire', region: '53' },
  { code: 'rrma_cvl', label: 'Centraider (Centre-Val de Loire)', region: '24' },
  { code: 'rrma_ges', label: 'GESCOD (Grand Est)', region: '44' },
  { code: 'rrma_hdf', label: 'Lianes Coopération (Hauts-de-France)', region: '32' },
  { code: 'rrma_nor', label: 'Horizons Solidaires (Normandie)', region: '28' },
  { code: 'rrma_naq', label: 'SO Coopération (Nouvelle-Aquitaine)', region: '75' },
  { code: 'rrma_occ', label: 'Occitanie Coopération', region: '76' },
  { code: 'rrma_pdl', label: 'Pays de la Loire Coopération Internationale', region: '52' },
  { code: 'rrma_pac', label: 'Territoires Solidaires (Provence-Alpes-Côte d’Azur)', region: '93' },
  { code: 'rrma_cor', label: 'Corsica Cooperazione (Corse)', region: '94' },
  { code: 'rrma_reu', label: 'Réseau régional de La Réunion', region: '04' },
  { code: 'rrma_idf', label: 'Réseau régional d’Île-de-France', region: '11' },
] as const;
export type ReseauCode = (typeof RESEAUX)[number]['code'];
export const RESEAU_CODES = RESEAUX.map((r) => r.code) as [ReseauCode, ...ReseauCode[]];
