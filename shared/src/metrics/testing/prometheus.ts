// A real Prometheus (Debian package) on loopback: a temp config scraping the given targets every second, its TSDB in
// a temp dir. Ready once every target has been scraped at least once (the first samples take a few seconds).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, program, startDaemon, waitFor, type Daemon } from '../../testing/daemons.js';

export interface Prometheus extends Daemon {
  url: string;
  dir: string;
  /** Runs an instant query and returns the API's `data.result`. */
  query(promql: string): Promise<unknown[]>;
}

/** `targets` are host:port of servers exposing `/metrics`. */
export async function startPrometheus(targets: string[]): Promise<Prometheus> {
  const bin = await program('prometheus');
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-prometheus-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const conf = join(dir, 'prometheus.yml');
  writeFileSync(
    conf,
    `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n  - job_name: colours\n    static_configs:\n      - targets: [${targets.map((t) => `'${t}'`).join(', ')}]\n`,
  );
  const ready = async () => {
    const res = await fetch(`${url}/-/ready`).catch(() => undefined);
    return res?.status === 200;
  };
  const daemon = await startDaemon(
    bin,
    [
      `--config.file=${conf}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { ready, cwd: dir, timeoutMs: 30_000 },
  );
  const query = async (promql: string) => {
    const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await res.json()) as { data?: { result?: unknown[] } };
    return body.data?.result ?? [];
  };
  try {
    await waitFor(
      'the first scrape of every target',
      async () => (await query('up == 1')).length === targets.length,
      30_000,
      250,
    );
  } catch (err) {
    await daemon.stop();
    throw err;
  }
  return { ...daemon, url, dir, query };
}
