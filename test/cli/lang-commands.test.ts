// What the commands say about their own input and running, in Vietnamese (--lang vi, or BACKUP321_LANG=vi set
// once): usage errors (before and after the options are read), the report file, a failed run, the refusals and
// notes of `media` and `drill`, and `demo`'s note. Exit codes are those of English; paths and values stay as given.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { runCli } from '../helpers/cli.js';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/** A valid config over a real, empty backup directory. */
function configFile(t: Test): string {
  const dir = t.testdir({ backup: {}, state: {} });
  const file = join(dir, 'agent.json');
  writeFileSync(
    file,
    JSON.stringify({
      agent: { id: 'erp-01', stateDir: join(dir, 'state') },
      locations: [{ id: 'local', type: 'disk', path: join(dir, 'backup') }],
      datasets: [{ id: 'erp-db', copies: { local: 'erp/*.dump' } }],
    }),
  );
  return file;
}

interface Case {
  name: string;
  args: string[];
  /** Where `--lang vi` goes in `args` (default: at the end). */
  at?: number;
  code: number;
  stderr: string | RegExp;
}

/** Each case twice: with `--lang vi` in its arguments, and with BACKUP321_LANG=vi instead. */
async function expectVietnamese(t: Test, cases: Case[]): Promise<void> {
  const runs = await Promise.all(
    cases.flatMap(({ args, at = args.length }) => [
      runCli([...args.slice(0, at), '--lang', 'vi', ...args.slice(at)]),
      runCli(args, { env: { BACKUP321_LANG: 'vi' } }),
    ]),
  );
  cases.forEach((c, i) => {
    for (const [how, run] of [
      ['--lang vi', runs[2 * i]],
      ['BACKUP321_LANG=vi', runs[2 * i + 1]],
    ] as const) {
      t.equal(run?.code, c.code, `${c.name} (${how}): exit ${c.code}`);
      t.match(run?.stderr, c.stderr, `${c.name} (${how})`);
    }
  });
}

t.test('usage errors, also those found before the options are read', async (t) => {
  const config = configFile(t);
  await expectVietnamese(t, [
    {
      name: 'an unknown option',
      args: ['verify', '--bogus'],
      code: 3,
      stderr: "backup321 verify: không có tùy chọn '--bogus'\n",
    },
    {
      name: 'an option without its value',
      args: ['inventory', '-c', config, '--format'],
      at: 1,
      code: 3,
      stderr: "backup321 inventory: tùy chọn '-f, --format <value>' thiếu giá trị\n",
    },
    {
      name: 'a switch given a value',
      args: ['verify', '--deep=yes'],
      code: 3,
      stderr: "backup321 verify: tùy chọn '--deep' không nhận giá trị\n",
    },
    {
      name: 'a value not allowed',
      args: ['verify', '-c', config, '--format', 'pdf'],
      code: 3,
      stderr:
        'backup321 verify: --format phải là một trong các giá trị: text, json, markdown, junit, html, summary (nhận được "pdf")\n',
    },
    {
      name: 'a dataset the config does not have',
      args: ['verify', '-c', config, '-d', 'crm'],
      code: 3,
      stderr: 'backup321 verify: không có tập dữ liệu "crm"; cấu hình có: erp-db\n',
    },
    { name: 'an unknown command', args: ['restore'], code: 3, stderr: 'backup321: không có lệnh "restore"\n' },
    {
      name: 'the agent without its config file',
      args: ['agent', '--config', '/nonexistent/agent.json'],
      code: 3,
      stderr:
        /^backup321 agent: tệp cấu hình \/nonexistent\/agent\.json không hợp lệ: 1 vấn đề\n.*không đọc được tệp cấu hình/s,
    },
  ]);
  const equals = await runCli(['config', 'check', '--bogus', '--lang=vi']);
  t.match(equals, { code: 3, stderr: "backup321 config: không có tùy chọn '--bogus'\n" }, '--lang=vi is read too');
});

t.test('the report file: refused before the run, named as given, in Vietnamese', async (t) => {
  const config = configFile(t);
  const missing = join(t.testdir({}), 'no', 'such', 'report.json');
  await expectVietnamese(t, [
    {
      name: 'a directory that does not exist',
      args: ['verify', '-c', config, '-o', missing],
      code: 3,
      stderr: `backup321 verify: không ghi được ${missing}: thư mục ${join(missing, '..')} không tồn tại\n`,
    },
  ]);
});

t.test('media: a failed run, the refusals and the notes', async (t) => {
  const dir = t.testdir({ 'a.dump': 'original' });
  const log = join(dir, 'media.jsonl');
  const file = join(dir, 'a.dump');
  const write = ['media', 'write', '--log', log, '--media', 'U1', '--type', 'removable-disk', '--dataset', 'mail'];
  t.equal((await runCli([...write, file])).code, 0);
  t.equal((await runCli(['media', 'retire', '--log', log, '--media', 'OLD', '--type', 'tape'])).code, 0);
  await expectVietnamese(t, [
    {
      name: 'a file that is not there',
      args: [...write, join(dir, 'missing.dump')],
      code: 3,
      stderr: `backup321 media: không chạy được: không có tệp hoặc thư mục này (ENOENT, stat '${join(dir, 'missing.dump')}')\n`,
    },
    {
      name: 'retired media',
      args: ['media', 'online', '--log', log, '--media', 'OLD'],
      code: 3,
      stderr: `backup321 media: phương tiện OLD đã ngừng sử dụng (${log}:2); phương tiện dùng lại phải có mã mới\n`,
    },
    {
      name: 'an unknown media id',
      args: ['media', 'offline', '--log', log, '--media', 'U2'],
      code: 3,
      stderr: `backup321 media: phương tiện U2 chưa có sự kiện "written" nào trong ${log}; kiểm tra lại mã`,
    },
    {
      name: 'an unknown action',
      args: ['media', 'eject', '--media', 'U1'],
      code: 3,
      stderr: 'backup321 media: không có thao tác "eject" (dùng write, verify, offline, online, retire)\n',
    },
  ]);
  writeFileSync(file, 'bit rot');
  await expectVietnamese(t, [
    {
      name: 'a checksum read back different from the written one',
      args: ['media', 'verify', '--log', log, '--media', 'U1', file],
      code: 1,
      stderr: `media verify: a.dump trên U1 hiện có mã băm ${sha('bit rot')}, nhưng lúc ghi là ${sha('original')}\n`,
    },
  ]);
});

t.test('drill record: dates refused by the flag the operator typed', async (t) => {
  const log = join(t.testdir({}), 'drills.jsonl');
  const drill = ['drill', 'record', '--log', log, '--dataset', 'erp-db', '--result', 'success'];
  await expectVietnamese(t, [
    {
      name: 'a date that does not exist',
      args: [...drill, '--started', '2026-02-30T08:00:00Z', '--finished', '2026-03-01T08:00:00Z'],
      code: 3,
      stderr:
        'backup321 drill: --started "2026-02-30T08:00:00Z" không phải là ngày có thật: tháng 2026-02 có 28 ngày\n',
    },
    {
      name: 'a drill finishing in the future',
      args: [...drill, '--started', '2062-11-20T08:00:00Z', '--finished', '2062-11-20T09:00:00Z'],
      code: 3,
      stderr:
        /^backup321 drill: --finished 2062-11-20T09:00:00\.000Z muộn hơn đồng hồ của máy này \(\S+\) quá 5 phút; một lần diễn tập không thể kết thúc trong tương lai\n$/,
    },
    {
      name: 'a missing flag',
      args: ['drill', 'record', '--log', log],
      code: 3,
      stderr: 'backup321 drill: bắt buộc phải có --dataset\n',
    },
  ]);
});

t.test('demo: the note after the report', async (t) => {
  const run = await runCli(['demo', '--lang', 'vi']);
  t.equal(run.code, 0);
  t.match(
    run.stderr,
    /\ndemo: `backup321 verify` sẽ thoát với mã 2 cho môi trường mẫu này; môi trường mẫu đã được xóa\n$/,
  );
});

t.test('BACKUP321_LANG that is no language is refused; --lang wins over it; English is the default', async (t) => {
  const config = configFile(t);
  const refused = await runCli(['config', 'check', '-c', config], { env: { BACKUP321_LANG: 'fr' } });
  t.match(refused, { code: 3, stderr: 'backup321 config: BACKUP321_LANG must be one of: en, vi (got "fr")\n' });
  const chosen = await runCli(['config', 'check', '-c', config, '--lang', 'vi'], { env: { BACKUP321_LANG: 'fr' } });
  t.match(chosen, { code: 0, stdout: `${config}: hợp lệ\n` });
  const english = await runCli(['verify', '--bogus']);
  t.match(english, { code: 3, stderr: "backup321 verify: Unknown option '--bogus'\n" });
});
