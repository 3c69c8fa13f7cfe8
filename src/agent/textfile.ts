// The metrics page as a file for node_exporter's textfile collector (--textfile DIR). The collector
// reads *.prom whenever it is scraped, so the page is written under another name in the same
// directory and renamed over the old one: a scrape sees the old page or the new, never half of one.
import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';

export const TEXTFILE_NAME = 'backup321.prom';

export async function writeTextfile(dir: string, page: string): Promise<string> {
  const target = join(dir, TEXTFILE_NAME);
  // Not ending in .prom, so the collector never reads it; random, so two writers never share it.
  const temporary = join(dir, `.${TEXTFILE_NAME}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const file = await open(temporary, 'wx');
    try {
      // Readable by node_exporter, which runs as its own user, whatever the agent's umask.
      await file.chmod(0o644);
      await file.writeFile(page, 'utf8');
      // On disk before the rename, so a crash leaves the old page or the new one, never an empty file.
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, target);
  } catch (error) {
    await unlink(temporary).catch(() => {});
    throw error;
  }
  return target;
}
