// Refusal to log out while changes wait in the outbox: its own module so the error messages of the
// login screen's bundle can know it without loading the offline store.

/** Logging out would drop changes never sent to the server. */
export class PendingChangesError extends Error {
  readonly code = 'PENDING_CHANGES';
  constructor(readonly pending: number) {
    super(
      pending === 1
        ? '1 modification n’a pas encore été envoyée au serveur. Synchronisez avant de vous déconnecter, ou confirmez que vous voulez l’abandonner.'
        : `${pending} modifications n’ont pas encore été envoyées au serveur. Synchronisez avant de vous déconnecter, ou confirmez que vous voulez les abandonner.`,
    );
    this.name = 'PendingChangesError';
  }
}
