/**
 * Compiles a path glob: `**` any number of segments, `*` within one segment, `?` one character, `{a,b}` alternatives.
 * A pattern ending in `/` or naming a folder matches everything below it.
 */
export function globToRegExp(pattern: string): RegExp {
  let p = pattern.trim().replace(/^\.\//, '');
  if (p.endsWith('/')) p += '**';
  let re = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '*') {
      if (p[i + 1] === '*') {
        const slashAfter = p[i + 2] === '/';
        re += slashAfter ? '(?:.*/)?' : '.*';
        i += slashAfter ? 2 : 1;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '{') {
      const end = p.indexOf('}', i);
      if (end === -1) re += '\\{';
      else {
        re += `(?:${p
          .slice(i + 1, end)
          .split(',')
          .map((alt) => alt.replace(/[.+^$()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*'))
          .join('|')})`;
        i = end;
      }
    } else re += c.replace(/[.+^$()|[\]\\}]/g, '\\$&');
  }
  // A plain folder name also covers what is inside it.
  return new RegExp(`^${re}(?:/.*)?$`);
}

/** Whether a repository-relative file path matches any of the globs. */
export function matchesAny(file: string, globs: RegExp[]): boolean {
  const f = file.trim().replace(/^\.\//, '');
  return globs.some((g) => g.test(f));
}
