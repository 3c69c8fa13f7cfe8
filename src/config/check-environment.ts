// What `config check` adds to schema validation: do the paths the config names exist on this machine?
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { type ConfigProblem, errnoCode } from '../errors.js';
import { isTextCode, type Message, msg } from '../messages/index.js';
import { objectsIn } from './cross-check.js';
import { configProblem } from './problem.js';
import { DEFAULT_STATE_DIR } from './resolve.js';
import type { Config } from './types.js';

async function kindOf(path: string): Promise<'file' | 'directory' | 'other' | string> {
  try {
    const info = await stat(path);
    return info.isDirectory() ? 'directory' : info.isFile() ? 'file' : 'other';
  } catch (error) {
    return errnoCode(error) ?? 'error';
  }
}

async function readable(path: string): Promise<boolean> {
  try {
    await access(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/** Why a path is not there (ENOENT, EACCES, ENOTDIR), as a phrase ("does not exist"); `otherwise` for another error. */
function missing(kind: string, otherwise: Message): Message {
  const code = `config.missing.${kind}`;
  return /^E[A-Z]+$/.test(kind) && isTextCode(code) ? msg(code) : otherwise;
}

async function checkDiskPath(at: string, path: string): Promise<ConfigProblem | undefined> {
  const where = `${at}.path`;
  const kind = await kindOf(path);
  if (kind === 'file' || kind === 'other') return configProblem(where, 'config.disk-path-not-directory', { path });
  if (kind !== 'directory') {
    const reason = missing(kind, msg('config.missing.other', { code: kind }));
    return configProblem(where, 'config.disk-path-missing', { reason, path });
  }
  if (!(await readable(path))) return configProblem(where, 'config.disk-path-unreadable', { path });
  return undefined;
}

/** For a config the schema rejected: still check the disk paths that can be read out of it. */
export async function checkDocumentPaths(document: unknown, baseDir: string): Promise<ConfigProblem[]> {
  const problems: ConfigProblem[] = [];
  const locations = objectsIn((document as { locations?: unknown } | null)?.locations);
  for (const { index, item } of locations) {
    if (item.type !== 'disk' || typeof item.path !== 'string' || item.path === '') continue;
    const problem = await checkDiskPath(`locations[${index}]`, resolve(baseDir, item.path));
    if (problem) problems.push(problem);
  }
  return problems;
}

export async function checkEnvironment(config: Config): Promise<ConfigProblem[]> {
  const problems: ConfigProblem[] = [];
  const notAFile = msg('config.missing.not-a-file');
  for (const [index, location] of config.locations.entries()) {
    const at = `locations[${index}]`;
    if (location.type === 'disk') {
      const problem = await checkDiskPath(at, location.path);
      if (problem) problems.push(problem);
    } else if (location.type === 'offline-log') {
      const kind = await kindOf(location.path);
      if (kind !== 'file') {
        const params = { reason: missing(kind, notAFile), path: location.path };
        problems.push(configProblem(`${at}.path`, 'config.media-log-missing', params, 'warning'));
      }
    } else if (location.credentialsFile) {
      const path = location.credentialsFile;
      const kind = await kindOf(path);
      if (kind !== 'file') {
        const params = { reason: missing(kind, notAFile), path };
        problems.push(configProblem(`${at}.credentialsFile`, 'config.credentials-file-missing', params));
      } else if (((await stat(path)).mode & 0o077) !== 0) {
        problems.push(configProblem(`${at}.credentialsFile`, 'config.credentials-file-shared', { path }, 'warning'));
      }
    }
  }
  if (config.restoreDrills && (await kindOf(config.restoreDrills)) !== 'file') {
    const params = { path: config.restoreDrills };
    problems.push(configProblem('restoreDrills', 'config.drill-log-missing', params, 'warning'));
  }
  if (config.report.tokenFile && (await kindOf(config.report.tokenFile)) !== 'file') {
    const params = { path: config.report.tokenFile };
    problems.push(configProblem('report.tokenFile', 'config.token-file-missing', params, 'warning'));
  }
  const stateDir = await stateDirProblem(config.agent.stateDir);
  if (stateDir) problems.push(stateDir);
  return problems;
}

/** Why a path cannot be written to (EROFS, EACCES …), or undefined when it can. */
async function notWritable(path: string): Promise<Message | undefined> {
  try {
    await access(path, constants.W_OK | constants.X_OK);
    return undefined;
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'EROFS' || code === 'EACCES') return msg(`config.unwritable.${code}`);
    return msg('config.unwritable.other', { code: code ?? 'error' });
  }
}

/**
 * verify keeps its checksum cache and read-probe results in the state directory and creates it when
 * missing (mkdir -p), so it must be writable, or its nearest existing ancestor must be.
 */
async function stateDirProblem(dir: string): Promise<ConfigProblem | undefined> {
  const which = dir === DEFAULT_STATE_DIR ? msg('config.state-dir.default', { dir }) : dir;
  const problem = (existing: string, reason: Message): ConfigProblem =>
    existing === dir
      ? configProblem('agent.stateDir', 'config.state-dir-unusable', { dir: which, reason })
      : configProblem('agent.stateDir', 'config.state-dir-uncreatable', { dir: which, existing, reason });
  let existing = dir;
  let kind = await kindOf(existing);
  while ((kind === 'ENOENT' || kind === 'ENOTDIR') && dirname(existing) !== existing) {
    existing = dirname(existing);
    kind = await kindOf(existing);
  }
  if (kind !== 'directory') {
    const what =
      kind === 'file' || kind === 'other'
        ? msg('config.missing.not-a-directory')
        : missing(kind, msg('config.missing.unreadable', { code: kind }));
    return problem(existing, what);
  }
  const why = await notWritable(existing);
  if (why === undefined) return undefined;
  return problem(existing, msg('config.missing.not-writable', { why }));
}
