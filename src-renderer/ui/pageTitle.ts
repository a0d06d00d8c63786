// The page's <title> (RGAA 8.6): "<Écran> — <Collectivité> — Atlas hors ligne", set by the screen on show.
import { useEffect, type RefObject } from 'react';

export const APP_TITLE = 'Atlas hors ligne';

/** "<parts…> — Atlas hors ligne", the empty parts left out, spaces collapsed. */
export function pageTitle(...parts: (string | null | undefined)[]): string {
  return [...parts, APP_TITLE]
    .map((p) => (p ?? '').replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join(' — ');
}

/** Sets document.title while the component is shown. */
export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = title;
  }, [title]);
}

/**
 * The logged-in frame's title: the screen's name is its <h1> (the one heading every screen has, and the one the
 * frame focuses on navigation), followed by the collectivité. The heading is watched, since a screen's title can
 * come once its record is read ("Partenariat « Ville de Thiès »").
 */
export function useHeadingTitle(container: RefObject<HTMLElement | null>, ...after: (string | null | undefined)[]) {
  const suffix = after.join('\u0000');
  useEffect(() => {
    const root = container.current;
    if (!root) return;
    const parts = suffix.split('\u0000');
    const update = () => {
      const h1 = root.querySelector('h1');
      const next = pageTitle(headingText(h1), ...parts);
      if (document.title !== next) document.title = next;
    };
    update();
    const observer = new MutationObserver(update);
    observer.observe(root, { childList: true, subtree: true, characterData: true });
    return () => observer.disconnect();
  }, [container, suffix]);
}

/** The heading's words without the badges some screens put in it (a record's sync state is not its name). */
function headingText(h1: Element | null): string {
  if (!h1) return '';
  const copy = h1.cloneNode(true) as Element;
  for (const b of copy.querySelectorAll('.fr-badge')) b.remove();
  return copy.textContent ?? '';
}
