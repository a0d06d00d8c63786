// A screen that throws while rendering must not leave a blank window: the boundary shows a French
// DSFR error page instead. Nothing is lost by reloading, since records, drafts and pending changes
// live in IndexedDB; the original error goes to the console for support.
import { Component, useEffect, useRef, type ErrorInfo, type ReactNode } from 'react';
import { GENERIC_ERROR, isUserFacing } from './errors';

export function ErrorPage(props: { error: unknown; standalone?: boolean; onReload?: () => void }) {
  const title = useRef<HTMLHeadingElement>(null);
  // Screen readers announce the page through its focused title, as after any navigation.
  useEffect(() => {
    title.current?.focus();
  }, []);
  const reason = isUserFacing(props.error) ? props.error.message : null;
  const body = (
    <div className="fr-grid-row fr-grid-row--gutters fr-my-4w" data-testid="page-erreur">
      <div className="fr-col-12 fr-col-md-8">
        <h1 ref={title} tabIndex={-1}>
          Cette page n’a pas pu s’afficher
        </h1>
        <p className="fr-text--lead fr-mb-3w">Une erreur inattendue s’est produite dans l’application.</p>
        {reason && <p className="fr-mb-3w">{reason}</p>}
        <p className="fr-mb-5w">
          Rien n’est perdu : vos données, vos brouillons et les modifications qui n’ont pas encore été envoyées au
          serveur sont enregistrés sur ce poste. Rechargez l’application pour reprendre votre travail. Si le problème
          persiste, signalez-le à votre correspondant Atlas en précisant ce que vous faisiez.
        </p>
        <ul className="fr-btns-group fr-btns-group--inline-md">
          <li>
            <button type="button" className="fr-btn" onClick={props.onReload ?? (() => window.location.reload())}>
              Recharger
            </button>
          </li>
          <li>
            <a className="fr-btn fr-btn--secondary" href="#/">
              Retour au tableau de bord
            </a>
          </li>
        </ul>
      </div>
    </div>
  );
  return props.standalone ? (
    <main id="contenu" className="fr-container" tabIndex={-1}>
      {body}
    </main>
  ) : (
    body
  );
}

interface Props {
  children: ReactNode;
  /** The boundary clears itself when this changes (the route), so navigating away leaves the error page. */
  resetKey?: string;
  /** Render its own <main> (outside the shell). */
  standalone?: boolean;
}

interface State {
  error: unknown;
  shownKey: string | undefined;
}

export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, shownKey: undefined };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error ?? new Error(GENERIC_ERROR) };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    if (state.error === null) return state.shownKey === props.resetKey ? null : { shownKey: props.resetKey };
    // Navigated elsewhere since the failure: try rendering again.
    return state.shownKey !== props.resetKey ? { error: null, shownKey: props.resetKey } : null;
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error('Erreur d’affichage', error, info.componentStack);
  }

  override render(): ReactNode {
    if (this.state.error !== null) return <ErrorPage error={this.state.error} standalone={this.props.standalone} />;
    return this.props.children;
  }
}
