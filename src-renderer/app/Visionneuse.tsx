// The frame of the viewer without login (« Ouvrir un instantané »): the snapshot's banner, the navigation
// of a collectivité's pages, and the app's own read-only screens — the five parts, the fiches-projets, the
// map — reading the snapshot's temporary copy (core/visionneuse, sync/viewer.ts). A stand-in user who
// writes nothing: no edit, create, delete, avis or attestation is offered, no sync runs, and the app's own
// database is never opened. Loaded lazily by App.tsx, like the logged-in frame.
import { useMemo, useRef, useState, type ReactNode } from 'react';
import { AppContext, type AppContextValue, type CurrentUser } from '../core/context';
import { useRecord } from '../core/data';
import { href, useRoute, type Route } from '../core/router';
import type { ViewedSnapshot } from '../core/visionneuse';
import { ApdScreen } from '../features/apd/ApdScreen';
import { CampagneScreen } from '../features/campagne/CampagneScreen';
import { ChoixCollectiviteScreen } from '../features/campagne/ChoixCollectiviteScreen';
import { CarteScreen } from '../features/carte/CarteScreen';
import { ContactsScreen } from '../features/contacts/ContactsScreen';
import { PartenariatScreen } from '../features/cooperations/PartenariatScreen';
import { PartenariatsScreen } from '../features/cooperations/PartenariatsScreen';
import { FicheProjetScreen } from '../features/projets/FicheProjetScreen';
import { FichesScreen } from '../features/projets/FichesScreen';
import { ReseauxScreen } from '../features/reseaux/ReseauxScreen';
import { Bandeau } from '../features/visionneuse/Bandeau';
import { useHeadingTitle } from '../ui/pageTitle';
import { Frame, useFocusOnNavigation } from './Frame';

const NAV = [
  { key: '', label: 'Tableau de bord', to: '/' },
  { key: 'contacts', label: 'Élus et cadres', to: '/contacts' },
  { key: 'reseaux', label: 'Réseaux', to: '/reseaux' },
  { key: 'cooperations', label: 'Coopérations', to: '/cooperations' },
  { key: 'actions', label: 'Actions extérieures', to: '/actions' },
  { key: 'apd', label: 'APD', to: '/apd' },
  { key: 'carte', label: 'Carte', to: '/carte' },
];

/** Nobody is logged in: the screens see a reader with no right to write. */
const READER: CurrentUser = {
  id: 'visionneuse',
  email: '',
  nom: 'Lecteur de l’instantané',
  role: 'agent',
  collectiviteId: null,
  collectiviteNom: null,
  region: null,
};

function screenFor(route: Route, hasCollectivite: boolean): ReactNode {
  const [a = '', b, c] = route.path;
  if (!hasCollectivite || a === 'collectivites') return <ChoixCollectiviteScreen />;
  switch (a) {
    case '':
      return <CampagneScreen />;
    case 'contacts':
      return <ContactsScreen editId={b ?? null} />;
    case 'reseaux':
      return <ReseauxScreen editId={b ?? null} />;
    case 'cooperations':
      return <PartenariatsScreen nature="cooperation_decentralisee" />;
    case 'actions':
      return <PartenariatsScreen nature="action_exterieure" />;
    case 'partenariats':
      if (b && c === 'fiches' && route.path[3]) return <FicheProjetScreen partenariatId={b} ficheId={route.path[3]} />;
      if (b && b !== 'nouveau') return <PartenariatScreen id={b} nature={null} />;
      break;
    case 'fiches':
      return <FichesScreen />;
    case 'apd':
      return <ApdScreen annee={b ? Number(b) : null} />;
    case 'carte':
      return <CarteScreen />;
  }
  return (
    <div>
      <h1 tabIndex={-1}>Page indisponible dans un instantané</h1>
      <p>Un instantané se consulte sans compte : ses pages se lisent, rien ne s’y modifie.</p>
      <p>
        <a href={href('/')}>Retour au tableau de bord de l’instantané</a>
      </p>
    </div>
  );
}

export default function Visionneuse({ view }: { view: ViewedSnapshot }) {
  const only = view.collectivites.length === 1 ? view.collectivites[0]!.id : null;
  const [chosen, setChosen] = useState<string | null>(only);
  const collectiviteId = chosen ?? only;
  const collectivite = useRecord('collectivite', collectiviteId ?? '');
  const route = useRoute();
  const mainRef = useRef<HTMLElement>(null);
  const routeKey = route.path.join('/');
  useFocusOnNavigation(mainRef, routeKey);
  const nom = (collectivite?.nom as string | undefined) ?? null;
  useHeadingTitle(mainRef, nom, 'Instantané');
  const value = useMemo<AppContextValue>(
    () => ({ user: READER, collectiviteId, setCollectiviteId: setChosen, canWrite: false, visionneuse: true }),
    [collectiviteId],
  );
  const active = route.path[0] ?? '';
  return (
    <AppContext.Provider value={value}>
      <Frame
        mainRef={mainRef}
        homeTitle="Accueil de l’instantané — Atlas hors ligne"
        tagline={nom ? `${nom} — instantané` : 'Instantané'}
        onChangeCollectivite={view.collectivites.length > 1 ? () => setChosen(null) : undefined}
        navigation={
          collectiviteId
            ? NAV.map((n) => ({ text: n.label, linkProps: { href: href(n.to) }, isActive: n.key === active }))
            : []
        }
        notices={<Bandeau view={view} />}
        resetKey={`${routeKey}|${collectiviteId ?? ''}`}
      >
        {screenFor(route, collectiviteId !== null)}
      </Frame>
    </AppContext.Provider>
  );
}
