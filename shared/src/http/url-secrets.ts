// Credentials a URL given as input may carry, and the URL with them taken out. The one place that knows what in a URL
// is secret: steps mask urlSecrets() (platform.setSecret) before the URL reaches a log line, a summary or an error
// message, and store or post only redactUrl() in reports, result files and comments.

/** Query parameters whose values are credentials (`?token=`, `?api_key=`, `?X-Amz-Signature=`, `?sig=` …). */
const SECRET_PARAM = /token|key|secret|passw|auth|signature|^sig$|credential|session/i;

/** A user name this long is taken for a token (`https://ghp_…:x-oauth-basic@host`), not a person's name. */
const TOKEN_LENGTH = 12;

/** Conventional logins that carry no secret (`ssh://git@host/…`): masking them would blank the word out of every line. */
const LOGINS = /^(git|ssh|anonymous|ftp)$/i;

/** What stands in for a removed credential. */
export const MASK = '***';

/** `%zz` is not an escape: text that does not decode is taken literally rather than failing the step. */
export function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  }
}

/** `scheme://userinfo@` with the userinfo as written; undefined when the URL has none. */
function rawUserinfo(url: string): string | undefined {
  return /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)@/.exec(url)?.[1];
}

/** The query's `name=value` pairs as written (before any decoding). */
function rawQuery(url: string): [string, string][] {
  const q = /\?([^#]*)/.exec(url)?.[1];
  if (!q) return [];
  return q.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    return eq < 0 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)];
  });
}

/** Every spelling a value may be printed in: as written, percent-decoded, form-decoded (`+` is a space), re-encoded. */
function spellings(raw: string, form: boolean): string[] {
  const out = [raw, safeDecode(raw)];
  if (form) out.push(safeDecode(raw.replace(/\+/g, ' ')));
  out.push(encodeURIComponent(safeDecode(raw)));
  return [...new Set(out.filter(Boolean))];
}

/**
 * Credentials in a URL, in every spelling a log line might show them: the password (or the user name when it stands
 * alone, as a token does in `https://TOKEN@host`), and the values of query parameters named like credentials.
 * Works on text that is not a valid URL too (a malformed URL is still named in the error that rejects it).
 */
export function urlSecrets(url: string): string[] {
  const found: string[] = [];
  const userinfo = rawUserinfo(url);
  if (userinfo !== undefined) {
    const colon = userinfo.indexOf(':');
    const user = colon < 0 ? userinfo : userinfo.slice(0, colon);
    const password = colon < 0 ? '' : userinfo.slice(colon + 1);
    if (password) found.push(...spellings(password, false));
    // A user name alone is the credential (`https://TOKEN@host`); next to a password, a long one is a token too.
    if (user && !LOGINS.test(user) && (!password || user.length >= TOKEN_LENGTH)) found.push(...spellings(user, false));
  }
  for (const [name, value] of rawQuery(url)) {
    if (value && SECRET_PARAM.test(safeDecode(name))) found.push(...spellings(value, true));
  }
  return [...new Set(found)];
}

/**
 * The URL as it may be stored or posted: no user name or password, credential query values replaced by `***`.
 * Text that is not a URL is returned with anything that looks like `//user:password@` removed all the same.
 */
export function redactUrl(url: string): string {
  let out = url.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^/?#]*@/, '$1');
  const q = /\?([^#]*)/.exec(out);
  if (q) {
    const query = q[1]
      .split('&')
      .map((pair) => {
        const eq = pair.indexOf('=');
        return eq > 0 && SECRET_PARAM.test(safeDecode(pair.slice(0, eq))) && eq < pair.length - 1
          ? `${pair.slice(0, eq)}=${MASK}`
          : pair;
      })
      .join('&');
    out = out.slice(0, q.index) + '?' + query + out.slice(q.index + q[0].length);
  }
  return out;
}

/**
 * A URL for node:http without its user info, which goes as `auth` instead: Node decodes user info itself and throws
 * on an undecodable escape (`Bad%zz`); decoded here, such an escape is sent literally.
 */
export function requestTarget(u: URL): { url: URL; auth?: string } {
  if (!u.username && !u.password) return { url: u };
  const url = new URL(u);
  url.username = '';
  url.password = '';
  return { url, auth: `${safeDecode(u.username)}:${safeDecode(u.password)}` };
}

/** Every URL written in free text (an input value, a list, a YAML block), for masking what they carry. */
export function urlsIn(text: string): string[] {
  return text.match(/[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s'"<>`]+/g) ?? [];
}
