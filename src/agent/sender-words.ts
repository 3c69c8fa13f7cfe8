// The sender's log lines that an operator acts on: say what happened, what to check, and that no report is lost.
import type { SendOutcome } from './collector-answer.js';

/** The endpoint as logs show it: no user or password a URL might carry, no query. */
export function endpointForLog(endpoint: URL): string {
  return `${endpoint.origin}${endpoint.pathname}`;
}

export function authPauseWords(status: number | undefined, pauseMs: number, waiting: number): string {
  const why =
    status === undefined
      ? 'no agent token to send: the token file (report.tokenFile) is missing, unreadable or empty'
      : status === 401
        ? 'the collector did not accept the agent token (401): check the token in report.tokenFile'
        : `the collector refused this agent (${status}): its token belongs to another agent id or was revoked`;
  return `${why}; sending paused for ${minutes(pauseMs)} (a new token is read on SIGHUP), the ${waiting} report(s) waiting stay in the outbox`;
}

export function failureWords(
  outcome: Extract<SendOutcome, { kind: 'failed' }>,
  retryInMs: number,
  waiting: number,
): string {
  return `sending a report failed (${outcome.reason}: ${outcome.message}); trying again in ${seconds(retryInMs)}, ${waiting} report(s) wait in the outbox`;
}

export function deadLetterWords(status: number, seq: number, dir: string): string {
  return `the collector refused report seq ${seq} for good (${status}): moved to ${dir}, never sent again`;
}

const minutes = (ms: number) => (ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : seconds(ms));
const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
