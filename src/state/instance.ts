// The agent instance a state dir belongs to: an id made once, when the state dir is first used, so
// a reinstalled or copied agent (a new state dir) is told apart from the one it replaced.
import { randomUUID } from 'node:crypto';
import { link, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode } from '../errors.js';

export const INSTANCE_FILE_NAME = 'instance.json';

interface InstanceFile {
  instanceId: string;
  createdAt: string;
}

/**
 * The state dir's instance id, made when it has none. A file that is not ours to read (garbled) is an error: a new id would break the agent's
 * sequence of reports without a word.
 */
export async function instanceIdOf(stateDir: string, now: Date = new Date()): Promise<string> {
  const path = join(stateDir, INSTANCE_FILE_NAME);
  for (;;) {
    try {
      const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<InstanceFile>;
      if (typeof parsed.instanceId !== 'string' || parsed.instanceId === '') {
        throw new Error(`${path} holds no instanceId; move it away to start a new instance`);
      }
      return parsed.instanceId;
    } catch (error) {
      if (errnoCode(error) !== 'ENOENT') throw error;
    }
    const made: InstanceFile = { instanceId: randomUUID(), createdAt: now.toISOString() };
    // Written whole under another name, then linked into place: link() fails when the file exists,
    // so the file is never seen half written and two processes starting at once agree on one id.
    const temp = `${path}.${made.instanceId}.tmp`;
    await writeFile(temp, `${JSON.stringify(made)}\n`, { flag: 'wx', mode: 0o600, flush: true });
    try {
      await link(temp, path);
      return made.instanceId;
    } catch (error) {
      // Another process made it first: read theirs.
      if (errnoCode(error) !== 'EEXIST') throw error;
    } finally {
      await unlink(temp).catch(() => undefined);
    }
  }
}
