import { ConfigError, type Problem } from '../../../shared/src/errors.js';
import { defineStep } from '../../../shared/src/step.js';
import { columns, plural } from '../../../shared/src/text.js';
import { postComment, jobLink } from './comment.js';
import { diffDocuments, RULES } from './diff/index.js';
import { applyExceptions } from './exceptions.js';
import { loadDocument, type LoadedDocument, type LoadOptions } from './load/index.js';
import { locateFindings } from './locations.js';
import { outcomeOf, type FailOn } from './outcome.js';
import { writeReports } from './reports.js';
import { schema } from './schema.js';
import { renderComment, renderFindings, SUMMARY_LIMITS, type SummaryData } from './summary.js';

/** The rule catalog for `--list-rules`: aligned columns for people, or JSON. */
function renderRules(json: boolean): string {
  if (json)
    return (
      JSON.stringify(
        RULES.map((r) => ({ id: r.id, level: r.severity, description: r.title })),
        null,
        2,
      ) + '\n'
    );
  return (
    columns([['RULE', 'LEVEL', 'DESCRIPTION'], ...RULES.map((r) => [r.id, r.severity, r.title])]).join('\n') +
    `\n\n${RULES.length} rules. Findings at level error are breaking; 'fail-on: warning' also fails on warnings.\n`
  );
}

/** Findings annotated on the file (GitHub shows at most 10 per type and step; more is noise). */
const ANNOTATIONS = 20;

export const apiCompat = defineStep({
  schema,
  listings: { 'list-rules': renderRules },
  /** The exceptions file and both documents, loaded and checked before the first side effect. */
  async loadConfig({ inputs, platform }) {
    // Relative paths are the job's working directory, as for every file input of every step.
    const cwd = platform.cwd;
    // A document URL's credentials (?token=…, user:password@) were masked by run() before the inputs were parsed.

    // Everything the user gave is checked before the first side effect (a report written, a comment posted).
    const exceptionsInput = inputs.exceptions.trim();
    // Loaded on demand: it brings the position-keeping YAML parser, which a run without exceptions never needs.
    const ex = exceptionsInput
      ? (await import('./exceptions-file.js')).loadExceptions(
          exceptionsInput,
          cwd,
          RULES.map((r) => r.id),
        )
      : undefined;
    for (const w of ex?.warnings ?? []) platform.warning(w.message, w);
    const [base, head] = await loadBoth(inputs.base, inputs.head, {
      cwd,
      allowExternalRefs: inputs['allow-external-refs'] ?? false,
    });
    return { exceptionsInput, ex, base, head };
  },
  async run(ctx, { exceptionsInput, ex, base, head }) {
    const { inputs, platform, summary } = ctx;

    const now = new Date();
    const raw = await platform.group(`Comparing ${inputs.base} → ${inputs.head}`, async () => {
      const t = performance.now();
      const deprecationDays = { stable: inputs['deprecation-days-stable'], beta: inputs['deprecation-days-beta'] };
      const found = diffDocuments(base.doc, head.doc, { now, deprecationDays });
      platform.info(`${plural(found.length, 'change')} found in ${Math.round(performance.now() - t)}ms.`);
      return found;
    });
    const applied = applyExceptions(raw, ex?.exceptions, now);
    const outcome = outcomeOf(applied.findings, RULES, inputs['fail-on'] as FailOn);
    const findings = locateFindings(applied.findings, base, head);

    const reportDir = inputs['report-dir'].trim() || 'shipgate-reports';
    const report = {
      base: base.doc,
      head: head.doc,
      failOn: inputs['fail-on'] as FailOn,
      outcome,
      findings,
      applied,
      exceptionsFile: exceptionsInput || undefined,
      rules: RULES,
    };
    const paths = writeOrExplain(reportDir, () => writeReports(reportDir, report, (t) => platform.redact(t)));
    const data: SummaryData = { base: base.doc, head: head.doc, outcome, findings, applied, reportPath: paths.json };
    summary.add(renderFindings(data, SUMMARY_LIMITS));
    for (const e of applied.expired) {
      platform.warning(
        `Exception for ${e.rule}${e.path ? ` ${e.path}` : ''} expired on ${e.expires}; it no longer applies.`,
        { file: exceptionsInput, line: e.line },
      );
    }
    for (const f of findings.filter((f) => f.severity !== 'info').slice(0, ANNOTATIONS)) {
      platform.finding(`${f.rule}: ${f.message}`, {
        file: f.file,
        line: f.line,
        title: f.severity === 'error' ? 'Breaking API change' : 'API change',
      });
    }
    if (inputs.comment) await postComment(platform, renderComment(data, jobLink(platform)));

    return {
      outputs: {
        breaking: String(outcome.breaking > 0),
        'breaking-count': String(outcome.breaking),
        'warning-count': String(outcome.warnings),
        'change-count': String(outcome.changes),
        'suggested-bump': outcome.bump,
        report: paths.json,
      },
      failure: outcome.failure,
      data: { findings },
    };
  },
});

/** A directory the job cannot write to is the user's to fix: name the input. */
function writeOrExplain<T>(dir: string, write: () => T): T {
  try {
    return write();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (!code) throw err;
    throw new ConfigError(
      `Input 'report-dir' is '${dir}': the reports cannot be written there (${code}). Point it at a writable directory.`,
    );
  }
}

/** Loads base and head side by side; when both are bad, both problems are reported at once. */
async function loadBoth(base: string, head: string, opts: LoadOptions): Promise<[LoadedDocument, LoadedDocument]> {
  const [b, h] = await Promise.allSettled([loadDocument('base', base, opts), loadDocument('head', head, opts)]);
  if (b.status === 'fulfilled' && h.status === 'fulfilled') return [b.value, h.value];
  const errors = [b, h]
    .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
    .map((r) => r.reason as unknown);
  const other = errors.find((e) => !(e instanceof ConfigError));
  if (other) throw other;
  // Each error is logged through its problems (run() prints those), so one without positions becomes one.
  const problems: Problem[] = errors.flatMap((e) =>
    (e as ConfigError).problems.length ? (e as ConfigError).problems : [{ message: (e as Error).message }],
  );
  throw new ConfigError(errors.map((e) => (e as Error).message).join('\n'), problems);
}
