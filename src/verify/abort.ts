// An aborted run ends in an AbortError, whatever reason the caller aborted with: a caller (the agent
// on SIGTERM, a deadline) tells "stopped" from "failed" by the error's name, never by a half report.

/** The AbortError a run aborted by `signal` rejects with; the caller's own reason is its cause. */
export function abortErrorOf(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  const error = new DOMException('the verification run was aborted', 'AbortError');
  Object.defineProperty(error, 'cause', { value: reason, configurable: true, writable: true });
  return error;
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortErrorOf(signal);
}
