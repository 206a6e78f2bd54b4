import { describe, expect, it } from 'vitest';
import { redactUrl, safeDecode, urlSecrets, urlsIn } from '../../shared/src/http/url-secrets.js';
import { Redactor } from '../../shared/src/platform/platform.js';

/** What a log line shows after every secret of `url` is masked. */
function masked(url: string, text: string): string {
  const r = new Redactor();
  for (const s of urlSecrets(url)) r.add(s);
  return r.redact(text);
}

describe('urlSecrets: every spelling of a URL credential', () => {
  it('a password, percent-encoded and decoded', () => {
    const s = urlSecrets('https://bob:p%40ss%2Fw0rd@host/x');
    expect(s).toEqual(expect.arrayContaining(['p%40ss%2Fw0rd', 'p@ss/w0rd']));
    expect(s).not.toContain('bob');
    expect(masked('https://bob:p%40ss%2Fw0rd@host/x', 'p@ss/w0rd and p%40ss%2Fw0rd')).toBe('*** and ***');
  });

  it('a token standing alone as the user name, or a long user name next to a password', () => {
    expect(urlSecrets('https://ghp_0123456789abcdef@github.example/x.yaml')).toContain('ghp_0123456789abcdef');
    expect(urlSecrets('https://ghp_0123456789abcdef:x-oauth-basic@host/')).toEqual(
      expect.arrayContaining(['ghp_0123456789abcdef', 'x-oauth-basic']),
    );
    expect(urlSecrets('ssh://git@host/repo.git')).toEqual([]);
  });

  it('?token=a+b: as written, with + as a space, and percent-decoded', () => {
    const s = urlSecrets('https://h/spec.yaml?x=1&token=ab+cd%2Bef&API_KEY=k%20ey1');
    expect(s).toEqual(expect.arrayContaining(['ab+cd%2Bef', 'ab cd+ef', 'ab+cd+ef', 'k%20ey1', 'k ey1']));
    expect(s).not.toContain('1');
    const line = 'fetched ab+cd%2Bef / ab cd+ef / ab+cd+ef / k ey1';
    expect(masked('https://h/spec.yaml?x=1&token=ab+cd%2Bef&API_KEY=k%20ey1', line)).toBe(
      'fetched *** / *** / *** / ***',
    );
  });

  it('an undecodable password such as Bad%zz is taken literally, never thrown', () => {
    expect(() => urlSecrets('https://u:Bad%zz@host/')).not.toThrow();
    expect(urlSecrets('https://u:Bad%zz@host/')).toContain('Bad%zz');
    expect(safeDecode('Bad%zz%41')).toBe('Bad%zzA');
  });

  it('text that is not a valid URL still gives up its credentials', () => {
    expect(urlSecrets('http://u:hunter22@exa mple/ x')).toContain('hunter22');
    expect(urlSecrets('consul:api')).toEqual([]);
    expect(urlSecrets('tcp://h:1')).toEqual([]);
  });
});

describe('redactUrl: the URL as it may be stored or posted', () => {
  it('drops user info and replaces credential query values', () => {
    expect(redactUrl('https://bob:p%40ss@h:8443/a/spec.yaml?v=2&token=ab+cd&sig=zz#frag')).toBe(
      'https://h:8443/a/spec.yaml?v=2&token=***&sig=***#frag',
    );
    expect(redactUrl('https://TOKEN123@h/x')).toBe('https://h/x');
    expect(redactUrl('openapi.yaml')).toBe('openapi.yaml');
    expect(redactUrl('git:origin/main:openapi.yaml')).toBe('git:origin/main:openapi.yaml');
  });
});

describe('urlsIn', () => {
  it('finds every URL in a multi-line input', () => {
    expect(urlsIn('a: https://u:p@h/x\n- "http://h2/?token=t"')).toEqual(['https://u:p@h/x', 'http://h2/?token=t']);
  });
});
