#!/usr/bin/env -S node --initial-old-space-size=256 --expose-gc
// The `backup321` command: dispatches to one file per subcommand; any failure to run exits 3 (unknown).
// The flags: a verify's copies grow the heap, and a small initial old generation ran full GCs for that
// growth alone. It is where full GCs start, not memory taken up front. --expose-gc: the agent collects a
// run's garbage once it ends, or an idle agent keeps it for 15 minutes. `env -S`: coreutils 8.30, util-linux.
import { ConfigError, errorMessage, UsageError } from '../errors.js';
import { type Message, messageText, msg } from '../messages/index.js';
import { PRODUCT_VERSION } from '../version.js';
import { messageLang } from './lang.js';
import { printOut } from './output.js';
import { errorText } from './problem-lines.js';

const HELP = `backup321 ${PRODUCT_VERSION} — proves that backups meet the 3-2-1 rule and the restore target

Usage: backup321 <command> [options]   (backup321 <command> --help for its options)

Commands:
  verify          check every dataset; exit 0 compliant, 1 at-risk, 2 non-compliant, 3 unknown
  inventory       list every copy found, with checksum, medium and device
  config check    validate a config file: every problem with its JSON path and a hint
  media           record offline-media events: write, offline, online, verify, retire
  drill record    record a restore drill
  demo            build a demo estate in a temporary directory and verify it
  agent           the 24/7 service: verifies on schedule and on change, reports to the collector
  collector       the central collector: receives the agents' reports, serves the fleet's state

Environment:
  BACKUP321_CONFIG  the config file when --config is not given
  BACKUP321_LANG    en or vi: the language of reports, errors and notes when --lang is not given
`;

type Command = (args: string[]) => Promise<number>;

// Each command is loaded when called: `media offline` should not pay for the S3 SDK at start-up.
const COMMANDS: Record<string, () => Promise<Command>> = {
  verify: async () => (await import('./verify.js')).runVerifyCommand,
  inventory: async () => (await import('./inventory.js')).runInventoryCommand,
  config: async () => (await import('./config-check.js')).runConfigCommand,
  media: async () => (await import('./media.js')).runMediaCommand,
  drill: async () => (await import('./drill.js')).runDrillCommand,
  demo: async () => (await import('./demo.js')).runDemoCommand,
  agent: async () => (await import('./agent.js')).runAgentCommand,
  collector: async () => (await import('./collector.js')).runCollectorCommand,
};

export async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  // Known before any option is parsed, so that an unknown option is refused in the user's language too.
  const lang = messageLang(args);
  const say = (text: Message) => messageText(lang, text);
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    await printOut(HELP);
    return command === undefined ? 3 : 0;
  }
  if (command === '--version' || command === '-V') {
    await printOut(PRODUCT_VERSION);
    return 0;
  }
  const load = COMMANDS[command];
  if (!load) {
    process.stderr.write(`backup321: ${say(msg('cli.unknown-command', { command }))}\n\n${HELP}`);
    return 3;
  }
  try {
    const run = await load();
    return await run(args);
  } catch (error) {
    process.stderr.write(`backup321 ${command}: ${errorText(lang, error)}\n`);
    if (process.env.BACKUP321_DEBUG && !(error instanceof ConfigError || error instanceof UsageError)) {
      process.stderr.write(`${(error as Error).stack}\n`);
    }
    return 3;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`backup321: ${errorMessage(error)}\n`);
    process.exitCode = 3;
  },
);
