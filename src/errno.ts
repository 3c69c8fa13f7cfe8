// What a thrown error says, for code that runs on worker threads too (errors.ts loads the message catalogs).

/** The system error's code (ENOENT, EACCES …), undefined for anything else thrown. */
export function errnoOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
