// The `backup321` command as the system starts it: through its `#!` line, with the Node flags it names,
// and the benchmark measuring the product with those same flags.
import t from 'tap';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PRODUCT_VERSION } from '../../src/version.js';
import { BINARY, type RunResult, runProcess } from './run-binary.js';

const FIRST_LINE = readFileSync(BINARY, 'utf8').split('\n', 1)[0] ?? '';

/** What Linux's execve does with a `#!` line: the interpreter, then the rest of the line as ONE argument. */
function runThroughShebang(args: string[]): Promise<RunResult> {
  const match = /^#!(\S+)\s+(.*)$/.exec(FIRST_LINE);
  if (!match) throw new Error(`no #! line in ${BINARY}: ${FIRST_LINE}`);
  const [, interpreter, argument] = match as unknown as [string, string, string];
  return runProcess(interpreter, [argument, BINARY, ...args], { NO_COLOR: '1' });
}

t.test('the command starts Node through env -S with its heap flag, and Node accepts it', async (t) => {
  t.match(
    FIRST_LINE,
    /^#!\/usr\/bin\/env -S node --initial-old-space-size=\d+ --expose-gc$/,
    'the #! line of the built command',
  );
  const { code, stdout, stderr } = await runThroughShebang(['--version']);
  // Node refuses a flag it does not know ("bad option") with exit 9: the version proves it started.
  t.equal(code, 0, stderr);
  t.equal(stdout.trim(), PRODUCT_VERSION);
});

t.test('a real verify runs through the #! line: the demo estate, its report and exit code', async (t) => {
  const { code, stdout, stderr } = await runThroughShebang(['demo', '--format', 'json']);
  t.equal(code, 0, `the demo ran: ${stderr}`);
  const report = JSON.parse(stdout) as { summary: { exitCode: number; datasets: number; copies: number } };
  t.match(report.summary, { datasets: 5, copies: 16, exitCode: 2 }, 'the demo estate, verified as always');
});

t.test('the benchmark measures with the flags of the #! line, and with none for a build without them', async (t) => {
  const { cliNodeFlags } = (await import(
    pathToFileURL(join(process.cwd(), 'scripts/bench/measured-build.mjs')).href
  )) as {
    cliNodeFlags: (dist: URL) => string[];
  };
  const dist = new URL('.', pathToFileURL(join(BINARY, '..', '..', 'x')));
  const words = FIRST_LINE.replace(/^#!\/usr\/bin\/env -S node\s*/, '').split(/\s+/);
  t.same(cliNodeFlags(dist), words, 'the flags after "node", in order');
  t.ok(cliNodeFlags(dist).some((flag) => flag.startsWith('--initial-old-space-size=')));

  const older = t.testdir();
  mkdirSync(join(older, 'cli'));
  writeFileSync(join(older, 'cli', 'main.js'), '#!/usr/bin/env node\nconsole.log(1);\n');
  t.same(cliNodeFlags(pathToFileURL(`${older}/`)), [], 'an older build: plain "node"');
  t.same(cliNodeFlags(pathToFileURL(`${join(older, 'missing')}/`)), [], 'no build there at all');
});
