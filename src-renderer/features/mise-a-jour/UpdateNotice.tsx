// Discreet notice under the header about application updates (Electron host only: browsers always get
// the server's current app). "Install now" never interrupts an edit: it is refused while a form is dirty.
import { useEffect, useState, useSyncExternalStore } from 'react';
import { hostErrorCode, isDesktop, updates, type UpdateState } from '../../core/platform';
import { hasUnsavedEdits, subscribeEditState } from '../../ui/editState';
import { installBlockedMessage, installErrorMessage, updateNotice } from './notice';

/** Hiding lasts until the state (or the version) changes, not on every progress tick. */
function dismissKey(s: UpdateState): string {
  return 'version' in s ? `${s.state}:${s.version}` : s.state;
}

export function UpdateNotice() {
  const [state, setState] = useState<UpdateState>({ state: 'idle' });
  const [dismissed, setDismissed] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [installing, setInstalling] = useState(false);
  const editing = useSyncExternalStore(subscribeEditState, hasUnsavedEdits);

  useEffect(() => {
    if (!isDesktop()) return;
    let live = true;
    const off = updates.onState((s) => {
      if (live) setState(s);
    });
    updates.state().then(
      (s) => {
        if (live) setState(s);
      },
      () => undefined,
    );
    return () => {
      live = false;
      off();
    };
  }, []);

  // A message about a refused install goes away once the edit is over, or when the state moves on.
  useEffect(() => {
    if (!editing) setMessage(null);
  }, [editing]);
  const key = dismissKey(state);
  useEffect(() => {
    setMessage(null);
  }, [key]);

  const shown = isDesktop() ? updateNotice(state) : null;
  const content = shown && dismissed !== key ? shown : null;

  const install = async () => {
    const blocked = installBlockedMessage(hasUnsavedEdits());
    if (blocked) {
      setMessage(blocked);
      return;
    }
    setMessage(null);
    setInstalling(true);
    try {
      await updates.installNow();
    } catch (e) {
      setMessage(installErrorMessage(hostErrorCode(e)));
    } finally {
      setInstalling(false);
    }
  };

  // The same elements stay mounted whether or not there is a notice (only their classes change), so the
  // live region exists before its text arrives and screen readers announce it.
  return (
    <div
      className={content ? 'fr-container fr-my-2w atlas-no-print' : 'atlas-no-print'}
      data-testid={content ? 'mise-a-jour' : undefined}
    >
      <div className={content ? `fr-alert fr-alert--${content.severity} fr-alert--sm` : undefined}>
        <div role="status">
          {content && <p className="fr-alert__title">{content.title}</p>}
          {content && <p>{content.text}</p>}
        </div>
        {content?.percent !== undefined && (
          <p className="fr-text--sm fr-mb-0">
            <progress
              max={100}
              value={content.percent}
              aria-label="Progression du téléchargement"
              className="atlas-progress"
            />{' '}
            <span>{content.percent} %</span>
          </p>
        )}
        {content?.canInstall && (
          <button
            type="button"
            className="fr-btn fr-btn--sm fr-btn--secondary fr-mt-1w"
            disabled={installing}
            onClick={() => void install()}
          >
            Redémarrer et installer maintenant
          </button>
        )}
        {content && message && (
          <p className="fr-text--sm fr-mt-1w fr-mb-0" role="alert">
            {message}
          </p>
        )}
        {content?.dismissible && (
          <button
            type="button"
            className="fr-btn--close fr-btn"
            title="Masquer ce message"
            aria-label="Masquer ce message"
            onClick={() => setDismissed(key)}
          >
            Masquer ce message
          </button>
        )}
      </div>
    </div>
  );
}
