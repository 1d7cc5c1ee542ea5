/** A guest structure could not be read or failed its checks; the message says what to do. */
export class InspectError extends Error {
  override name = 'InspectError';
}
