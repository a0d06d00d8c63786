// The régions of the COG (code → name), for saying a collectivité's région by its name and finding it
// by that name. Collectivités d'outre-mer outside any région (Saint-Pierre-et-Miquelon, Polynésie…) have none.
export const REGION_NOMS: Readonly<Record<string, string>> = {
  '01': 'Guadeloupe',
  '02': 'Martinique',
  '03': 'Guyane',
  '04': 'La Réunion',
  '06': 'Mayotte',
  '11': 'Île-de-France',
  '24': 'Centre-Val de Loire',
  '27': 'Bourgogne-Franche-Comté',
  '28': 'Normandie',
  '32': 'Hauts-de-France',
  '44': 'Grand Est',
  '52': 'Pays de la Loire',
  '53': 'Bretagne',
  '75': 'Nouvelle-Aquitaine',
  '76': 'Occitanie',
  '84': 'Auvergne-Rhône-Alpes',
  '93': 'Provence-Alpes-Côte d’Azur',
  '94': 'Corse',
};

/** "Bretagne" for "53"; an unknown code is said as « région 99 » rather than hidden. Null: no région. */
export function regionNom(code: string | null | undefined): string | null {
  if (!code) return null;
  return REGION_NOMS[code] ?? `région ${code}`;
}
