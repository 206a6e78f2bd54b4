import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../shared/src/errors.js';
import { checkTemplates, imageTags, parseImages, sourceTagOf } from '../../actions/version-tag/src/images.js';
import {
  lastRelease,
  nextVersion,
  parseInitialVersion,
  parsePrerelease,
  type NextVersionOptions,
} from '../../actions/version-tag/src/version.js';

describe('lastRelease', () => {
  it('picks the highest by SemVer precedence, not by text', () => {
    expect(lastRelease(['v1.9.0', 'v1.10.0', 'v1.2.0'], 'v')).toEqual({ tag: 'v1.10.0', version: '1.10.0' });
    expect(lastRelease(['v2.0.0', 'v10.0.0', 'v9.99.99'], 'v')?.version).toBe('10.0.0');
  });

  it('ignores pre-releases, floating, non-SemVer and other prefixes', () => {
    const tags = [
      'v1.2.0',
      'v1.3.0-rc.1',
      'v2',
      'v2.3',
      'v1.02.5',
      'v1.2.3.4',
      'release-9.0.0',
      'user-service/v5.0.0',
      '7.0.0',
      'v1.2.9+build.1',
      'vv3.0.0',
      'V4.0.0',
    ];
    expect(lastRelease(tags, 'v')).toEqual({ tag: 'v1.2.0', version: '1.2.0' });
  });

  it('supports per-service prefixes in a monorepo', () => {
    const tags = [
      'v9.0.0',
      'user-service/v1.4.0',
      'user-service/v1.10.1',
      'order-service/v3.0.0',
      'user-service/v2.0.0-rc.1',
    ];
    expect(lastRelease(tags, 'user-service/v')).toEqual({ tag: 'user-service/v1.10.1', version: '1.10.1' });
    expect(lastRelease(tags, 'order-service/v')?.version).toBe('3.0.0');
  });

  it('with an empty prefix reads bare versions only', () => {
    expect(lastRelease(['v3.0.0', '1.0.0', '1.1.0'], '')?.tag).toBe('1.1.0');
  });

  it('is undefined without a matching tag', () => {
    expect(lastRelease(['v1', 'latest', 'v1.0.0-beta.1'], 'v')).toBeUndefined();
  });
});

const next = (o: Partial<NextVersionOptions>) =>
  nextVersion({ level: 'none', preMajor: false, prefix: 'v', tags: [], ...o });

describe('nextVersion', () => {
  it.each([
    ['1.4.7', 'minor', '1.5.0'],
    ['1.4.7', 'patch', '1.4.8'],
    ['1.4.7', 'major', '2.0.0'],
    ['1.9.9', 'minor', '1.10.0'],
    ['0.3.1', 'major', '1.0.0'],
    ['0.3.1', 'minor', '0.4.0'],
    ['0.3.1', 'patch', '0.3.2'],
  ] as const)('%s + %s = %s', (previous, level, version) => {
    expect(next({ previous, level })).toEqual({ bump: level, version });
  });

  it('counts from 0.0.0 without a tag', () => {
    expect(next({ level: 'minor' }).version).toBe('0.1.0');
    expect(next({ level: 'patch' }).version).toBe('0.0.1');
    expect(next({ level: 'major' }).version).toBe('1.0.0');
  });

  it('counts from initial-version without a tag, and ignores it once there is one', () => {
    expect(next({ level: 'minor', initialVersion: '1.0.0' }).version).toBe('1.1.0');
    expect(next({ level: 'patch', initialVersion: '0.9.0' }).version).toBe('0.9.1');
    expect(next({ level: 'minor', initialVersion: '5.0.0', previous: '1.2.3' }).version).toBe('1.3.0');
  });

  it('pre-major shifts bumps down while on 0.x only', () => {
    expect(next({ previous: '0.3.1', level: 'major', preMajor: true })).toEqual({ bump: 'minor', version: '0.4.0' });
    expect(next({ previous: '0.3.1', level: 'minor', preMajor: true })).toEqual({ bump: 'patch', version: '0.3.2' });
    expect(next({ previous: '0.3.1', level: 'patch', preMajor: true })).toEqual({ bump: 'patch', version: '0.3.2' });
    expect(next({ level: 'major', preMajor: true }).version).toBe('0.1.0');
    expect(next({ previous: '1.3.1', level: 'major', preMajor: true })).toEqual({ bump: 'major', version: '2.0.0' });
  });

  it('nothing to release gives bump none and no version', () => {
    expect(next({ previous: '1.0.0', level: 'none' })).toEqual({ bump: 'none', version: '' });
  });

  it('numbers pre-releases over the existing tags of the same version', () => {
    expect(next({ previous: '1.2.4', level: 'minor', prerelease: 'rc' }).version).toBe('1.3.0-rc.1');
    const tags = [
      'v1.3.0-rc.1',
      'v1.3.0-rc.2',
      'v1.3.0-rc.10',
      'v1.3.0-beta.7',
      'v1.4.0-rc.5',
      'x/v1.3.0-rc.40',
      'v1.3.0-rc.x',
      'v1.3.0-rc.03',
    ];
    expect(next({ previous: '1.2.4', level: 'minor', prerelease: 'rc', tags }).version).toBe('1.3.0-rc.11');
    expect(next({ previous: '1.2.4', level: 'minor', prerelease: 'beta', tags }).version).toBe('1.3.0-beta.8');
    expect(next({ previous: '1.2.4', level: 'major', prerelease: 'rc', tags }).version).toBe('2.0.0-rc.1');
  });
});

describe('input validation', () => {
  it('initial-version must be X.Y.Z', () => {
    expect(parseInitialVersion('')).toBeUndefined();
    expect(parseInitialVersion(' 1.0.0 ')).toBe('1.0.0');
    for (const bad of ['1.0', 'one', '1.0.0-rc.1', '01.0.0'])
      expect(() => parseInitialVersion(bad)).toThrow(ConfigError);
    expect(() => parseInitialVersion('v1.0.0')).toThrow(
      "Input 'initial-version' is 'v1.0.0'. Expected a version X.Y.Z such as 0.1.0 or 1.0.0. Write it without the prefix: '1.0.0'.",
    );
  });

  it('prerelease must be one identifier', () => {
    expect(parsePrerelease('rc')).toBe('rc');
    expect(parsePrerelease('pre-alpha')).toBe('pre-alpha');
    for (const bad of ['rc.1', 'r c', 'rc_1', '12', 'ü'])
      expect(() => parsePrerelease(bad)).toThrow(/Input 'prerelease' is/);
  });

  it('images are names without tag or digest, once each', () => {
    expect(parseImages(['ghcr.io/acme/user-service', 'nginx']).map((r) => `${r.registry}/${r.repository}`)).toEqual([
      'ghcr.io/acme/user-service',
      'docker.io/library/nginx',
    ]);
    expect(() => parseImages(['ghcr.io/acme/user-service:1.0'])).toThrow(
      "Give the name only ('ghcr.io/acme/user-service')",
    );
    expect(() => parseImages(['127.0.0.1:5000/a', '127.0.0.1:5000/a'])).toThrow('twice');
    expect(() => parseImages(['Bad/Name'])).toThrow(ConfigError);
  });

  it('source-tag defaults to sha- and 7 hex digits of HEAD', () => {
    expect(sourceTagOf('', 'abcdef0123456789')).toBe('sha-abcdef0');
    expect(sourceTagOf('build-42', 'abcdef0')).toBe('build-42');
    expect(() => sourceTagOf('-bad', 'abcdef0')).toThrow("Input 'source-tag' is '-bad'");
  });

  it('image-tags allow only the known placeholders and valid tags', () => {
    expect(() => checkTemplates(['{version}', '{major}.{minor}', 'latest', 'v{major}'])).not.toThrow();
    expect(() => checkTemplates(['{verison}'])).toThrow("Input 'image-tags' has '{verison}' with '{verison}'");
    expect(() => checkTemplates(['release/{version}'])).toThrow('not a valid image tag');
  });
});

describe('imageTags', () => {
  const defaults = ['{version}', '{major}.{minor}', '{major}', 'latest'];
  it('renders every template for a release', () => {
    expect(imageTags(defaults, '1.5.0')).toEqual(['1.5.0', '1.5', '1', 'latest']);
    expect(imageTags(['v{version}', '{major}.{minor}.{patch}', '{version}'], '2.0.3')).toEqual(['v2.0.3', '2.0.3']);
  });

  it('gives a pre-release only its own version tags: never latest or a floating tag', () => {
    expect(imageTags(defaults, '1.3.0-rc.2')).toEqual(['1.3.0-rc.2']);
    expect(imageTags([...defaults, 'v{version}', 'edge'], '2.0.0-beta.1')).toEqual(['2.0.0-beta.1', 'v2.0.0-beta.1']);
  });
});
