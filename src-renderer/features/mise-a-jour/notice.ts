// What the update notice says for each state the main process announces (pure, unit-tested).
import type { UpdateState } from '../../core/platform';

export interface UpdateNoticeContent {
  /** DSFR alert type: information only; an update failure is no reason to alarm users. */
  severity: 'info' | 'success';
  title: string;
  text: string;
  /** Download progress in percent, shown as a progress bar outside the live region (no chatter). */
  percent?: number;
  /** The "install now" button is offered. */
  canInstall: boolean;
  /** The user may hide it until the next state change. */
  dismissible: boolean;
}

const pct = (n: number) => Math.max(0, Math.min(100, Math.round(n)));

/** Null: nothing to show (no update, or the check is running silently). */
export function updateNotice(s: UpdateState): UpdateNoticeContent | null {
  switch (s.state) {
    case 'idle':
    case 'checking':
      return null;
    case 'available':
      return {
        severity: 'info',
        title: 'Nouvelle version disponible',
        text: `La version ${s.version} de l’application est disponible. Elle se télécharge en arrière-plan ; vous pouvez continuer à travailler.`,
        canInstall: false,
        dismissible: true,
      };
    case 'downloading':
      return {
        severity: 'info',
        title: 'Téléchargement de la nouvelle version',
        text: `La version ${s.version} se télécharge. Vous pouvez continuer à travailler.`,
        percent: pct(s.percent),
        canInstall: false,
        dismissible: true,
      };
    case 'ready':
      return {
        severity: 'success',
        title: 'Nouvelle version prête',
        text: `Une nouvelle version (${s.version}) est prête. Elle s’installera à la fermeture de l’application.`,
        canInstall: true,
        dismissible: true,
      };
    case 'error':
      return {
        severity: 'info',
        title: 'Mise à jour reportée',
        text: 'La recherche de nouvelle version n’a pas abouti (connexion absente ou interrompue). L’application fonctionne normalement ; une nouvelle tentative aura lieu plus tard.',
        canInstall: false,
        dismissible: true,
      };
  }
}

/** Message when "install now" cannot go ahead; null when it may. */
export function installBlockedMessage(hasUnsavedEdits: boolean): string | null {
  return hasUnsavedEdits
    ? 'Une saisie est en cours : enregistrez ou annulez le formulaire ouvert, puis relancez l’installation. Rien n’est perdu : la mise à jour attendra.'
    : null;
}

/** French message for a refused or failed "install now" (the host's error code, when there is one). */
export function installErrorMessage(code: string | undefined): string {
  if (code === 'EDITS_UNSAVED') {
    return 'L’installation attend la fin de votre saisie : enregistrez ou annulez le formulaire ouvert, puis réessayez. Rien n’est perdu.';
  }
  return 'L’installation n’a pas pu démarrer. La nouvelle version s’installera à la prochaine fermeture de l’application.';
}
