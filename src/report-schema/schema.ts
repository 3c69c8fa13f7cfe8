// The report's JSON Schema: the one source of the report document's shape, of schema/report.schema.json
// (npm run schema writes it) and of the Report types (types.ts derives them).
import { copyDefinition } from './copy.js';
import { datasetReportDefinition, findingDefinitions, summaryDefinition } from './findings.js';
import { partDefinitions, scrubDefinition } from './parts.js';
import { sourceDefinitions } from './sources.js';
import { REPORT_SCHEMA_VERSION } from './words.js';

export const reportSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://backup321.dev/schema/report.schema.json',
  title: 'backup321 report',
  description:
    'One verification run of a backup321 agent (src/report-schema/, the Report type of src/model.ts). Terminal formats are rendered from this document; the collector validates it on receipt.',
  type: 'object',
  additionalProperties: false,
  required: [
    'schemaVersion',
    'reportId',
    'generatedAt',
    'product',
    'agent',
    'run',
    'policy',
    'datasets',
    'sources',
    'drills',
    'summary',
  ],
  properties: {
    schemaVersion: { const: REPORT_SCHEMA_VERSION },
    reportId: { type: 'string', minLength: 1, description: 'Unique per run; the collector drops duplicates by it.' },
    generatedAt: {
      $ref: '#/definitions/timestamp',
      description:
        'When the run started: the clock reading its ages and horizons are judged against (not when the report was written).',
    },
    product: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'version'],
      properties: { name: { const: 'backup321' }, version: { type: 'string' } },
    },
    agent: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'host'],
      properties: { id: { type: 'string', minLength: 1 }, host: { $ref: '#/definitions/hostFacts' } },
    },
    run: {
      type: 'object',
      additionalProperties: false,
      required: ['deep', 'datasetsSelected', 'durationMs'],
      properties: {
        deep: { type: 'boolean' },
        datasetsSelected: { oneOf: [{ type: 'null' }, { type: 'array', items: { type: 'string' } }] },
        durationMs: { $ref: '#/definitions/ms' },
        scrub: { $ref: '#/definitions/scrub' },
      },
    },
    policy: { $ref: '#/definitions/effectivePolicy' },
    datasets: { type: 'array', items: { $ref: '#/definitions/datasetReport' } },
    sources: { type: 'array', items: { $ref: '#/definitions/locationStatus' } },
    drills: {
      type: 'object',
      additionalProperties: false,
      required: ['configured', 'readable', 'records', 'issues'],
      properties: {
        configured: { type: 'boolean' },
        readable: { type: 'boolean' },
        records: { type: 'integer', minimum: 0 },
        issues: { type: 'array', items: { $ref: '#/definitions/sourceIssue' } },
      },
    },
    summary: { $ref: '#/definitions/summary' },
  },
  // In the order the schema file has always listed them.
  definitions: {
    ...partDefinitions,
    ...findingDefinitions,
    copy: copyDefinition,
    datasetReport: datasetReportDefinition,
    ...sourceDefinitions,
    summary: summaryDefinition,
    scrub: scrubDefinition,
  },
} as const;
