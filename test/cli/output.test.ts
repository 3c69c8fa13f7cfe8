// Writing a report to --output: a failure names the file the user gave, never the temp file beside it.
import { join } from 'node:path';
import t from 'tap';
import { checkOutputFile, writeOutputFile } from '../../src/cli/output.js';

t.test('a missing directory, before the run and at the write', async (t) => {
  const file = join(t.testdir(), 'missing', 'x.json');
  const expected = `cannot write ${file}: the directory ${join(file, '..')} does not exist`;
  await t.rejects(checkOutputFile(file), { code: 'B321_USAGE', message: expected });
  t.throws(() => writeOutputFile(file, 'report'), { message: expected });
});

t.test('a directory given as the file', async (t) => {
  const dir = t.testdir();
  await t.rejects(checkOutputFile(dir), { message: `cannot write ${dir}: it is a directory` });
});

t.test('a writable place passes the check, and so does a device written in place', async (t) => {
  await t.resolves(checkOutputFile(join(t.testdir(), 'x.json')));
  await t.resolves(checkOutputFile('/dev/null'));
});
