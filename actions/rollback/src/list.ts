// `list: true`: what a rollback could go to, read from where the rollback itself would read it, and nothing changed.
import { code, table, type Summary } from '../../../shared/src/report/markdown.js';
import type { Platform } from '../../../shared/src/platform/index.js';
import { columns } from '../../../shared/src/text.js';
import type { RollbackProvider } from './provider.js';

/** Prints the candidates as aligned columns (`*` marks what runs now, `<` the default target) and adds them to the summary. */
export async function listCandidates(platform: Platform, summary: Summary, provider: RollbackProvider): Promise<void> {
  const c = await provider.candidates();
  const mark = (r: { current?: boolean; target?: boolean }) => (r.current ? '*' : r.target ? '<' : '');
  platform.info(`Rollback targets of ${provider.label}, from ${c.source} (* runs now, < the default target):`);
  const lines = columns([['', ...c.header], ...c.rows.map((r) => [mark(r), ...r.cells])]);
  for (const line of lines) platform.info(line);
  if (!c.rows.length) platform.info('(none)');
  summary.add(`**Rollback targets** of ${code(provider.label)}, from ${c.source}`);
  const rows = c.rows.map((r) => [r.current ? 'runs now' : r.target ? 'default target' : '', ...r.cells]);
  summary.add(rows.length ? table(['', ...c.header], rows) : '_None._');
}
