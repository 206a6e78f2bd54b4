import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../shared/src/clock.js';
import { ExternalError } from '../../shared/src/errors.js';
import { LocalPlatform } from '../../shared/src/platform/index.js';
import {
  NginxBackend,
  type NginxSettings,
  parseUpstream,
  renderUpstream,
} from '../../shared/src/traffic/nginx/nginx.js';

const BLUE = '10.0.0.1:8080';
const GREEN = '10.0.0.2:8080';

function backend(file: string, reload: string[]): NginxBackend {
  const settings: NginxSettings = {
    colors: ['blue', 'green'],
    file,
    upstream: 'web',
    addresses: { blue: BLUE, green: GREEN },
    reload,
  };
  return new NginxBackend(settings, {
    platform: new LocalPlatform({ env: {}, stderr: () => {} }),
    clock: new FakeClock(),
  });
}

function upstreamFile(text: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-nginx-unit-'));
  const file = join(dir, 'upstream.conf');
  writeFileSync(file, text);
  return { dir, file };
}

const initial = `# hand-written\nupstream other { server 10.9.9.9:1; }\nupstream web {\n  keepalive 8; # pool\n  server ${BLUE} weight=3 max_fails=2;\n  server ${GREEN} down;\n}\n`;

describe('NGINX upstream file', () => {
  it('parses the named block: servers, weights, down, and the other directives', () => {
    expect(parseUpstream(initial, 'web')).toEqual({
      servers: [
        { address: BLUE, weight: 3, down: false },
        { address: GREEN, weight: 1, down: true },
      ],
      others: ['keepalive 8;'],
    });
    expect(parseUpstream(initial, 'we')).toBeUndefined();
  });

  it('renders weights, the colour at 0 % as down, and reads its own output back', () => {
    const text = renderUpstream(
      'web',
      [
        ['blue', BLUE],
        ['green', GREEN],
      ],
      { blue: 0, green: 100 },
      ['keepalive 8;'],
    );
    expect(text).toContain(`server ${BLUE} down;  # blue`);
    expect(text).toContain(`server ${GREEN} weight=100;  # green`);
    expect(parseUpstream(text, 'web')?.servers).toEqual([
      { address: BLUE, weight: 1, down: true },
      { address: GREEN, weight: 100, down: false },
    ]);
  });

  it('reads the active colour from the file as percentages', async () => {
    const { file } = upstreamFile(initial);
    expect(await backend(file, ['true']).active()).toMatchObject({ active: 'blue', weights: { blue: 100, green: 0 } });
    writeFileSync(file, `upstream web { server ${BLUE} weight=1; server ${GREEN} weight=3; }`);
    expect(await backend(file, ['true']).active()).toMatchObject({ active: 'green', weights: { blue: 25, green: 75 } });
  });

  it('replaces the file before running the reload command, without a shell, and leaves no temp file', async () => {
    const { dir, file } = upstreamFile(initial);
    const seen = join(dir, 'seen-by-reload.conf');
    // `cp` as the reload command copies what NGINX would read at that moment.
    const b = backend(file, ['cp', file, seen]);
    await b.apply({ blue: 90, green: 10 });
    expect(readFileSync(seen, 'utf8')).toBe(readFileSync(file, 'utf8'));
    expect(readFileSync(file, 'utf8')).toContain(`server ${GREEN} weight=10;`);
    expect(await b.verify({ blue: 90, green: 10 })).toMatchObject({ weights: { blue: 90, green: 10 } });
    await expect(b.verify({ blue: 0, green: 100 })).rejects.toThrow(
      /routes blue 90 % · green 10 % after the change, not blue 0 % · green 100 %/,
    );
    expect(readdirSync(dir).sort()).toEqual(['seen-by-reload.conf', 'upstream.conf']);
  });

  it('restores the previous file byte for byte when the reload fails, and says what happened', async () => {
    const { file } = upstreamFile(initial);
    const err = await backend(file, ['false'])
      .apply({ blue: 0, green: 100 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExternalError);
    expect((err as Error).message).toBe(
      `Input 'nginx-reload-command' ('false') failed: exit code 1. Restored the previous ${file} but reloading again failed too: exit code 1.`,
    );
    expect(readFileSync(file, 'utf8')).toBe(initial);
  });

  it('plans a line diff and the reload, and nothing when the file would not change', async () => {
    const { file } = upstreamFile(initial);
    const b = backend(file, ['nginx', '-s', 'reload']);
    const plan = await b.plan({ blue: 50, green: 50 });
    expect(plan).toContain(`+     server ${GREEN} weight=50;  # green`);
    expect(plan).toContain(`-   server ${GREEN} down;`);
    expect(plan.at(-1)).toBe('run: nginx -s reload');
    await backend(file, ['true']).apply({ blue: 50, green: 50 });
    expect(await b.plan({ blue: 50, green: 50 })).toEqual([`${file}: unchanged, no reload`]);
  });
});
