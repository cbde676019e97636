/**
 * Why an item was not ingested, with the HTTP status the route answers: malformed input 400 (with
 * line and column, or a JSON path), too large 413, an unknown format 415, an item that breaks its
 * format's rules or has nothing to ingest 422, an older version than the one held 409. The watched
 * folder writes the same into the `.error.json` beside the file.
 */
export type IngestErrorName = 'MalformedInput' | 'PayloadTooLarge' | 'UnsupportedFormat' | 'InvalidItem' | 'VersionConflict';

export interface IngestErrorDetail {
  /** a JSON path (`/headlines/0/value`) or an element path (`newsItem/contentMeta/headline`) */
  path?: string;
  line?: number;
  column?: number;
  message: string;
}

const STATUS: Record<IngestErrorName, number> = {
  MalformedInput: 400,
  PayloadTooLarge: 413,
  UnsupportedFormat: 415,
  InvalidItem: 422,
  VersionConflict: 409,
};

export class IngestError extends Error {
  readonly status: number;

  constructor(
    readonly code: IngestErrorName,
    message: string,
    readonly details: IngestErrorDetail[] = [],
  ) {
    super(message);
    this.name = code;
    this.status = STATUS[code];
  }
}

export const malformed = (message: string, at: { line?: number; column?: number; path?: string } = {}) =>
  new IngestError('MalformedInput', message, [{ ...at, message }]);

export const invalidItem = (message: string, details: IngestErrorDetail[] = [{ message }]) => new IngestError('InvalidItem', message, details);
