// The CLI shows times in the machine's zone (TZ, else /etc/localtime) in human formats; JSON stays UTC.
import t from 'tap';
import { buildDemoEstate } from '../../src/demo/estate.js';
import type { Report } from '../../src/model.js';
import { runCli } from '../helpers/cli.js';

const LOCAL = /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+07:00/;

t.test('with TZ=Asia/Ho_Chi_Minh, text, markdown, html and inventory show +07:00 times', async (t) => {
  const { configFile } = buildDemoEstate(t.testdir(), new Date());
  const env = { TZ: 'Asia/Ho_Chi_Minh' };
  const text = await runCli(['verify', '-c', configFile], { env });
  t.match(text.stdout, new RegExp(`Generated: ${LOCAL.source}`), 'text: the header');
  const markdown = await runCli(['verify', '-c', configFile, '-f', 'markdown'], { env });
  t.match(markdown.stdout, new RegExp(`\\*\\*Generated\\*\\*: ${LOCAL.source}`), 'markdown: the header');
  const html = await runCli(['verify', '-c', configFile, '-f', 'html', '--lang', 'vi'], { env });
  t.match(html.stdout, new RegExp(`<td>Thời điểm lập</td><td>${LOCAL.source}</td>`), 'html: the header');
  const inventory = await runCli(['inventory', '-c', configFile], { env });
  t.match(inventory.stdout.split('\n')[1], LOCAL, 'inventory: each copy modified');
  const json = JSON.parse((await runCli(['verify', '-c', configFile, '-f', 'json'], { env })).stdout) as Report;
  t.match(json.generatedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, 'json: UTC as stored');
  const utc = await runCli(['verify', '-c', configFile], { env: { TZ: 'UTC' } });
  t.match(utc.stdout, /Generated: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00:00/, 'TZ=UTC: the offset says UTC');
});
