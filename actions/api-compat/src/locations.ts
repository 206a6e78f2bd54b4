// Where each finding is shown: a file and line a reviewer can open, in the head document (the one under review).
import type { ReportedFinding } from './exceptions.js';
import type { LoadedDocument } from './load/index.js';
import { EXTERNAL } from './load/bundle.js';

/** A finding with the file and line it is reported at. */
export interface LocatedFinding extends ReportedFinding {
  file: string;
  line: number;
}

/**
 * Head findings are located where they are. Base findings are about something head no longer has (a removed
 * operation): they point at its nearest surviving ancestor in head, e.g. the path item a method was removed from,
 * because that is the file in the pull request. Pointers into base's bundled files stay in base.
 */
export function locateFindings(
  findings: readonly ReportedFinding[],
  base: LoadedDocument,
  head: LoadedDocument,
): LocatedFinding[] {
  const inBase = (f: ReportedFinding) => f.document === 'base' && f.location.startsWith(`#/${EXTERNAL}/`);
  const baseIdx = findings.map((f, i) => (inBase(f) ? i : -1)).filter((i) => i >= 0);
  const headIdx = findings.map((f, i) => (inBase(f) ? -1 : i)).filter((i) => i >= 0);
  const out: LocatedFinding[] = new Array(findings.length);
  const fill = (doc: LoadedDocument, idx: number[]) => {
    if (!idx.length) return;
    const locs = doc.locator.locate(idx.map((i) => findings[i].location));
    idx.forEach((i, k) => (out[i] = { ...findings[i], file: locs[k].file, line: locs[k].line }));
  };
  fill(base, baseIdx);
  fill(head, headIdx);
  return out;
}

/** The path a repository-relative report (SARIF, code quality) wants: git:<ref>:<path> → <path>. */
export function repoPath(file: string): string {
  const m = /^git:[^:]+:(.*)$/.exec(file);
  return (m ? m[1] : file).split('\\').join('/');
}
