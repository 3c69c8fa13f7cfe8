// Whether a process of this host is still running (a lock's holder), by signal 0.
import { errnoCode } from '../errors.js';

/** True when it runs or cannot be told (EPERM: another user's process; a pid that is no pid). */
export function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errnoCode(error) === 'EPERM';
  }
}
