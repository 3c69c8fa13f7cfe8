// ISO-8601 text for epoch milliseconds, reusing the last answer: a million copies share far fewer strings.

/**
 * Returns a converter that remembers its last input. Files listed or hashed one after another mostly
 * fall in the same millisecond (a cold run hashes dozens per ms), so consecutive copies get one
 * shared 24-character string instead of one each.
 */
export function createIsoTime(): (epochMs: number) => string {
  let lastMs = Number.NaN;
  let lastText = '';
  return (epochMs) => {
    // new Date() truncates to whole milliseconds the same way, so equal keys mean equal text.
    const ms = Math.trunc(epochMs);
    if (ms !== lastMs) {
      lastText = new Date(ms).toISOString();
      lastMs = ms;
    }
    return lastText;
  };
}
