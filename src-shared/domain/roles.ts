export const ROLES = ['agent', 'sgar', 'daect'] as const;
export type Role = (typeof ROLES)[number];
export const ROLE_LABELS: Record<Role, string> = {
  agent: 'Agent de collectivité',
  sgar: 'SGAR (services régionaux de l’État)',
  daect: 'DAECT (équipe nationale)',
};
