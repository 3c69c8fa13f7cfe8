// The one errno → issue code mapping: what a refused or failed read is called, whatever the source read.
import type { IssueCode } from '../../codes.js';

/**
 * The code of a read the system refused (EACCES, EPERM) or the device failed (EIO), or undefined for
 * any other errno: what ENOENT means (vanished, not created yet, no such location) is the caller's to
 * say. EIO is never "permission denied": a disk that starts failing must not read as a wrong chmod.
 */
export function readFailureCode(
  errno: string | undefined,
): Extract<IssueCode, 'B321_EACCES' | 'B321_IO_ERROR'> | undefined {
  if (errno === 'EACCES' || errno === 'EPERM') return 'B321_EACCES';
  if (errno === 'EIO') return 'B321_IO_ERROR';
  return undefined;
}
