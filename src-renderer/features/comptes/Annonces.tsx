// What the requests (ComptesScreen) and the list of all the accounts (ListeComptes) both announce: the
// sentence saying what a decision on an account did (the server's), given the focus, and a load failure.
import { useEffect, useRef, type RefObject } from 'react';

/**
 * The sentence's ref, focused each time `said` changes (but 0). Called in the screen itself, not in a
 * child, so that its effect runs after the dialogs' own (a child's effects come first): a modal dialog
 * makes the page inert until it closes. The DSFR script, which also watches the dialog, may drop the
 * focus on <body> a moment later: the sentence takes it back then.
 */
export function useResultatFocus(said: number): RefObject<HTMLDivElement | null> {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!said) return;
    ref.current?.focus();
    const back = () => {
      if (!document.activeElement || document.activeElement === document.body) ref.current?.focus();
    };
    const timers = [setTimeout(back, 100), setTimeout(back, 400)];
    return () => timers.forEach(clearTimeout);
  }, [said]);
  return ref;
}

export function Resultat(props: {
  message: string | null;
  testId: string;
  focusRef: RefObject<HTMLDivElement | null>;
}) {
  return (
    <div aria-live="polite" role="status">
      {props.message && (
        <div
          ref={props.focusRef}
          tabIndex={-1}
          className="fr-alert fr-alert--success fr-alert--sm fr-mb-3w"
          data-testid={props.testId}
        >
          <p>{props.message}</p>
        </div>
      )}
    </div>
  );
}

/** The list could not be loaded: the server's reason and « Réessayer ». */
export function ErreurChargement(props: { titre: string; niveau: 'h2' | 'h3'; message: string; onRetry(): void }) {
  const Titre = props.niveau;
  return (
    <div className="fr-alert fr-alert--error fr-mb-3w" role="alert">
      <Titre className="fr-alert__title">{props.titre}</Titre>
      <p>{props.message}</p>
      <button type="button" className="fr-btn fr-btn--secondary fr-btn--sm fr-mt-2w" onClick={props.onRetry}>
        Réessayer
      </button>
    </div>
  );
}
