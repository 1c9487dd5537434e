import { bearerToken } from '../orgs/api-key';

/** An `Authorization` header longer than this is refused unread. */
const MAX_AUTHORIZATION_LENGTH = 400;

/**
 * The API key a TAXII client presents (TAXII 2.1 §1.6.9): `Bearer <key>`, or HTTP Basic (RFC 7617) with any
 * user name and the key as the password, as MISP's and OpenCTI's TAXII feeds send it. Null when absent or
 * malformed (a wrong key is found out by the key check, not here).
 */
export function taxiiCredential(header: string | undefined): string | null {
  if (!header || header.length > MAX_AUTHORIZATION_LENGTH) {
    return null;
  }
  const basic = /^Basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(header);
  if (!basic?.[1]) {
    return bearerToken(header);
  }
  const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) {
    return null;
  }
  const key = decoded.slice(colon + 1);
  return key.length > 0 && !/\s/.test(key) ? key : null;
}
