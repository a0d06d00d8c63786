// An HTTP error the server answers on purpose: a status, a code of the API contract and a French message
// (app.ts's error handler turns it into the `apiError` body).
import type { ApiErrorCode } from '../src-shared/api/error';

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
  }
}
