// Which language a command speaks: --lang (the last one, before "--"), else BACKUP321_LANG, else English.
import t from 'tap';
import { langOption, messageLang } from '../../src/cli/lang.js';

t.test('the language of messages, read from a command line not yet parsed', async (t) => {
  t.equal(messageLang(['--bogus', '--lang', 'vi'], {}), 'vi');
  t.equal(messageLang(['--lang=vi', '-c', 'x.json'], {}), 'vi');
  t.equal(messageLang(['--lang', 'vi', '--lang', 'en'], {}), 'en', 'the last one, as the parser takes it');
  t.equal(messageLang(['--', '--lang', 'vi'], {}), 'en', 'not after "--"');
  t.equal(
    messageLang(['--lang', 'fr'], { BACKUP321_LANG: 'vi' }),
    'vi',
    'a value that is no language: the environment',
  );
  t.equal(messageLang(['--lang'], {}), 'en', 'no value at all');
  t.equal(messageLang([], { BACKUP321_LANG: 'vi' }), 'vi');
  t.equal(messageLang([], { BACKUP321_LANG: 'vi_VN.UTF-8' }), 'en', 'only en or vi');
});

t.test("a command's --lang, checked", async (t) => {
  t.equal(langOption(undefined, {}), 'en');
  t.equal(langOption(undefined, { BACKUP321_LANG: '' }), 'en', 'an empty variable is an unset one');
  t.equal(langOption(undefined, { BACKUP321_LANG: 'vi' }), 'vi');
  t.equal(langOption('en', { BACKUP321_LANG: 'vi' }), 'en', '--lang wins');
  t.equal(langOption('vi', { BACKUP321_LANG: 'fr' }), 'vi', '--lang wins over a bad variable too');
  t.throws(() => langOption('fr', {}), { code: 'B321_USAGE', message: '--lang must be one of: en, vi (got "fr")' });
  t.throws(() => langOption(undefined, { BACKUP321_LANG: 'fr' }), {
    code: 'B321_USAGE',
    message: 'BACKUP321_LANG must be one of: en, vi (got "fr")',
  });
});
