// The search field of a list of collectivités searched by choix.ts (the chooser, a campaign's collectivités).
import { ChampRecherche } from '../../ui/liste';

export function RechercheCollectivite(props: { id: string; value: string; onChange: (v: string) => void }) {
  return (
    <ChampRecherche
      {...props}
      label="Rechercher une collectivité"
      hint="Nom, code, numéro de département ou nom de la région"
    />
  );
}
