// TLS and credentials for the Kubernetes contract server: a self-signed certificate for 127.0.0.1 (client-go never
// sends a bearer token over plain http) and kubeconfig files pointing at the server.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { program } from '../../testing/daemons.js';

/**
 * A kubeconfig with token auth, as `kubectl config` would write it. The server is HTTPS with its own CA because
 * client-go (kubectl) never sends a bearer token over plain http.
 */
export function kubeconfigYaml(url: string, ca: string, token: string, namespace = 'default'): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      { name: 'contract', cluster: { server: url, 'certificate-authority-data': Buffer.from(ca).toString('base64') } },
    ],
    users: [{ name: 'ci', user: { token } }],
    contexts: [{ name: 'contract', context: { cluster: 'contract', user: 'ci', namespace } }],
    'current-context': 'contract',
  });
}

let cached: Promise<{ key: string; cert: string }> | undefined;

/** A self-signed certificate for 127.0.0.1 made with openssl, once per test process. */
export function certificate(): Promise<{ key: string; cert: string }> {
  cached ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipgate-kube-tls-'));
    try {
      await promisify(execFile)(await program('openssl'), [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=kube-contract-server',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ]);
      return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  })();
  return cached;
}
