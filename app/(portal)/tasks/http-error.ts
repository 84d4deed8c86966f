/** A failed fetch of the tasks API, with its HTTP status for the message the page shows. */
export class HttpError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
    this.name = 'HttpError';
  }
}
