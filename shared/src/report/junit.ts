/** One test case: a check that passed, failed or was skipped. */
export interface JUnitCase {
  name: string;
  classname?: string;
  timeSeconds?: number;
  failure?: { message: string; type?: string; details?: string };
  skipped?: string;
}

export interface JUnitSuite {
  name: string;
  cases: JUnitCase[];
}

export function xmlEscape(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '');
}

function attrs(pairs: Record<string, string | number | undefined>): string {
  return Object.entries(pairs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${xmlEscape(String(v))}"`)
    .join('');
}

/** JUnit XML as GitLab's `artifacts:reports:junit` and most CI tools read it. */
export function junitXml(suites: JUnitSuite[]): string {
  const count = (s: JUnitSuite, pred: (c: JUnitCase) => boolean) => s.cases.filter(pred).length;
  const total = (pred: (c: JUnitCase) => boolean) => suites.reduce((n, s) => n + count(s, pred), 0);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({ tests: total(() => true), failures: total((c) => !!c.failure), skipped: total((c) => !!c.skipped) })}>`,
  ];
  for (const s of suites) {
    const time = s.cases.reduce((t, c) => t + (c.timeSeconds ?? 0), 0);
    lines.push(
      `  <testsuite${attrs({ name: s.name, tests: s.cases.length, failures: count(s, (c) => !!c.failure), skipped: count(s, (c) => !!c.skipped), time: time.toFixed(3) })}>`,
    );
    for (const c of s.cases) {
      const head = `    <testcase${attrs({ name: c.name, classname: c.classname ?? s.name, time: c.timeSeconds?.toFixed(3) })}`;
      if (c.failure) {
        lines.push(`${head}>`);
        lines.push(
          `      <failure${attrs({ message: c.failure.message, type: c.failure.type })}>${xmlEscape(c.failure.details ?? c.failure.message)}</failure>`,
        );
        lines.push('    </testcase>');
      } else if (c.skipped !== undefined) {
        lines.push(`${head}>`, `      <skipped${attrs({ message: c.skipped })}/>`, '    </testcase>');
      } else {
        lines.push(`${head}/>`);
      }
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return lines.join('\n') + '\n';
}
