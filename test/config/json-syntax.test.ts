// A config that is not JSON: every mistake is named with its line, column and JSON path, in our words.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { findJsonSyntaxError } from '../../src/config/json-syntax.js';
import { loadConfigWithProblems } from '../../src/config/load.js';

const cases: Array<{
  name: string;
  text: string;
  line: number;
  column: number;
  path: string;
  message: RegExp | string;
}> = [
  {
    name: 'a comma after the last key',
    text: '{\n  "agent": { "id": "a", },\n  "locations": []\n}',
    line: 2,
    column: 23,
    path: 'agent',
    message: /a comma before "}"/,
  },
  {
    name: 'a comma after the last item',
    text: '{ "locations": [\n  {"id": "a"},\n] }',
    line: 2,
    column: 14,
    path: 'locations',
    message: /a comma before "]"/,
  },
  {
    name: 'a missing comma between two keys',
    text: '{\n  "agent": {\n    "id": "a"\n    "stateDir": "/s"\n  }\n}',
    line: 4,
    column: 5,
    path: 'agent.id',
    message: 'expected "," or "}" after this value, found "stateDir"',
  },
  {
    name: 'a file cut short',
    text: '{\n  "agent": { "id": "a" },\n  "locations": [\n    { "id": "l", "type": "disk"',
    line: 4,
    column: 32,
    path: 'locations[0]',
    message: /the file ends inside the object opened at line 4, column 5/,
  },
  {
    name: 'a misspelt literal',
    text: '{ "policy": {\n  "countPrimary": tru\n} }',
    line: 2,
    column: 19,
    path: 'policy.countPrimary',
    message: /the bare word "tru"/,
  },
  {
    name: 'a comment',
    text: '{\n  // the agent\n  "agent": {}\n}',
    line: 2,
    column: 3,
    path: '',
    message: /JSON has no comments/,
  },
  {
    name: 'an unquoted key',
    text: '{ "agent": { id: "a" } }',
    line: 1,
    column: 14,
    path: 'agent',
    message: /expected a key in double quotes, found "id"/,
  },
  {
    name: 'single quotes',
    text: '{ "agent": { "id": \'a\' } }',
    line: 1,
    column: 20,
    path: 'agent.id',
    message: /single quotes/,
  },
  {
    name: 'a Windows path with single backslashes',
    text: '{ "locations": [ { "path": "D:\\data" } ] }',
    line: 1,
    column: 31,
    path: 'locations[0].path',
    message: 'the escape "\\d" is not valid JSON',
  },
  {
    name: 'a string left open at the end of its line',
    text: '{ "agent": { "id": "a\n} }',
    line: 1,
    column: 22,
    path: 'agent.id',
    message: /a line break inside the string that starts at line 1, column 20/,
  },
  {
    name: 'a number with a leading zero',
    text: '{ "agent": { "hashWorkers": 04 } }',
    line: 1,
    column: 29,
    path: 'agent.hashWorkers',
    message: /"04" is not a JSON number/,
  },
  { name: 'an empty file', text: '\n  \n', line: 3, column: 1, path: '', message: /the file is empty/ },
  {
    name: 'two documents',
    text: '{ "agent": {} }\n{ "locations": [] }',
    line: 2,
    column: 1,
    path: '',
    message: /more text after the end of the document/,
  },
  {
    name: 'a missing colon',
    text: '{ "agent" { } }',
    line: 1,
    column: 11,
    path: 'agent',
    message: /expected ":" after the key "agent", found "{"/,
  },
];

t.test('each kind of mistake: line, column, JSON path and a sentence of our own', async (t) => {
  for (const c of cases) {
    t.throws(() => JSON.parse(c.text), `${c.name}: JSON.parse refuses it too`);
    t.match(findJsonSyntaxError(c.text), { line: c.line, column: c.column, path: c.path, message: c.message }, c.name);
  }
});

t.test('valid JSON has no syntax error, whatever it holds', async (t) => {
  const texts = [
    readFileSync('agent.config.example.json', 'utf8'),
    '{"a": [1, -2.5e+3, 0, "x\\u00e9\\n\\"", true, false, null, {}, []]}',
    '"just a string"',
    ' 42 ',
  ];
  for (const text of texts) t.equal(findJsonSyntaxError(text), undefined, text.slice(0, 30));
});

t.test('the config loader names the place, never copies the file into the message', async (t) => {
  const secret = '"report": { "endpoint": "https://c.example" }';
  const dir = t.testdir({
    'bare-word.json': `{ ${secret},\n  "agent": { "id": "a", "hashWorkers": four } }`,
    'cut.json': '{\n  "agent": { "id": "a" },\n  "datasets": [',
    'bom.json': '\uFEFF{ "agent": { "id": "a" }, "locations": [], "datasets": [] }',
  });
  const bare = (await loadConfigWithProblems(join(dir, 'bare-word.json'))).problems;
  t.match(bare, [
    {
      path: 'agent.hashWorkers',
      message: 'not valid JSON at line 2, column 40: the bare word "four"',
      hint: /double quotes/,
      severity: 'error',
    },
  ]);
  t.notMatch(bare[0]?.message, /collector|endpoint/, 'the file is not quoted back');
  t.match((await loadConfigWithProblems(join(dir, 'cut.json'))).problems, [
    { path: 'datasets', message: /line 3, column 16: the file ends inside the array opened at line 3, column 15/ },
  ]);
  const bom = (await loadConfigWithProblems(join(dir, 'bom.json'))).problems;
  t.notOk(
    bom.some((p) => /JSON/.test(p.message)),
    'a byte-order mark is read past: the problems are about the content',
  );
});
