// The frame of every screen: skip links, DSFR header (collectivité, search, theme), navigation,
// update notice (Electron), sync status bar, the routed screen, footer, undo toasts.
import { useEffect, useRef, type ReactNode } from 'react';
import { ROLE_LABELS, type Role } from '../../src-shared/domain/roles';
import { useApp } from '../core/context';
import { logout, useFirstSync, useRecord, useSyncStatus } from '../core/data';
import { href, navigate, useRoute, type Route } from '../core/router';
import { StatusBar } from '../features/synchronisation/StatusBar';
import { CampagneScreen } from '../features/campagne/CampagneScreen';
import { ContactsScreen } from '../features/contacts/ContactsScreen';
import { ReseauxScreen } from '../features/reseaux/ReseauxScreen';
import { PartenariatsScreen } from '../features/cooperations/PartenariatsScreen';
import { PartenariatScreen } from '../features/cooperations/PartenariatScreen';
import { FicheProjetScreen } from '../features/projets/FicheProjetScreen';
import { FichesScreen } from '../features/projets/FichesScreen';
import { ApdScreen } from '../features/apd/ApdScreen';
import { CarteScreen } from '../features/carte/CarteScreen';
import { SynchronisationScreen } from '../features/synchronisation/SynchronisationScreen';
import { PremiereSynchronisation, waitsForFirstSync } from '../features/synchronisation/PremiereSynchronisation';
import { RechercheScreen } from '../features/recherche/RechercheScreen';
import { ChoixCollectiviteScreen } from '../features/campagne/ChoixCollectiviteScreen';
import { ComptesScreen } from '../features/comptes/ComptesScreen';
import { ImportAtlasScreen } from '../features/import-atlas/ImportAtlasScreen';
import { CampagnesScreen } from '../features/campagnes/CampagnesScreen';
import { CampagneDetailScreen } from '../features/campagnes/CampagneDetailScreen';
import { NationalScreen } from '../features/tableau-de-bord/NationalScreen';
import { CollectivitesAJourScreen } from '../features/a-jour/CollectivitesAJourScreen';
import { ExportsScreen } from '../features/exports/ExportsScreen';
import { RegionScreen } from '../features/tableau-de-bord/RegionScreen';
import { AInstruireScreen } from '../features/instruction/AInstruireScreen';
import type { CurrentUser } from '../core/context';
import { ListesScreen } from '../features/listes/ListesScreen';
import { useHeadingTitle } from '../ui/pageTitle';
import { askConfirm } from '../ui/confirm';
import { UpdateNotice } from '../features/mise-a-jour/UpdateNotice';
import { focusTitle, Frame, useFocusOnNavigation } from './Frame';

type NavItem = { key: string; label: string; to: string; roles?: readonly Role[] };
const NAV: NavItem[] = [
  { key: '', label: 'Tableau de bord', to: '/' },
  { key: 'contacts', label: 'Élus et cadres', to: '/contacts' },
  { key: 'reseaux', label: 'Réseaux', to: '/reseaux' },
  { key: 'cooperations', label: 'Coopérations', to: '/cooperations' },
  { key: 'actions', label: 'Actions extérieures', to: '/actions' },
  { key: 'apd', label: 'APD', to: '/apd' },
  { key: 'carte', label: 'Carte', to: '/carte' },
  { key: 'campagnes', label: 'Campagnes', to: '/campagnes', roles: ['sgar', 'daect'] },
  { key: 'synchronisation', label: 'Synchronisation', to: '/synchronisation' },
  { key: 'comptes', label: 'Demandes de compte', to: '/comptes' },
  { key: 'listes', label: 'Listes de référence', to: '/listes', roles: ['daect'] },
  { key: 'exports', label: 'Exports', to: '/exports', roles: ['sgar', 'daect'] },
  { key: 'import-atlas', label: 'Importer un Atlas', to: '/import-atlas', roles: ['daect'] },
];
/** Entries of the national and regional roles, before the collectivité's. */
const NAV_DAECT: NavItem[] = [{ key: 'tableau-de-bord', label: 'Tableau de bord national', to: '/tableau-de-bord' }];
const NAV_A_JOUR: NavItem = { key: 'a-jour', label: 'Collectivités à jour', to: '/a-jour' };

/** Screens that need no chosen collectivité (SGAR, DAECT). */
const WITHOUT_COLLECTIVITE = [
  'carte',
  'synchronisation',
  'comptes',
  'campagnes',
  'exports',
  'tableau-de-bord',
  'a-jour',
  'a-instruire',
  'listes',
  'import-atlas',
];

function Reserve() {
  return (
    <>
      <h1>Page réservée</h1>
      <p>Cette page est réservée aux équipes nationales et régionales.</p>
      <p>
        <a href={href('/')}>Retour au tableau de bord</a>
      </p>
    </>
  );
}

/**
 * The navigation a person sees: the collectivité's entries (NAV, filtered by role), with, for the State's
 * services, « Fiches à instruire »; the SGAR's regional dashboard; the DAECT's national one and the
 * « Collectivités à jour » list.
 */
function navFor(user: CurrentUser): NavItem[] {
  const out = NAV.filter((n) => !n.roles || n.roles.includes(user.role));
  if (user.role !== 'agent')
    out.splice(
      out.findIndex((n) => n.key === 'synchronisation'),
      0,
      { key: 'a-instruire', label: 'Fiches à instruire', to: '/a-instruire' },
    );
  if (user.role === 'daect') return [...NAV_DAECT, NAV_A_JOUR, ...out];
  if (user.role === 'sgar') {
    const regional: NavItem[] = user.region
      ? [{ key: 'tableau-de-bord', label: 'Tableau de bord régional', to: `/tableau-de-bord/region/${user.region}` }]
      : [];
    return [out[0]!, ...regional, NAV_A_JOUR, ...out.slice(1)];
  }
  return out;
}

function screenFor(
  route: Route,
  user: CurrentUser,
  hasCollectivite: boolean,
  copy: 'unknown' | 'waiting' | 'complete',
): ReactNode {
  const [a = '', b, c] = route.path;
  // Until the copy has been complete once, an empty screen would read as « nothing to do » (no campaign,
  // every part to check, no collectivité to choose): the first sync's progress is shown instead.
  if (waitsForFirstSync(copy, a)) return copy === 'waiting' ? <PremiereSynchronisation /> : null;
  // Without a chosen collectivité, the DAECT lands on the national dashboard and an SGAR on its région's
  // (« Changer de collectivité » opens the chooser).
  if (!hasCollectivite && a === '' && user.role === 'daect') return <NationalScreen />;
  if (!hasCollectivite && a === '' && user.role === 'sgar' && user.region) return <RegionScreen region={user.region} />;
  if (!hasCollectivite && !WITHOUT_COLLECTIVITE.includes(a)) return <ChoixCollectiviteScreen />;
  if (a === 'tableau-de-bord' && b === 'region' && c)
    return user.role === 'agent' ? <Reserve /> : <RegionScreen region={c} />;
  switch (a) {
    case 'tableau-de-bord':
      // `/tableau-de-bord/region/<code>`: the regional list (another screen) goes before this line.
      return user.role === 'daect' ? <NationalScreen /> : <Reserve />;
    case 'a-jour':
      return user.role === 'agent' ? <Reserve /> : <CollectivitesAJourScreen />;
    case '':
      return <CampagneScreen />;
    case 'collectivites':
      return <ChoixCollectiviteScreen />;
    case 'contacts':
      return <ContactsScreen editId={b ?? null} />;
    case 'reseaux':
      return <ReseauxScreen editId={b ?? null} />;
    case 'cooperations':
      return <PartenariatsScreen nature="cooperation_decentralisee" />;
    case 'actions':
      return <PartenariatsScreen nature="action_exterieure" />;
    case 'partenariats':
      if (b && c === 'fiches') return <FicheProjetScreen partenariatId={b} ficheId={route.path[3] ?? 'nouvelle'} />;
      return <PartenariatScreen id={b ?? 'nouveau'} nature={route.query.get('nature')} />;
    case 'fiches':
      return <FichesScreen />;
    case 'apd':
      return <ApdScreen annee={b ? Number(b) : null} />;
    case 'carte':
      return <CarteScreen />;
    case 'synchronisation':
      return <SynchronisationScreen />;
    case 'comptes':
      return <ComptesScreen />;
    case 'campagnes':
      return b ? <CampagneDetailScreen annee={b} /> : <CampagnesScreen />;
    case 'exports':
      return <ExportsScreen />;
    case 'listes':
      return <ListesScreen path={route.path.slice(1)} />;
    case 'import-atlas':
      return user.role === 'daect' ? <ImportAtlasScreen /> : <Reserve />;
    case 'recherche':
      return <RechercheScreen q={route.query.get('q') ?? ''} />;
    case 'a-instruire':
      return user.role === 'agent' ? <Reserve /> : <AInstruireScreen />;
    default:
      return (
        <div>
          <h1 tabIndex={-1}>Page introuvable</h1>
          <p>
            <a href={href('/')}>Retour au tableau de bord</a>
          </p>
        </div>
      );
  }
}

/** "1 modification n’a pas encore été envoyée…" / "3 modifications n’ont pas encore été envoyées…". */
export function unsentSentence(n: number): string {
  return n === 1
    ? '1 modification n’a pas encore été envoyée au serveur.'
    : `${n} modifications n’ont pas encore été envoyées au serveur.`;
}

export function Shell() {
  const { user, collectiviteId, setCollectiviteId } = useApp();
  const route = useRoute();
  const collectivite = useRecord('collectivite', collectiviteId ?? '');
  const status = useSyncStatus();
  const copy = useFirstSync();
  const mainRef = useRef<HTMLElement>(null);
  const active = route.path[0] ?? '';

  // Focus the new screen's title on navigation so screen readers announce it.
  const routeKey = route.path.join('/');
  useFocusOnNavigation(mainRef, routeKey);

  // The first sync over, the screen the person waited for replaces the progress: its title takes the
  // focus, as after a navigation, so screen readers say where they are.
  const waited = useRef(false);
  useEffect(() => {
    if (copy === 'waiting') waited.current = true;
    else if (copy === 'complete' && waited.current) {
      waited.current = false;
      // A screen shown during the wait (synchronisation, account requests) keeps the person's focus.
      if (!waitsForFirstSync('waiting', active)) return;
      focusTitle(mainRef.current);
    }
  }, [copy]);

  const collectiviteNom = (collectivite?.nom as string | undefined) ?? user.collectiviteNom ?? null;
  // <title>: "<the screen's h1> — <collectivité> — Atlas hors ligne" (RGAA 8.6).
  useHeadingTitle(mainRef, collectiviteNom);
  const pending = status.pendingCount;
  return (
    <Frame
      mainRef={mainRef}
      homeTitle="Accueil — Atlas hors ligne"
      tagline={collectiviteNom ?? ROLE_LABELS[user.role]}
      onChangeCollectivite={user.role !== 'agent' ? () => setCollectiviteId(null) : undefined}
      quickAccessItems={[
        {
          iconId: 'fr-icon-logout-box-r-line',
          text: 'Se déconnecter',
          buttonProps: {
            onClick: async () => {
              // Unsent changes are never dropped silently: logging out with some asks explicitly.
              if (
                pending > 0 &&
                !(await askConfirm({
                  title: 'Se déconnecter et abandonner les modifications non envoyées ?',
                  body: (
                    <>
                      <p>{unsentSentence(pending)}</p>
                      <p>
                        Se déconnecter les supprimera de ce poste. Synchronisez d’abord si possible (écran «
                        Synchronisation »).
                      </p>
                    </>
                  ),
                  confirm: 'Se déconnecter quand même',
                  cancel: 'Rester connecté',
                }))
              )
                return;
              await logout({ discardPending: pending > 0 });
            },
          },
        },
      ]}
      navigation={navFor(user).map((n) => ({
        text: n.label,
        linkProps: { href: href(n.to) },
        // Without a collectivité, the DAECT's and the SGAR's home is their dashboard: its entry is the current one.
        isActive: n.key === (user.role !== 'agent' && !collectiviteId && active === '' ? 'tableau-de-bord' : active),
      }))}
      onSearch={(text) => navigate(`/recherche?q=${encodeURIComponent(text)}`)}
      notices={
        <>
          <UpdateNotice />
          <StatusBar />
        </>
      }
      resetKey={`${routeKey}|${collectiviteId ?? ''}`}
    >
      {screenFor(route, user, collectiviteId !== null, copy)}
    </Frame>
  );
}
