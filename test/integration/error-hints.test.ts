// Raw system errors (ECONNREFUSED, ENOENT) reach the user with a hint naming the input and what to check, for the
// routers, Prometheus, the registry and the forge API: each run as the CLI runs the step, against a port nobody
// listens on or a path that does not exist.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closedPort } from '../../shared/src/http/testing/servers.js';
import { runSwitch } from '../helpers/switch.js';
import { TempRepo, withOrigin } from '../../shared/src/git/testing/temp-repo.js';
import { versionTagIn } from '../helpers/version-tag.js';

const repos: TempRepo[] = [];
afterAll(() => repos.forEach((r) => r.remove()));

const haproxy = (socket: string) => ({
  provider: 'haproxy',
  'haproxy-socket': socket,
  'haproxy-backend': 'web',
  target: 'green',
  steps: '100',
});

describe('hints on raw system errors', () => {
  it('a HAProxy socket path that does not exist: ENOENT names the input and the stats socket line', async () => {
    const socket = join(mkdtempSync(join(tmpdir(), 'shipgate-hint-')), 'admin.sock');
    const r = await runSwitch(haproxy(socket));
    expect(r.code, r.log).toBe(3);
    expect(r.log).toContain(
      `failed on 'show servers state web': ENOENT. No socket exists at input 'haproxy-socket' ('${socket}'): check the path, and that HAProxy runs with a 'stats socket' line naming it`,
    );
  });

  it('a HAProxy TCP runtime API nobody listens on: ECONNREFUSED names the input and the port', async () => {
    const socket = `127.0.0.1:${await closedPort()}`;
    const r = await runSwitch(haproxy(socket));
    expect(r.code, r.log).toBe(3);
    expect(r.log).toContain(
      `ECONNREFUSED. Nothing accepts connections at input 'haproxy-socket' ('${socket}'): check the address and port`,
    );
  });

  it('a Prometheus nobody listens on', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const r = await runSwitch({
      ...haproxy('/nonexistent.sock'),
      'prometheus-url': url,
      'analysis-query': 'up',
      'analysis-max': '1',
    });
    expect(r.code, r.log).toBe(3);
    expect(r.log).toContain(`Nothing accepts connections at input 'prometheus-url' ('${url}')`);
  });

  it('a registry nobody listens on, and a GitHub API nobody listens on', async () => {
    const { work } = withOrigin();
    repos.push(work);
    work.commit('feat: a');
    const registry = `127.0.0.1:${await closedPort()}`;
    const image = await versionTagIn(work.dir, { push: 'true', images: `${registry}/acme/web` });
    expect(image.code, image.log).toBe(3);
    expect(image.log).toContain(
      `Nothing accepts connections at the registry host of the image name (input 'images' or 'image-name') ('${registry}')`,
    );

    const api = `http://127.0.0.1:${await closedPort()}`;
    const release = await versionTagIn(
      work.dir,
      { release: 'true' },
      { GITHUB_REPOSITORY: 'acme/shop', GITHUB_API_URL: api, GITHUB_TOKEN: 'gh-x' },
    );
    expect(release.code, release.log).toBe(3);
    expect(release.log).toContain(`Nothing accepts connections at GITHUB_API_URL ('${api}')`);
  });
});
