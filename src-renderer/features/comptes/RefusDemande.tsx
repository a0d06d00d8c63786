// Refusing an account request: the reason is required — it is mailed to the request's author and kept with
// the refused request on the server — asked in a DSFR modal (MotifDialog.tsx) before the refusal.
import { REFUSE_REASON_MAX, refuseAccountRequest } from '../../../src-shared/api/accounts';
import { refuseAccount } from './api';
import { MotifDialog } from './MotifDialog';

/** What the dialog says of the request (a pending request, or a row of the account list). */
export interface RequestToRefuse {
  id: string;
  nom: string;
  email: string;
  fonction: string;
  collectiviteNom: string | null;
}

export function RefusDemande<R extends RequestToRefuse>(props: {
  request: R | null;
  /** Refused: the server's sentence (names the request, says its author was told). */
  onRefused(request: R, message: string): void;
  onCancel(): void;
  /** Ids of the dialog (two on one screen need two). */
  id?: string;
}) {
  const { request } = props;
  return (
    <MotifDialog
      id={props.id ?? 'refuser-demande'}
      subject={request}
      title={request ? `Refuser la demande de ${request.nom} ?` : ''}
      text={
        request && (
          <>
            {request.nom} ({request.email}), {request.fonction}
            {request.collectiviteNom ? `, pour ${request.collectiviteNom}` : ''}, ne pourra pas se connecter avec cette
            demande. Son auteur recevra le motif par courriel et pourra faire une nouvelle demande.
          </>
        )
      }
      label="Motif du refus"
      hint="Envoyé par courriel à l’auteur de la demande et conservé avec elle."
      max={REFUSE_REASON_MAX}
      schema={refuseAccountRequest}
      submit="Refuser la demande"
      busy="Refus en cours…"
      failure="Le refus n’a pas abouti : la demande est toujours en attente."
      act={(reason) => refuseAccount(request!.id, reason)}
      onDone={(message) => props.onRefused(request!, message)}
      onCancel={props.onCancel}
    />
  );
}
