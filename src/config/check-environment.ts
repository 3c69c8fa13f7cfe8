// What `config check` adds to schema validation: do the paths the config names exist on this machine?
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { errnoCode, type ConfigProblem } from '../errors.js';
import { objectsIn } from './cross-check.js';
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

const MISSING: Record<string, string> = {
  ENOENT: 'does not exist',
  EACCES: 'cannot be accessed (permission denied)',
  ENOTDIR: 'has a file where a directory is expected',
};

async function checkDiskPath(at: string, path: string): Promise<ConfigProblem | undefined> {
  const problem = (message: string, hint: string): ConfigProblem => ({
    path: `${at}.path`,
    message,
    hint,
    severity: 'error',
  });
  const kind = await kindOf(path);
  if (kind === 'file' || kind === 'other')
    return problem(`${path} is not a directory`, 'name the directory that holds the backups');
  if (kind !== 'directory')
    return problem(`directory ${MISSING[kind] ?? kind}: ${path}`, 'create it, mount it, or correct the path');
  if (!(await readable(path))) return problem(`directory is not readable: ${path}`, 'give the agent user read access');
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
  const push = (path: string, message: string, hint: string, severity: ConfigProblem['severity'] = 'error') =>
    problems.push({ path, message, hint, severity });
  for (const [index, location] of config.locations.entries()) {
    const at = `locations[${index}]`;
    if (location.type === 'disk') {
      const problem = await checkDiskPath(at, location.path);
      if (problem) problems.push(problem);
    } else if (location.type === 'offline-log') {
      const kind = await kindOf(location.path);
      if (kind !== 'file') {
        push(
          `${at}.path`,
          `offline-media log ${MISSING[kind] ?? 'is not a file'}: ${location.path}`,
          'record media with "backup321 media write …", which creates it',
          'warning',
        );
      }
    } else if (location.credentialsFile) {
      const kind = await kindOf(location.credentialsFile);
      if (kind !== 'file')
        push(
          `${at}.credentialsFile`,
          `credentials file ${MISSING[kind] ?? 'is not a file'}: ${location.credentialsFile}`,
          'create it (mode 0600) or use the AWS credential chain',
        );
      else if (((await stat(location.credentialsFile)).mode & 0o077) !== 0) {
        push(
          `${at}.credentialsFile`,
          'credentials file is readable by other users',
          `chmod 600 ${location.credentialsFile}`,
          'warning',
        );
      }
    }
  }
  if (config.restoreDrills && (await kindOf(config.restoreDrills)) !== 'file') {
    push(
      'restoreDrills',
      `restore-drill log does not exist yet: ${config.restoreDrills}`,
      'record a drill with "backup321 drill record …", which creates it',
      'warning',
    );
  }
  if (config.report.tokenFile && (await kindOf(config.report.tokenFile)) !== 'file') {
    push(
      'report.tokenFile',
      `token file does not exist: ${config.report.tokenFile}`,
      'create it with the agent token from "backup321 collector token create"',
      'warning',
    );
  }
  const stateDir = await stateDirProblem(config.agent.stateDir);
  if (stateDir) problems.push(stateDir);
  return problems;
}

/** Why a path cannot be written to (EROFS, EACCES …), or undefined when it can. */
async function notWritable(path: string): Promise<string | undefined> {
  try {
    await access(path, constants.W_OK | constants.X_OK);
    return undefined;
  } catch (error) {
    const code = errnoCode(error);
    return code === 'EROFS' ? 'a read-only file system' : code === 'EACCES' ? 'permission denied' : (code ?? 'error');
  }
}

/**
 * verify keeps its checksum cache and read-probe results in the state directory and creates it when
 * missing (mkdir -p), so it must be writable, or its nearest existing ancestor must be.
 */
async function stateDirProblem(dir: string): Promise<ConfigProblem | undefined> {
  const which = dir === DEFAULT_STATE_DIR ? `${dir} (the default)` : dir;
  const problem = (message: string): ConfigProblem => ({
    path: 'agent.stateDir',
    message,
    hint: "name a directory this user can write, or create it for this user (a systemd unit's StateDirectory= does)",
    severity: 'error',
  });
  let existing = dir;
  let kind = await kindOf(existing);
  while ((kind === 'ENOENT' || kind === 'ENOTDIR') && dirname(existing) !== existing) {
    existing = dirname(existing);
    kind = await kindOf(existing);
  }
  if (kind !== 'directory') {
    const what =
      kind === 'file' || kind === 'other' ? 'is not a directory' : (MISSING[kind] ?? `cannot be read (${kind})`);
    return problem(existing === dir ? `${which} ${what}` : `${which} cannot be created: ${existing} ${what}`);
  }
  const reason = await notWritable(existing);
  if (reason === undefined) return undefined;
  return problem(
    existing === dir
      ? `${which} is not writable (${reason})`
      : `${which} cannot be created: ${existing} is not writable (${reason})`,
  );
}
