// The languages reports and messages are written in: below every stage, since the CLI's messages,
// errors and reports all name them.
export const LANGS = ['en', 'vi'] as const;
export type Lang = (typeof LANGS)[number];
