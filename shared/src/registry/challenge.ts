// The registry auth handshake (distribution spec, "Token Authentication Specification"): a 401 carries
// `WWW-Authenticate: Bearer realm="…",service="…",scope="…"`; the client GETs the realm with those as query
// parameters (and basic credentials when it has them) and retries with the token it got back.

/** One challenge from a WWW-Authenticate header. Parameter names are lower case. */
export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/**
 * Parses a WWW-Authenticate value (RFC 7235), which may hold several challenges joined by commas:
 * `Bearer realm="https://auth.example/token",service="reg",scope="repository:a/b:pull", Basic realm="x"`.
 */
export function parseChallenges(header: string): Challenge[] {
  const out: Challenge[] = [];
  const re = /\s*([!#$%&'*+.^_`|~\w-]+)(?:\s*=\s*("(?:[^"\\]|\\.)*"|[^,\s]*))?\s*,?/gy;
  let current: Challenge | undefined;
  for (let m = re.exec(header); m && m[0] !== ''; m = re.exec(header)) {
    const [, name, value] = m;
    if (value === undefined) {
      // a name not followed by '=' starts the next challenge
      current = { scheme: name.toLowerCase(), params: {} };
      out.push(current);
    } else if (current) {
      current.params[name.toLowerCase()] = value.startsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value;
    }
  }
  return out;
}

/** The token endpoint's answer; `token` and `access_token` are synonyms in the spec. */
export interface TokenResponse {
  token?: string;
  access_token?: string;
  expires_in?: number;
  issued_at?: string;
}

/** The URL to GET a token from for a Bearer challenge, asking for `scope` when the challenge names none. */
export function tokenUrl(challenge: Challenge, scope: string | undefined, account?: string): string | undefined {
  const realm = challenge.params.realm;
  if (!realm || !URL.canParse(realm)) return undefined;
  const url = new URL(realm);
  if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
  // docker login sends the user name as `account`; some token services use it to pick the identity
  if (account) url.searchParams.set('account', account);
  // a challenge may list several scopes separated by spaces; each is its own query parameter
  for (const s of (challenge.params.scope ?? scope ?? '').split(' ').filter(Boolean))
    url.searchParams.append('scope', s);
  return url.toString();
}
