// Credentials a URL given as input may carry. Steps mask them (platform.setSecret) before the URL reaches a log line,
// a summary or an error message.

const SECRET_PARAM = /token|key|secret|passw|auth|signature/i;

/** Credentials in a URL: a password, or query values such as `?token=…` (raw and percent-encoded). */
export function urlSecrets(url: string): string[] {
  if (!URL.canParse(url)) return []; // consul:<name> carries none
  const u = new URL(url);
  const found = u.password ? [decodeURIComponent(u.password)] : [];
  for (const [name, value] of u.searchParams) if (SECRET_PARAM.test(name) && value) found.push(value, encodeURIComponent(value));
  return found;
}
