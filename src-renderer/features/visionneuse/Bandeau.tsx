// The viewer's banner, on every screen of a snapshot (and on paper): whose data, as of when, who produced
// it, that its signature was verified — and « Fermer l’instantané ».
import type { ViewedSnapshot } from '../../core/visionneuse';
import { fermerInstantane } from '../../core/visionneuse';
import { navigate } from '../../core/router';
import { formatDateTime, formatInt } from '../../ui/format';

/** « Instantané de <scope> au <date> — produit par <qui> — signature vérifiée ». */
export function bandeauTitre(view: ViewedSnapshot): string {
  return `Instantané de ${view.meta.scopeLabel} au ${formatDateTime(view.header.createdAt)} — produit par ${view.meta.producedBy} — signature vérifiée`;
}

export function Bandeau({ view }: { view: ViewedSnapshot }) {
  return (
    <div className="fr-notice fr-notice--info" data-testid="bandeau-instantane">
      <div className="fr-container">
        <div className="fr-notice__body atlas-visionneuse-bandeau">
          <div>
            <p className="fr-notice__title">{bandeauTitre(view)}</p>
            <p className="fr-text--sm fr-mb-0 fr-mt-1v">
              Consultation seule, sans compte : {formatInt(view.records)} enregistrements signés par {view.signedBy}
              {view.header.cursor !== null ? ` (état du serveur n° ${formatInt(view.header.cursor)})` : ''}. Rien n’est
              modifiable et rien n’est enregistré dans l’application de ce poste.
            </p>
          </div>
          <button
            type="button"
            className="fr-btn fr-btn--sm fr-btn--secondary fr-icon-close-line fr-btn--icon-left atlas-no-print"
            onClick={() => {
              navigate('/');
              void fermerInstantane();
            }}
          >
            Fermer l’instantané
          </button>
        </div>
      </div>
    </div>
  );
}
