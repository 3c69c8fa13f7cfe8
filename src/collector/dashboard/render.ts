// The dashboard's templates, compiled once per plugin by Eta with escaping on: every <%= %> is
// HTML-escaped (& < > " '), and the templates are TS modules so they ship in dist/ with the code.
import { Eta } from 'eta/core';
import { escapeMarkup } from './escape.js';
import { AGENT, DATASETS } from './templates/agent.js';
import { DATASET } from './templates/dataset.js';
import { FLEET, SELECT } from './templates/fleet.js';
import { LAYOUT, MESSAGE } from './templates/layout.js';
import { LOGIN } from './templates/login.js';
import { PRINT, PRINT_AGENTS } from './templates/print.js';

export const PAGES = {
  fleet: FLEET,
  agent: AGENT,
  dataset: DATASET,
  print: PRINT,
  login: LOGIN,
  message: MESSAGE,
} as const;
export type PageName = keyof typeof PAGES;
export const PARTS = { layout: LAYOUT, datasets: DATASETS, select: SELECT, printAgents: PRINT_AGENTS } as const;
export type PartName = keyof typeof PARTS;

/** A page, or a part rendered alone (the printable report's chunks of agents). */
export type RenderPage = (page: PageName | PartName, data: object) => string;

export function pageRenderer(): RenderPage {
  const eta = new Eta({ autoEscape: true, escapeFunction: escapeMarkup, autoTrim: [false, 'nl'], cache: true });
  for (const [name, template] of Object.entries({ ...PAGES, ...PARTS })) eta.loadTemplate(`@${name}`, template);
  return (page, data) => eta.render(`@${page}`, data);
}
