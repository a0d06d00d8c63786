// Errors of the write path whose messages are French and meant for people. Their own module so that
// ui/errors.ts (used by the login screen) does not bring the whole repository into the login chunk.
import type { FieldError } from '../../src-shared/domain/messages';

export class ValidationError extends Error {
  readonly code = 'VALIDATION';
  constructor(readonly errors: FieldError[]) {
    super(
      errors.length === 1
        ? errors[0]!.message
        : `${errors.length} problèmes : ${errors.map((e) => e.message).join(' ')}`,
    );
    this.name = 'ValidationError';
  }
}

export class NotFoundError extends Error {
  readonly code = 'NOT_FOUND';
  /** `label`: the entity's French name (registry), passed in so this module stays out of the login bundle. */
  constructor(label: string) {
    super(`Cet enregistrement (${label}) n’existe pas ou a été supprimé.`);
    this.name = 'NotFoundError';
  }
}
