import type { Nature } from './types';
export const NATURE_PAGE: Record<
  Nature,
  { title: string; route: string; add: string; nouveau: string; intro: string }
> = {
  cooperation_decentralisee: {
    title: 'c. Coopérations décentralisées',
    route: '/cooperations',
    add: 'Ajouter une coopération décentralisée',
    nouveau: 'Nouvelle coopération décentralisée',
    intro: 'Les partenariats reposant sur une convention signée, classés par pays.',
  },
  action_exterieure: {
    title: 'd. Autres actions extérieures',
    route: '/actions',
    add: 'Ajouter une action extérieure',
    nouveau: 'Nouvelle action extérieure',
    intro: 'Les actions menées à l’étranger sans convention de partenariat, classées par pays.',
  },
};
