/** The TAXII 2.1 error message resource (TAXII 2.1 §3.6.1). */
export interface TaxiiErrorMessage {
  readonly title: string;
  readonly description?: string;
  readonly error_id?: string;
  readonly error_code?: string;
  /** The HTTP status, as a string (the specification's type). */
  readonly http_status: string;
  readonly details?: Readonly<Record<string, string>>;
}

/** A TAXII error message for a status; `code` is Tocsin's stable error code, `errorId` the request id. */
export function taxiiErrorMessage(
  status: number,
  title: string,
  description?: string,
  code?: string,
  errorId?: string,
  details?: Readonly<Record<string, string>>,
): TaxiiErrorMessage {
  return {
    title,
    ...(description === undefined ? {} : { description }),
    ...(errorId === undefined ? {} : { error_id: errorId }),
    ...(code === undefined ? {} : { error_code: code }),
    http_status: String(status),
    ...(details === undefined || Object.keys(details).length === 0 ? {} : { details }),
  };
}
