// The dashboard's one HTML escape (& < > " '): every <%= %> of the templates (render.ts) and the
// markup made ahead of them (check-cells.ts) are escaped alike.
const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const SPECIAL = /[&<>"']/;

export function escapeMarkup(value: unknown): string {
  const text = String(value);
  return SPECIAL.test(text) ? text.replace(/[&<>"']/g, (c) => ENTITY[c] as string) : text;
}
