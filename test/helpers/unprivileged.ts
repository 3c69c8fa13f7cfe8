// Runs TypeScript in a child process that file modes apply to, wherever the checkout is.
//
// Root reads through any mode, so a permission case (EACCES) needs a child without that power, and the
// child still has to reach the checkout: tap's TypeScript loader, node_modules, src/. A user such as
// "nobody" cannot when the checkout sits in a directory only its owner may enter (root's home, a
// `mktemp -d` folder: mode 0700). So the child runs as the checkout's owner: root without the two
// capabilities that bypass file modes (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, dropped with util-linux's
// setpriv), or the owning user when that is not root. Under another user the tests run as they are.
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const CHECKOUT = fileURLToPath(new URL('../..', import.meta.url));
const LOADER = new URL('../../node_modules/@tapjs/typescript/dist/esm/import.mjs', import.meta.url).href;
const WITHOUT_OVERRIDE = ['--bounding-set', '-dac_override,-dac_read_search', '--'];

export interface UnprivilegedChild {
  /** Who the child runs as, in words, for comments. */
  who: string;
  /** `node --import <tap's TypeScript loader> ...args`, to its end; stdout and stderr as text. */
  runTypeScript(args: string[]): SpawnSyncReturns<string>;
}

/** The way to start a child that file modes apply to, or why there is none here (a reason to skip). */
export function unprivilegedChild(): UnprivilegedChild | string {
  // Without tap's coverage hooks (NODE_OPTIONS, _TAPJS_*): the child need not write into .tap, and
  // through env(1), because tap's processinfo re-injects its hooks into any node it sees spawned.
  const env: NodeJS.ProcessEnv = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => key !== 'NODE_OPTIONS' && !key.startsWith('_TAPJS')),
  );
  env.TS_NODE_TRANSPILE_ONLY = '1';
  const node = ['/usr/bin/env', '-u', 'NODE_OPTIONS', process.execPath, '--import', LOADER];
  const run =
    (prefix: string[], ids: { uid?: number; gid?: number } = {}) =>
    (args: string[]) => {
      const [command, ...rest] = [...prefix, ...node, ...args] as [string, ...string[]];
      return spawnSync(command, rest, { ...ids, env, encoding: 'utf8', timeout: 60_000 });
    };
  if (process.getuid?.() !== 0) return { who: `uid ${process.getuid?.()}, as the tests run`, runTypeScript: run([]) };
  const owner = statSync(CHECKOUT);
  if (owner.uid !== 0) {
    return {
      who: `uid ${owner.uid}, the checkout's owner`,
      runTypeScript: run([], { uid: owner.uid, gid: owner.gid }),
    };
  }
  const probe = spawnSync('setpriv', [...WITHOUT_OVERRIDE, 'true'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    const why = probe.error?.message ?? probe.stderr.trim();
    return `root owns the checkout, and setpriv cannot drop CAP_DAC_OVERRIDE here (${why})`;
  }
  return {
    who: 'root without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH',
    runTypeScript: run(['setpriv', ...WITHOUT_OVERRIDE]),
  };
}
