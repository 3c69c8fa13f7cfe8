// Config problems in Vietnamese: `verify`, `inventory` and `config check` with --lang vi, or BACKUP321_LANG=vi
// set once, name each problem's JSON path in Vietnamese words with its hint; exit codes are those of English.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { runCli } from '../helpers/cli.js';

type Entry = Record<string, unknown>;
/** "${B321_SURELY_UNSET}", written so that no linter takes it for a template. */
const UNSET = ['$', '{B321_SURELY_UNSET}'].join('');

/** A config over a real backup directory, as `change` leaves it (or `text` as it is), in its own test directory. */
function configFile(
  t: Test,
  change: (config: Entry & { agent: Entry; locations: Entry[] }, dir: string) => void,
  text?: string,
): string {
  const dir = t.testdir({ backup: {}, state: {} });
  const config = {
    agent: { id: 'erp-01', stateDir: join(dir, 'state') } as Entry,
    locations: [{ id: 'local', type: 'disk', path: join(dir, 'backup') } as Entry],
    datasets: [{ id: 'erp-db', copies: { local: 'erp/*.dump' } }],
  };
  change(config, dir);
  const file = join(dir, 'agent.json');
  writeFileSync(file, text ?? JSON.stringify(config, null, 2));
  return file;
}

/** The same command with --lang vi and with BACKUP321_LANG=vi: both must say the same. */
async function inVietnamese(args: string[]) {
  const [flag, environment] = await Promise.all([
    runCli([...args, '--lang', 'vi']),
    runCli(args, { env: { BACKUP321_LANG: 'vi' } }),
  ]);
  return { flag, environment };
}

t.test('verify on schema and cross-check problems: each JSON path with the Vietnamese sentence and hint', async (t) => {
  const file = configFile(t, (config) => {
    config.policy = { rpo: '1 day', minCopies: 'three' };
    (config.locations[0] as Entry).pathh = '/srv';
    config.locations.push({ id: 'local', type: 'offline-log', path: 'media.jsonl' });
    config.report = { endpoint: 'https://KEY:SECRET@collector.example/api' };
  });
  const english = await runCli(['verify', '-c', file]);
  t.equal(english.code, 3);
  for (const run of Object.values(await inVietnamese(['verify', '-c', file]))) {
    t.equal(run.code, 3, 'exit 3, as in English');
    t.match(run.stderr, `backup321 verify: tệp cấu hình ${file} không hợp lệ: 5 vấn đề`);
    t.match(run.stderr, '  policy.rpo: "1 day" không hợp lệ ở đây — ghi khoảng thời gian như "24h", "90m" hoặc "7d"');
    t.match(run.stderr, '  policy.minCopies: phải là một số nguyên — giá trị hiện tại là chuỗi "three"');
    t.match(run.stderr, '  locations[0].pathh: khóa "pathh" không được hỗ trợ — có phải ý bạn là "path"?');
    t.match(run.stderr, '  locations[1].id: mã vị trí "local" được dùng nhiều lần — đặt cho mỗi vị trí một mã riêng');
    t.match(run.stderr, '  report.endpoint: URL chứa thông tin xác thực: tên người dùng và mật khẩu trước "@" — bỏ');
    t.notMatch(run.stderr, /must be|is not valid|unknown key|SECRET/);
  }
});

t.test('a file that is not JSON: line, column and JSON path in Vietnamese, from config check and verify', async (t) => {
  const file = configFile(t, () => {}, '{\n  "agent": { "id": "a", },\n  "locations": []\n}\n');
  const { flag, environment } = await inVietnamese(['config', 'check', '-c', file]);
  for (const run of [flag, environment]) {
    t.equal(run.code, 3);
    t.equal(
      run.stdout,
      'lỗi: agent: không phải JSON hợp lệ tại dòng 2, cột 23: có dấu phẩy ngay trước "}" — ' +
        'xóa dấu phẩy đó: JSON không cho phép dấu phẩy sau mục cuối cùng\n' +
        `${file}: có 1 lỗi\n`,
    );
  }
  const verify = await inVietnamese(['verify', '-c', file]);
  for (const run of Object.values(verify)) {
    t.equal(run.code, 3);
    t.match(run.stderr, 'agent: không phải JSON hợp lệ tại dòng 2, cột 23: có dấu phẩy ngay trước "}"');
  }
});

t.test('a config file that is not there: the system error in Vietnamese, its code and path as they are', async (t) => {
  const missing = join(t.testdir({}), 'nowhere.json');
  for (const run of Object.values(await inVietnamese(['inventory', '-c', missing]))) {
    t.equal(run.code, 3);
    t.match(
      run.stderr,
      `  (toàn bộ tệp): không đọc được tệp cấu hình: không có tệp hoặc thư mục này (ENOENT, open '${missing}') — ` +
        'chỉ định một tệp có thật bằng --config',
    );
  }
});

t.test(
  'config check on this machine: an unset variable, a missing directory, a state directory, the summary',
  async (t) => {
    const invalid = configFile(t, (config) => {
      config.locations.push({ id: 'nas', type: 'disk', path: `/srv/${UNSET}/backup` });
      config.locations.push({ id: 'gone', type: 'disk', path: '/nonexistent/backup321/nas' });
    });
    for (const run of Object.values(await inVietnamese(['config', 'check', '-c', invalid]))) {
      t.equal(run.code, 3);
      t.match(
        run.stdout,
        'lỗi: locations[1].path: biến môi trường B321_SURELY_UNSET chưa được đặt — ' +
          'đặt B321_SURELY_UNSET trong môi trường của dịch vụ, hoặc ghi thẳng giá trị thay cho ' +
          `${UNSET}\n`,
      );
      t.match(
        run.stdout,
        'lỗi: locations[2].path: thư mục /nonexistent/backup321/nas không tồn tại — ' +
          'tạo thư mục, gắn (mount) ổ chứa nó, hoặc sửa lại đường dẫn\n',
      );
      t.match(run.stdout, `\n${invalid}: có 2 lỗi\n`);
    }

    const unwritable = configFile(t, (config, dir) => {
      config.agent.stateDir = join(dir, 'agent.json', 'state');
    });
    for (const run of Object.values(await inVietnamese(['config', 'check', '-c', unwritable]))) {
      t.equal(run.code, 3);
      t.match(
        run.stdout,
        `lỗi: agent.stateDir: không tạo được ${join(unwritable, 'state')}: ${unwritable} không phải là thư mục — ` +
          'chọn một thư mục mà người dùng này ghi được',
      );
    }

    const valid = configFile(t, (config) => {
      config.locations.push({ id: 'vault', type: 'offline-log', path: 'media.jsonl' });
    });
    for (const run of Object.values(await inVietnamese(['config', 'check', '-c', valid]))) {
      t.equal(run.code, 0, 'a warning leaves the config valid');
      t.match(
        run.stdout,
        /^cảnh báo: locations\[1\]\.path: nhật ký phương tiện ngoại tuyến \S+media\.jsonl không tồn tại — ghi nhận phương tiện bằng/,
      );
      t.match(run.stdout, `\n${valid}: hợp lệ (1 cảnh báo)\n`);
    }
  },
);

t.test('config check --format json keeps the English words and adds each problem code and params', async (t) => {
  const file = configFile(t, (config) => {
    config.policy = { rpo: '1 day' };
  });
  const run = await runCli(['config', 'check', '-c', file, '--format', 'json', '--lang', 'vi']);
  t.equal(run.code, 3);
  t.match(JSON.parse(run.stdout), {
    valid: false,
    problems: [
      {
        path: 'policy.rpo',
        message: '"1 day" is not valid here',
        hint: 'write a duration such as "24h", "90m" or "7d"',
        code: 'config.not-valid-here',
        params: { value: '"1 day"', advice: { code: 'config.write.duration' } },
      },
    ],
  });
});

t.test('English stays the default, and --lang en wins over BACKUP321_LANG', async (t) => {
  const file = configFile(t, (config) => {
    config.policy = { rpo: '1 day' };
  });
  const plain = await runCli(['config', 'check', '-c', file]);
  const overridden = await runCli(['config', 'check', '-c', file, '--lang', 'en'], { env: { BACKUP321_LANG: 'vi' } });
  for (const run of [plain, overridden]) {
    t.equal(run.code, 3);
    t.match(run.stdout, 'error: policy.rpo: "1 day" is not valid here — write a duration such as "24h"');
    t.match(run.stdout, `${file}: 1 error`);
  }
});
