// `backup321 config check`: every problem of a config at once, each with its JSON path and the fix.
import { dirname, resolve } from 'node:path';
import { checkDocumentPaths, checkEnvironment } from '../config/check-environment.js';
import { loadConfigWithProblems } from '../config/load.js';
import { counted, type Message, messageText, msg } from '../messages/index.js';
import { COMMON_OPTIONS, configPath, parse } from './args.js';
import { langOption } from './lang.js';
import { printOut } from './output.js';
import { problemLine } from './problem-lines.js';

export const CONFIG_HELP = `Usage: backup321 config check [--config FILE] [--format text|json] [--lang en|vi]

Validates the config against its schema and this machine (paths, files) and prints every problem
with its JSON path and a hint, in English or Vietnamese (--lang, default $BACKUP321_LANG; the JSON
output keeps the English words beside each problem's code and params). Exit code: 0 valid (warnings
allowed), 3 invalid.
`;

export async function runConfigCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { values } = parse(rest, { ...COMMON_OPTIONS, format: { type: 'string', short: 'f' } });
  if (sub !== 'check' || values.help) {
    await printOut(CONFIG_HELP);
    return sub === 'check' || values.help ? 0 : 3;
  }
  const lang = langOption(values.lang);
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
    const say = (text: Message) => messageText(lang, text);
    const lines = problems.map(
      (problem) =>
        `${say(msg(problem.severity === 'error' ? 'check.error' : 'check.warning'))}: ${problemLine(lang, problem)}`,
    );
    lines.push(
      say(
        errors > 0
          ? msg('check.invalid', { file, count: counted('error', errors) })
          : problems.length > 0
            ? msg('check.valid-with-warnings', { file, count: counted('warning', problems.length) })
            : msg('check.valid', { file }),
      ),
    );
    await printOut(lines.join('\n'));
  }
  return errors === 0 ? 0 : 3;
}
