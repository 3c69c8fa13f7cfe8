// The English sentence stored in each finding, from the same catalog the renderers use.
import { findingMessage } from './i18n/index.js';
import type { Outcome } from '../policy/types.js';

export function englishMessage(outcome: Outcome): string {
  return findingMessage('en', {
    ...outcome,
    message: `${outcome.check}: ${outcome.reason}`,
  });
}
