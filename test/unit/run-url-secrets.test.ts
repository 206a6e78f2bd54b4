// run() masks the credentials of every URL an input carries before the inputs are validated, so the error that
// rejects a value (and names it) never shows them. Each spelling: as written, decoded, '+' as a space.
import { describe, expect, it } from 'vitest';
import { perfBaseline } from '../../actions/perf-baseline/src/step.js';
import { runLocal } from '../helpers/local-step.js';

describe('URL credentials in a rejected input', () => {
  it('are masked in the validation error that names the value', async () => {
    const url = 'ftp://deploy:Pa%24%24w0rd%zz@127.0.0.1:8080/health?token=tok+en%2B1';
    const r = await runLocal(perfBaseline, { url, save: 'r.json' });
    expect(r.code).toBe(2);
    expect(r.log).toContain("Input 'url' is 'ftp://deploy:***@127.0.0.1:8080/health?token=***'");
    for (const secret of ['Pa%24%24w0rd%zz', 'Pa$$w0rd%zz', 'tok+en%2B1', 'tok+en+1', 'tok en+1'])
      expect(r.log).not.toContain(secret);
  });
});
