// How a command that stopped says why, in each language: a config's problems, a usage error, its own failure
// ("could not run" with the catalog's words), and a system error by its parts.
import t from 'tap';
import { errorText, problemLine } from '../../src/cli/problem-lines.js';
import { configProblem } from '../../src/config/problem.js';
import { ConfigError, LocalizedError, UsageError } from '../../src/errors.js';
import { msg } from '../../src/messages/index.js';

t.test('a config error: the file, how many problems, and each with its JSON path and hint', async (t) => {
  const duplicate = configProblem('datasets[1].id', 'config.duplicate-dataset-id', { id: 'erp-db' });
  const error = new ConfigError('/etc/backup321/agent.json', [
    configProblem('', 'config.unreadable-file', { error: 'boom' }),
    duplicate,
  ]);
  t.equal(errorText('en', error), `invalid config ${error.message}`, 'English: as it always read');
  t.equal(
    errorText('vi', error),
    'tệp cấu hình /etc/backup321/agent.json không hợp lệ: 2 vấn đề\n' +
      '  (toàn bộ tệp): không đọc được tệp cấu hình: boom — chỉ định một tệp có thật bằng --config (xem agent.config.example.json)\n' +
      '  datasets[1].id: mã tập dữ liệu "erp-db" được dùng nhiều lần — đặt cho mỗi tập dữ liệu một mã riêng',
  );
  t.equal(
    problemLine('en', duplicate),
    'datasets[1].id: dataset id "erp-db" is used more than once — give every dataset its own id',
  );
});

t.test('a usage error is the sentence alone; a failure of the command is "could not run"', async (t) => {
  const usage = new UsageError(msg('usage.required', { name: 'media' }));
  t.equal(errorText('vi', usage), 'bắt buộc phải có --media');
  const held = new LocalizedError(msg('log.lock-held', { lock: '/var/log/m.jsonl.lock', holder: '42@erp-01' }));
  t.equal(
    errorText('en', held),
    'could not run: /var/log/m.jsonl.lock is held by 42@erp-01; if no backup321 command is running, delete it',
  );
  t.equal(
    errorText('vi', held),
    'không chạy được: /var/log/m.jsonl.lock đang do 42@erp-01 giữ; nếu không có lệnh backup321 nào đang chạy, hãy xóa tệp này',
  );
});

t.test(
  "a system error by its parts, Node's own words kept in English and for what the catalog does not know",
  async (t) => {
    const denied = Object.assign(new Error("EACCES: permission denied, open '/var/lib/backup321/x'"), {
      code: 'EACCES',
      syscall: 'open',
      path: '/var/lib/backup321/x',
    });
    t.equal(errorText('en', denied), `could not run: ${denied.message}`);
    t.equal(errorText('vi', denied), "không chạy được: không có quyền truy cập (EACCES, open '/var/lib/backup321/x')");
    const renamed = Object.assign(new Error("EACCES: permission denied, rename '/a' -> '/b'"), {
      code: 'EACCES',
      syscall: 'rename',
      path: '/a',
      dest: '/b',
    });
    t.equal(
      errorText('vi', renamed),
      `không chạy được: ${renamed.message}`,
      'a message the template would not rebuild',
    );
    t.equal(errorText('vi', new Error('socket hang up')), 'không chạy được: socket hang up');
  },
);
