// « Ouvrir un instantané »: the person picks a snapshot (.atlas-instantane) — the desktop's open dialog or
// the browser's file input — and the viewer shows it read-only, with no account. A refused file says why
// (the file's French message) and nothing is opened. On the login screen and in the logged-in frame.
import { useState } from 'react';
import { choisirInstantane, ouvrirInstantane } from '../../core/visionneuse';
import { userMessage } from '../../ui/errors';

type Status = { kind: 'idle' | 'busy' | 'error'; text: string };

export function OuvrirInstantane({ secondary = false }: { secondary?: boolean }) {
  const [status, setStatus] = useState<Status>({ kind: 'idle', text: '' });
  const open = async () => {
    let name = '';
    try {
      const file = await choisirInstantane();
      if (!file) return;
      name = file.name;
      setStatus({ kind: 'busy', text: `Vérification et ouverture de « ${name} »…` });
      await ouvrirInstantane(file.bytes);
      setStatus({ kind: 'idle', text: '' });
    } catch (e) {
      const why = userMessage(e, 'L’instantané n’a pas pu être ouvert.');
      setStatus({ kind: 'error', text: name ? `« ${name} » n’a pas été ouvert. ${why}` : why });
    }
  };
  return (
    <div className="atlas-no-print">
      <button
        type="button"
        className={`fr-btn ${secondary ? 'fr-btn--secondary ' : ''}fr-icon-file-line fr-btn--icon-left`}
        disabled={status.kind === 'busy'}
        onClick={() => void open()}
        aria-describedby="visionneuse-etat"
      >
        Ouvrir un instantané
      </button>
      <div id="visionneuse-etat" role="status" aria-live="polite">
        {status.kind === 'busy' && <p className="fr-text--sm fr-mt-1w">{status.text}</p>}
        {status.kind === 'error' && (
          <div className="fr-alert fr-alert--error fr-alert--sm fr-mt-2w" data-testid="instantane-refuse">
            <p>{status.text}</p>
          </div>
        )}
      </div>
    </div>
  );
}
