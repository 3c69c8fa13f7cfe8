// Reads the agent config: JSON with positions in syntax errors, ${ENV} expansion, schema, cross-checks, defaults.
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { type ConfigProblem, ConfigError, errorMessage } from '../errors.js';
import type { Message } from '../messages/index.js';
import { systemError } from '../messages/system-error.js';
import { crossCheck } from './cross-check.js';
import { childPath } from './json-path.js';
import { findJsonSyntaxError } from './json-syntax.js';
import { configProblem } from './problem.js';
import { resolveConfig } from './resolve.js';
import type { Config } from './types.js';
import { findUrlCredentials } from './url-credentials.js';
import { validateAgainstSchema } from './validate.js';

/**
 * Parses the config text. A byte-order mark (some Windows editors write one) is not a mistake worth
 * refusing; anything else that is not JSON is named with its line, column and JSON path.
 */
export function parseJson(text: string): { value?: unknown; problem?: ConfigProblem } {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  try {
    return { value: JSON.parse(body) };
  } catch (error) {
    const found = findJsonSyntaxError(body);
    // The scan accepts what JSON.parse accepts; should they ever disagree, JSON.parse's own words,
    // without the copy of the whole file some of its messages carry.
    if (!found) {
      const detail = errorMessage(error).replace(/, ".*" is not valid JSON$/s, '');
      return { problem: configProblem('', 'config.not-json-unplaced', { detail }) };
    }
    const { line, column, why } = found;
    const detail: Message = why;
    const advice: Message = { ...why, code: `${why.code}.hint` };
    return { problem: configProblem(found.path, 'config.not-json', { line, column, detail, advice }) };
  }
}

/**
 * Replaces "${NAME}" in string values with the environment variable's value, so paths and endpoints
 * can differ per machine without editing the file. An unset variable is a problem, not an empty string.
 */
export function expandEnvironment(
  value: unknown,
  env: NodeJS.ProcessEnv,
  problems: ConfigProblem[],
  path = '',
): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name: string) => {
      const replacement = env[name];
      if (replacement === undefined) {
        problems.push(configProblem(path, 'config.env-unset', { name, placeholder: whole }));
        return whole;
      }
      return replacement;
    });
  }
  if (Array.isArray(value))
    return value.map((item, index) => expandEnvironment(item, env, problems, childPath(path, index)));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, expandEnvironment(item, env, problems, childPath(path, key))]),
    );
  }
  return value;
}

/** Validates a parsed document and returns the resolved config, or every problem found at once. */
export function configFromDocument(
  document: unknown,
  file: string,
  env: NodeJS.ProcessEnv = process.env,
): { config?: Config; problems: ConfigProblem[]; document?: unknown } {
  const problems: ConfigProblem[] = [];
  const expanded = expandEnvironment(document, env, problems);
  // Every problem at once: the cross-checks run on whatever parts of the document have the right shape.
  problems.push(...validateAgainstSchema(expanded), ...crossCheck(expanded), ...findUrlCredentials(expanded));
  if (problems.some((p) => p.severity === 'error')) return { problems, document: expanded };
  const resolved = resolveConfig(expanded, file ? dirname(file) : process.cwd(), file);
  problems.push(...resolved.problems);
  if (problems.some((p) => p.severity === 'error')) return { problems, document: expanded };
  return { config: resolved.config, problems, document: expanded };
}

/** Loads and validates a config file; throws ConfigError (code B321_CONFIG) listing every problem. */
export async function loadConfig(file: string, env: NodeJS.ProcessEnv = process.env): Promise<Config> {
  const { config, problems } = await loadConfigWithProblems(file, env);
  if (!config) throw new ConfigError(resolve(file), problems);
  return config;
}

export async function loadConfigWithProblems(
  file: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ config?: Config; problems: ConfigProblem[]; document?: unknown }> {
  const absolute = resolve(file);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    return { problems: [configProblem('', 'config.unreadable-file', { error: systemError(error) })] };
  }
  const parsed = parseJson(text);
  if (parsed.problem) return { problems: [parsed.problem] };
  return configFromDocument(parsed.value, absolute, env);
}
