// `backup321 config check`: every problem of a config at once, each with its JSON path and the fix.
import { dirname, resolve } from 'node:path';
import { checkDocumentPaths, checkEnvironment } from '../config/check-environment.js';
import { loadConfigWithProblems } from '../config/load.js';
import type { ConfigProblem } from '../errors.js';
import { COMMON_OPTIONS, configPath, parse } from './args.js';
import { printOut } from './output.js';

export const CONFIG_HELP = `Usage: backup321 config check [--config FILE] [--format text|json]

Validates the config against its schema and this machine (paths, files) and prints every problem
with its JSON path and a hint. Exit code: 0 valid (warnings allowed), 3 invalid.
`;

export function formatProblem(problem: ConfigProblem): string {
  return `${problem.severity}: ${problem.path || '(document)'}: ${problem.message}${problem.hint ? ` — ${problem.hint}` : ''}`;
}

export async function runConfigCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { values } = parse(rest, { ...COMMON_OPTIONS, format: { type: 'string', short: 'f' } });
  if (sub !== 'check' || values.help) {
    await printOut(CONFIG_HELP);
    return sub === 'check' || values.help ? 0 : 3;
  }
  const file = configPath(values.config);
  const { config, problems, document } = await loadConfigWithProblems(file);
  if (config) problems.push(...(await checkEnvironment(config)));
  else if (document !== undefined) {
    // One problem a key: a path already refused (an unset ${VAR}, a bad value) is not looked up as well.
    const named = new Set(problems.map((problem) => problem.path));
    const paths = await checkDocumentPaths(document, dirname(resolve(file)));
    problems.push(...paths.filter((problem) => !named.has(problem.path)));
  }
  const errors = problems.filter((p) => p.severity === 'error').length;
  if (values.format === 'json') {
    await printOut(JSON.stringify({ file, valid: errors === 0, problems }, null, 2));
  } else {
    const lines = problems.map(formatProblem);
    lines.push(
      errors === 0
        ? `${file}: valid${problems.length ? ` (${problems.length} warning${problems.length === 1 ? '' : 's'})` : ''}`
        : `${file}: ${errors} error${errors === 1 ? '' : 's'}`,
    );
    await printOut(lines.join('\n'));
  }
  return errors === 0 ? 0 : 3;
}
