// `backup321 inventory`: one row per copy with the columns an operator scans, or the copies as JSON.
import t from 'tap';
import type { Copy } from '../../src/model.js';
import { renderInventory } from '../../src/report/render/index.js';
import { renderInventoryChunks } from '../../src/report/render/inventory.js';
import { copy, SHA_B } from './fixture.js';

const assessed = [
  copy('erp-db', 'local', '/backup/erp/a.dump', { sha256: SHA_B }),
  copy('mail', 'nas', '/mnt/nas/mail/\x1b]0;x', { sha256: undefined, medium: 'network-share', bytes: 512 }),
];
// Inventory also runs before any policy, on plain copies.
const plain: Copy[] = assessed.map(({ assessment: _assessment, ...rest }) => rest);

t.test('the table has dataset, location, path, size, modified, sha256 or "unverified", medium, device', async (t) => {
  const lines = renderInventory(plain, 'text', { lang: 'en' }).trimEnd().split('\n');
  t.match(lines[0], /^Dataset +Location +Path +Size +Modified +SHA-256 +Medium +Device$/);
  t.match(
    lines[1],
    new RegExp(
      `^erp-db +local +/backup/erp/a\\.dump +1\\.5 GB +2026-11-24T01:00:00\\.000Z +${SHA_B} +disk +dev-local$`,
    ),
  );
  t.match(lines[2], /^mail +nas +\/mnt\/nas\/mail\/\\x1b\]0;x +512 B +\S+ +unverified +network share +dev-nas$/);
  t.notOk(lines.join('\n').includes('\x1b'), 'no raw escape from a file name');
});

t.test('Vietnamese headings, bold header only with colour, and an empty inventory says so', async (t) => {
  const vi = renderInventory(assessed, 'text', { lang: 'vi', color: true });
  t.ok(vi.startsWith('\x1b[1mTập dữ liệu'), 'a bold header');
  t.match(vi, /^\S+Tập dữ liệu +Vị trí +Đường dẫn/);
  t.match(vi, 'chưa xác minh');
  t.equal(renderInventory([], 'text', { lang: 'vi' }), 'Không tìm thấy bản sao nào.\n');
});

t.test('json is the copies themselves, for scripts', async (t) => {
  t.same(JSON.parse(renderInventory(assessed, 'json', { lang: 'en' })), JSON.parse(JSON.stringify(assessed)));
});

t.test('json: the copies exactly as JSON.stringify writes them, in pieces of bounded size', async (t) => {
  const copies = Array.from({ length: 5_000 }, (_, i) => copy('erp', 'local', `/backup/erp/${i}.dump`));
  const pieces = [...renderInventoryChunks(copies, 'json', { lang: 'en' })];
  t.equal(pieces.join(''), `${JSON.stringify(copies, null, 2)}\n`);
  t.ok(pieces.length > 10, `${pieces.length} pieces`);
  t.equal(renderInventory(copies, 'json', { lang: 'en' }), pieces.join(''));
});
