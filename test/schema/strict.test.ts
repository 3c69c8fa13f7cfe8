// The shipped JSON Schemas compile under Ajv's strict mode without a warning: editors, the collector and
// users' own tools may validate with Ajv's defaults, which log every strict-mode complaint.
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import ajvFormats from 'ajv-formats';
import t from 'tap';

// ajv-formats is CommonJS: NodeNext types its plugin as the default's default, while at run time it is the default.
type AddFormats = (ajv: Ajv) => Ajv;
const addFormats = (
  typeof ajvFormats === 'function' ? ajvFormats : (ajvFormats as { default: AddFormats }).default
) as AddFormats;

for (const name of ['report.schema.json', 'summary-report.schema.json', 'agent.config.schema.json']) {
  t.test(`schema/${name} is strict-clean`, async (t) => {
    const schema = JSON.parse(readFileSync(new URL(`../../schema/${name}`, import.meta.url), 'utf8'));
    const complaints: string[] = [];
    const collect = (...words: unknown[]) => complaints.push(words.map(String).join(' '));
    // strict: true turns each strict-mode rule into an error; the logger catches what is only logged.
    const ajv = new Ajv({ strict: true, allErrors: true, logger: { log: () => {}, warn: collect, error: collect } });
    addFormats(ajv);
    t.doesNotThrow(() => ajv.compile(schema), 'compiles in strict mode');
    t.same(complaints, [], 'and says nothing');
  });
}
