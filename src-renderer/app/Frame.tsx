// The DSFR frame the logged-in shell (Shell.tsx) and the snapshot viewer (Visionneuse.tsx) share: skip
// links, header (display settings, « Changer de collectivité », navigation, search), what goes between
// the header and the screen, the routed screen in its error boundary, footer, toasts and confirmations.
import { Display, headerFooterDisplayItem } from '@codegouvfr/react-dsfr/Display';
import { Footer } from '@codegouvfr/react-dsfr/Footer';
import { Header, type HeaderProps } from '@codegouvfr/react-dsfr/Header';
import type { MainNavigationProps } from '@codegouvfr/react-dsfr/MainNavigation';
import { SkipLinks } from '@codegouvfr/react-dsfr/SkipLinks';
import { useEffect, useRef, type ReactNode, type RefObject } from 'react';
import { navigate } from '../core/router';
import { ErrorBoundary } from '../ui/ErrorBoundary';
import { ConfirmHost } from '../ui/confirm';
import { ToastArea } from '../ui/toast';

/** Moves the focus to the screen's title, so screen readers say where they are. */
export function focusTitle(main: HTMLElement | null): boolean {
  const h1 = main?.querySelector('h1');
  if (!h1) return false;
  h1.setAttribute('tabindex', '-1');
  (h1 as HTMLElement).focus();
  return true;
}

/** On navigation (not at the first render), the new screen's title takes the focus and the page goes up. */
export function useFocusOnNavigation(mainRef: RefObject<HTMLElement | null>, routeKey: string): void {
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    focusTitle(mainRef.current);
    window.scrollTo(0, 0);
  }, [routeKey]);
}

export interface FrameProps {
  mainRef: RefObject<HTMLElement | null>;
  /** The title of the header's home link. */
  homeTitle: string;
  tagline: string;
  /** Shows « Changer de collectivité »: called before the chooser opens. */
  onChangeCollectivite?: () => void;
  /** Quick access entries after the display settings and « Changer de collectivité ». */
  quickAccessItems?: HeaderProps.QuickAccessItem[];
  navigation: MainNavigationProps.Item[];
  /** The header's search field (and its skip link). */
  onSearch?: (text: string) => void;
  /** Between the header and the screen: notices, status bar, the snapshot's banner. */
  notices: ReactNode;
  /** The error boundary around the screen starts again when it changes. */
  resetKey: string;
  children: ReactNode;
}

export function Frame(props: FrameProps) {
  const { onChangeCollectivite, onSearch } = props;
  return (
    <>
      <SkipLinks
        links={[
          { label: 'Contenu', anchor: '#contenu' },
          ...(onSearch ? [{ label: 'Recherche', anchor: '#entete-search-input' }] : []),
          { label: 'Pied de page', anchor: '#footer' },
        ]}
      />
      <Header
        brandTop={
          <>
            République
            <br />
            Française
          </>
        }
        homeLinkProps={{ href: '#/', title: props.homeTitle }}
        serviceTitle="Atlas hors ligne"
        serviceTagline={props.tagline}
        id="entete"
        quickAccessItems={[
          headerFooterDisplayItem,
          ...(onChangeCollectivite
            ? [
                {
                  iconId: 'fr-icon-building-line' as const,
                  text: 'Changer de collectivité',
                  buttonProps: {
                    onClick: () => {
                      onChangeCollectivite();
                      navigate('/collectivites');
                    },
                  },
                },
              ]
            : []),
          ...(props.quickAccessItems ?? []),
        ]}
        navigation={props.navigation}
        {...(onSearch
          ? {
              renderSearchInput: ({ className, id, placeholder, type }) => (
                <input className={className} id={id} placeholder={placeholder} type={type} name="q" />
              ),
              onSearchButtonClick: onSearch,
              allowEmptySearch: false,
            }
          : {})}
      />
      {props.notices}
      <main id="contenu" ref={props.mainRef} className="fr-container fr-my-4w" tabIndex={-1}>
        <ErrorBoundary resetKey={props.resetKey}>{props.children}</ErrorBoundary>
      </main>
      <Footer
        id="footer"
        accessibility="partially compliant"
        contentDescription="Atlas hors ligne permet aux collectivités territoriales de tenir à jour leurs pages de l'Atlas français de la coopération décentralisée, même sans connexion."
        bottomItems={[headerFooterDisplayItem]}
      />
      <Display />
      <ToastArea />
      <ConfirmHost />
    </>
  );
}
