// Which of a dataset's locations could not be read for it: an error for the whole location, or for that dataset.
import type { LocationStatus } from '../model.js';

export function unreadableFor(dataset: string, locations: string[], statuses: LocationStatus[]): string[] {
  return statuses
    .filter(
      (status) =>
        locations.includes(status.id) &&
        status.issues.some(
          (issue) => issue.severity === 'error' && (issue.dataset === undefined || issue.dataset === dataset),
        ),
    )
    .map((status) => status.id);
}
