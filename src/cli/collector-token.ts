// `backup321 collector token create|list|revoke`: the API's tokens. A new token is printed once,
// alone on the last line of stdout (scripts take `tail -n 1`); only its hash is stored.
import { openStore } from '../collector/store/open.js';
import type { CollectorStore } from '../collector/store/types.js';
import { UsageError } from '../errors.js';
import { createCliLogger } from '../logging.js';
import { msg } from '../messages/index.js';
import { logLevel, parse } from './args.js';
import { printOut } from './output.js';

/** The --db of the collector and its token commands when none is given. */
export const DEFAULT_DB = './collector.sqlite';

const usage = (text: string) => new UsageError(msg('usage.arguments', { text }));

const OPTIONS = {
  db: { type: 'string' },
  agent: { type: 'string' },
  reader: { type: 'string' },
  'token-id': { type: 'string' },
  'log-level': { type: 'string' },
  lang: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const TOKEN_HELP = `Usage: backup321 collector token create --db DB (--agent ID | --reader NAME)
       backup321 collector token list --db DB
       backup321 collector token revoke --db DB (--token-id ID | --agent ID)

create  issues a token: an agent's may post its own reports and read its own agent's data; a
        reader's may read everything and open the dashboard. The token is printed once, alone on
        the last line; the database keeps only its hash.
list    every token's id, kind, subject, creation and revocation (never a token).
revoke  one token by its id, or every token of an agent.
`;

export async function runTokenCommand(args: string[]): Promise<number> {
  const [action, ...rest] = args;
  const { values } = parse(rest, OPTIONS);
  if (values.help || action === '--help' || action === '-h' || action === undefined) {
    await printOut(TOKEN_HELP);
    return action === undefined ? 3 : 0;
  }
  if (!['create', 'list', 'revoke'].includes(action))
    throw usage(`unknown token action "${action}": create, list or revoke`);
  const logger = createCliLogger(logLevel(values['log-level']));
  const store = await openStore(values.db ?? DEFAULT_DB, { logger });
  try {
    if (action === 'create') return await create(store, values);
    if (action === 'list') return await list(store);
    return await revoke(store, values);
  } finally {
    await store.close();
  }
}

type Values = { agent?: string; reader?: string; 'token-id'?: string };

async function create(store: CollectorStore, values: Values): Promise<number> {
  const { agent, reader } = values;
  if ((agent === undefined) === (reader === undefined))
    throw usage('token create needs --agent ID or --reader NAME (one of them)');
  const subject = (agent ?? reader ?? '').trim();
  if (subject === '') throw usage('token create: the agent id or reader name is empty');
  const kind = agent !== undefined ? 'agent' : 'reader';
  const { id, token } = await store.createToken({ kind, subject });
  await printOut(
    `created ${kind} token ${id} for ${subject} (shown once; the collector keeps only its hash)\n${token}`,
  );
  return 0;
}

async function list(store: CollectorStore): Promise<number> {
  const tokens = await store.listTokens();
  const rows = [
    ['ID', 'KIND', 'SUBJECT', 'CREATED', 'REVOKED'],
    ...tokens.map((t) => [t.id, t.kind, t.subject, t.createdAt, t.revokedAt ?? '-']),
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length))) ?? [];
  await printOut(
    rows
      .map((row) =>
        row
          .map((cell, i) => cell.padEnd(widths[i] ?? 0))
          .join('  ')
          .trimEnd(),
      )
      .join('\n'),
  );
  return 0;
}

async function revoke(store: CollectorStore, values: Values): Promise<number> {
  const id = values['token-id'];
  const { agent } = values;
  if ((id === undefined) === (agent === undefined))
    throw usage('token revoke needs --token-id ID or --agent ID (one of them)');
  const { revoked } = await store.revokeToken(id !== undefined ? { id } : { agent: agent as string });
  await printOut(`revoked ${revoked} token${revoked === 1 ? '' : 's'}`);
  if (revoked === 0) {
    process.stderr.write(`no active token ${id !== undefined ? `with id ${id}` : `of agent ${agent}`}\n`);
    return 3;
  }
  return 0;
}
