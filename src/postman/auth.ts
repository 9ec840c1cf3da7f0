/**
 * Auth as postman-runtime applies it (lib/authorizer/*.js), for the types a fast engine can send
 * without a handshake: what headers and query parameters the auth adds, and which of the
 * request's own it replaces. Types that need a handshake, a signature over the request or a
 * clock (digest, hawk, awsv4, ntlm, oauth1, jwt, asap, edgegrid, akamai) are only named.
 */

/** An auth's parameters, variables already resolved. */
export type AuthParameters = Record<string, unknown>;

/** What applying an auth does to a request. */
export interface AppliedAuth {
  /** Headers to add; a request header of the same name (any case) is dropped for it. */
  headers: [string, string][];
  /** Query parameters to add; one of the same name is dropped for it. */
  query: [string, string][];
  /** Set when the type cannot be applied here: its name. */
  unsupported?: string;
}

/** The auth types applyAuth knows; any other is `unsupported`. */
export const SUPPORTED_AUTH_TYPES: readonly string[] = ['noauth', 'bearer', 'basic', 'apikey', 'oauth2'];

const NONE: AppliedAuth = { headers: [], query: [] };

/** The auth `type` with `parameters` (as the SDK's `RequestAuth.parameters().toObject()` gives them). */
export function applyAuth(type: string | undefined, parameters: AuthParameters): AppliedAuth {
  const text = (key: string) => {
    const value = parameters[key];
    return value === undefined || value === null ? '' : String(value);
  };
  switch (type ?? 'noauth') {
    case 'noauth':
    case 'inherit':
      return NONE;
    case 'bearer':
      // postman-runtime sends nothing when the token is empty.
      return text('token') ? { headers: [['Authorization', `Bearer ${text('token')}`]], query: [] } : NONE;
    case 'basic': {
      const credentials = Buffer.from(`${text('username')}:${text('password')}`, 'utf8').toString('base64');
      return { headers: [['Authorization', `Basic ${credentials}`]], query: [] };
    }
    case 'apikey': {
      const key = text('key');
      const value = text('value');
      if (!key && !value) return NONE;
      return text('in') === 'query' ? { headers: [], query: [[key, value]] } : { headers: [[key, value]], query: [] };
    }
    case 'oauth2': {
      const token = text('accessToken');
      if (!token || text('tokenType').toLowerCase() === 'mac') return NONE;
      if (text('addTokenTo') === 'queryParams') return { headers: [], query: [['access_token', token]] };
      const prefix = parameters.headerPrefix === undefined || parameters.headerPrefix === null ? 'Bearer' : text('headerPrefix').trim();
      return { headers: [['Authorization', prefix ? `${prefix} ${token}` : token]], query: [] };
    }
    default:
      return { ...NONE, unsupported: String(type) };
  }
}
