// An s3 location's failure domain: the endpoint as an identity (the region on AWS), or what the config says.
import t from 'tap';
import { configFromDocument } from '../../../src/config/load.js';
import type { S3LocationConfig } from '../../../src/config/types.js';
import { failureDomainOf, normaliseEndpoint } from '../../../src/sources/s3/failure-domain.js';
import { s3Location } from '../../helpers/s3-context.js';

t.test('one store written several ways is one endpoint', async (t) => {
  const table: Array<[string | undefined, string | undefined]> = [
    ['https://s3.example.vn', 's3.example.vn'],
    ['https://s3.example.vn/', 's3.example.vn'],
    ['http://S3.Example.VN//', 's3.example.vn'],
    ['https://s3.example.vn:443/', 's3.example.vn'],
    ['https://s3.example.vn:8443', 's3.example.vn:8443'],
    ['https://gw.example.vn/s3/', 'gw.example.vn/s3'],
    [undefined, undefined],
    // Not a URL (the schema only checks the scheme): kept as written, trailing slash aside.
    ['http://bad host/', 'http://bad host'],
    // AWS's own endpoints are AWS: its failure domains are regions, not host names.
    ['https://s3.eu-west-1.amazonaws.com', undefined],
    ['https://s3.dualstack.ap-southeast-1.amazonaws.com/', undefined],
    ['https://s3.cn-north-1.amazonaws.com.cn', undefined],
  ];
  for (const [endpoint, expected] of table) t.equal(normaliseEndpoint(endpoint), expected, String(endpoint));
});

t.test('the derived failure domain: the endpoint, or AWS and the region the bucket reports', async (t) => {
  const at = (overrides: Partial<S3LocationConfig>) => s3Location({ bucket: 'corp-backup', ...overrides });
  t.same(failureDomainOf(at({ endpoint: 'https://s3.example.vn/' }), 'not-reported'), {
    failureDomain: 's3:s3.example.vn',
    failureDomainSource: 'derived',
  });
  t.equal(
    failureDomainOf(at({ endpoint: 'https://s3.example.vn', region: 'hn-1' }), 'hn-1').failureDomain,
    failureDomainOf(at({ endpoint: 'https://s3.example.vn' }), 'not-reported').failureDomain,
    "a custom endpoint's region is a signing detail, not another domain",
  );
  t.equal(failureDomainOf(at({}), 'eu-west-1').failureDomain, 'aws:eu-west-1', 'AWS: the region the bucket reports');
  t.equal(
    failureDomainOf(at({ endpoint: 'https://s3.eu-west-1.amazonaws.com' }), 'eu-west-1').failureDomain,
    'aws:eu-west-1',
    'an explicit AWS endpoint is the same domain as the default one',
  );
  t.equal(failureDomainOf(at({ region: 'ap-southeast-1' }), 'unknown').failureDomain, 'aws:ap-southeast-1');
  t.equal(failureDomainOf(at({}), 'unknown').failureDomain, 'aws:unknown');
  t.same(failureDomainOf(at({ failureDomain: 'account-2' }), 'eu-west-1'), {
    failureDomain: 'account-2',
    failureDomainSource: 'configured',
  });
});

const withCloud = (cloud: object) => ({
  agent: { id: 'erp-01', stateDir: '/tmp/state' },
  locations: [{ id: 'cloud', type: 's3', bucket: 'corp-backup', endpoint: 'https://s3.example.vn', ...cloud }],
  datasets: [{ id: 'erp-db', copies: { cloud: 'erp/' } }],
});
const load = (cloud: object) => configFromDocument(withCloud(cloud), '/etc/b/agent.json', {});
const failureDomainIn = (cloud: object) =>
  (load(cloud).config?.locations[0] as S3LocationConfig | undefined)?.failureDomain;

t.test('config: failureDomain, or its old name device; two different values are refused', async (t) => {
  t.equal(failureDomainIn({ failureDomain: 'account-2' }), 'account-2');
  t.equal(failureDomainIn({ device: 'account-2' }), 'account-2');
  t.equal(failureDomainIn({ failureDomain: 'account-2', device: 'account-2' }), 'account-2');
  t.equal(failureDomainIn({}), undefined, 'nothing configured: the source derives it');
  const { config, problems } = load({ failureDomain: 'account-2', device: 'account-3' });
  t.equal(config, undefined);
  t.match(problems, [{ path: 'locations[0].failureDomain', severity: 'error', message: /device "account-3"/ }]);
  t.match(load({ failureDomain: '' }).problems, [{ path: 'locations[0].failureDomain' }], 'an empty value is refused');
});
