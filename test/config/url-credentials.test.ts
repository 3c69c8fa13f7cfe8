// Credentials in URLs: which URLs carry them, and that no problem about such a value shows the secret.
import t from 'tap';
import { configFromDocument } from '../../src/config/load.js';
import { findUrlCredentials, maskUrlCredentials } from '../../src/config/url-credentials.js';

t.test('what counts as a credential in a URL, and what does not', async (t) => {
  const carries = [
    'http://KEY:SECRET@host:9000',
    'https://user@host/',
    'https://c.example/api?token=abc',
    'https://c.example/api?a=1&access_token=abc',
    'https://bucket.s3.amazonaws.com/k?X-Amz-Credential=AKIA%2F&X-Amz-Signature=ff',
    'https://h/?AWSAccessKeyId=AKIA&Signature=x',
    'https://h/?api_key=1',
    'https://h/?password=1',
    'https://h/x?sig=abc&sv=2020',
  ];
  const clean = [
    'https://s3.example.vn',
    'http://127.0.0.1:9000/',
    'https://h/x?versionId=3&X-Amz-Date=20240101',
    'https://h/path@not-userinfo',
    '/var/lib/backup321',
    'erp/*.dump',
  ];
  for (const url of carries) t.equal(findUrlCredentials({ url }).length, 1, url);
  for (const url of clean) t.same(findUrlCredentials({ url }), [], url);
});

t.test('masking keeps the shape of the URL and hides only the credentials', async (t) => {
  t.equal(maskUrlCredentials('http://KEY:SECRET@host:9000/x'), 'http://***@host:9000/x');
  t.equal(
    maskUrlCredentials('see https://h/x?versionId=3&token=abc#top and http://u:p@h'),
    'see https://h/x?versionId=3&token=***#top and http://***@h',
  );
});

t.test('a URL the schema refuses for another reason is not shown with its secret either', async (t) => {
  const { problems } = configFromDocument(
    {
      agent: { id: 'a' },
      locations: [{ id: 's', type: 's3', bucket: 'bkt', endpoint: 'ftp://AKIAKEY:TOPSECRET@h' }],
      datasets: [{ id: 'd', copies: { s: 'x/' } }],
    },
    '/etc/backup321/agent.json',
    {},
  );
  t.match(problems, [
    { path: 'locations[0].endpoint', message: '"ftp://***@h" is not valid here' },
    { path: 'locations[0].endpoint', message: /a credential in a URL/ },
  ]);
  t.notMatch(JSON.stringify(problems), /AKIAKEY|TOPSECRET/);
});
