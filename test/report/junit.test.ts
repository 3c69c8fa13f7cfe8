// The JUnit report: well-formed XML that CI servers read as one test per dataset × check, failing where it should.
import t from 'tap';
import { CHECK_CODES } from '../../src/report-schema/words.js';
import { renderJunit } from '../../src/report/render/junit.js';
import { xmlAttr, xmlText } from '../../src/report/render/xml.js';
import { copy, dataset, finding, findings, report, sampleReport } from './fixture.js';
import { findAll, parseXml } from './xml-wellformed.js';

t.test('one testcase per dataset × check, failures where findings fail or warn, errors where unknown', async (t) => {
  const r = sampleReport();
  const root = parseXml(renderJunit(r, { lang: 'en' }));
  t.equal(root.name, 'testsuites');
  const suites = findAll(root, 'testsuite');
  t.equal(suites.length, r.datasets.length, 'one testsuite per dataset');
  t.equal(findAll(root, 'testcase').length, r.datasets.length * CHECK_CODES.length);
  for (const [i, suite] of suites.entries()) {
    const data = r.datasets[i];
    if (!data) continue;
    t.equal(suite.attrs.name, `backup321.${data.id}`);
    const cases = findAll(suite, 'testcase');
    t.same(
      cases.map((c) => c.attrs.name),
      data.findings.map((f) => f.check),
    );
    for (const [j, testcase] of cases.entries()) {
      const f = data.findings[j];
      t.equal(testcase.attrs.classname, `backup321.${data.id}`);
      const failure = findAll(testcase, 'failure')[0];
      const error = findAll(testcase, 'error')[0];
      if (f?.status === 'fail') t.equal(failure?.attrs.type, 'fail', `${data.id}/${f.check} fails`);
      else if (f?.status === 'warn')
        t.equal(failure?.attrs.type, 'warning', `${data.id}/${f.check} fails as a warning`);
      else t.notOk(failure, `${data.id}/${f?.check} has no failure`);
      if (f?.status === 'unknown') t.equal(error?.attrs.type, 'unknown', `${data.id}/${f.check} is an error`);
      else t.notOk(error);
    }
    const failing = data.findings.filter((f) => f.status === 'fail' || f.status === 'warn').length;
    t.equal(Number(suite.attrs.failures), failing, `${data.id}: failures attribute`);
    t.equal(Number(suite.attrs.errors), data.findings.filter((f) => f.status === 'unknown').length);
    t.equal(Number(suite.attrs.tests), data.findings.length);
  }
  t.equal(Number(root.attrs.failures), 3, 'totals: 1 warn + 2 fail');
  t.equal(Number(root.attrs.errors), 1);
});

t.test('the failure carries the message, the reason code and the evidence', async (t) => {
  const root = parseXml(renderJunit(sampleReport(), { lang: 'vi' }));
  const failure = findAll(root, 'failure').find((f) => f.text.includes('copies.too-few'));
  t.equal(failure?.attrs.message, 'không đủ bản sao dùng được trên các thiết bị khác nhau: 1, yêu cầu: 3');
  t.match(failure?.text, 'không được tính: nas:/y (nằm trên cùng thiết bị');
  const verdicts = findAll(root, 'property').filter((p) => p.attrs.name === 'verdictText');
  t.same(
    verdicts.map((p) => p.attrs.value),
    ['tuân thủ', 'có rủi ro', 'không tuân thủ', 'không xác định'],
  );
});

t.test('markup and characters XML 1.0 forbids in names and messages still give well-formed XML', async (t) => {
  const nasty = 'a<b>&"c\'\x00\x01\x1b[31m\ud800\uffff\r\n\tz';
  const r = report([
    dataset(`ds-${nasty}`, 'non-compliant', findings([finding('integrity', 'fail', 'conflict', { names: nasty })]), {
      copies: [copy('x', 'local', `/backup/${nasty}`)],
    }),
  ]);
  r.agent.host.hostname = nasty;
  const root = parseXml(renderJunit(r, { lang: 'en' }));
  const failure = findAll(root, 'failure')[0];
  t.match(
    failure?.attrs.message,
    'a<b>&"c\'\\x00\\x01\\x1b[31m\ufffd\ufffd\r\n\tz',
    'attribute round-trips, controls made visible',
  );
  t.equal(findAll(root, 'testsuite')[0]?.attrs.classname, undefined);
  t.match(findAll(root, 'testcase')[0]?.attrs.classname, 'backup321.ds-a<b>&');
});

t.test('escaping helpers', async (t) => {
  t.equal(xmlText('<&>\r'), '&lt;&amp;&gt;&#13;');
  t.equal(xmlAttr('"\'\n\t'), '&quot;&apos;&#10;&#9;');
  t.equal(xmlText('\ud83d\ude00'), '\ud83d\ude00', 'a surrogate pair (emoji) is kept');
  t.equal(xmlText('\udc00'), '\ufffd', 'a lone low surrogate is replaced');
});

t.test('the well-formedness checker itself rejects broken XML', async (t) => {
  for (const bad of [
    '<a>',
    '<a></b>',
    '<a b="1" b="2"/>',
    '<a>&nope;</a>',
    '<a>x & y</a>',
    '<a/><b/>',
    '<a>\x01</a>',
    'x<a/>',
    '<a b=1/>',
    '<a>&#1;</a>',
  ]) {
    t.throws(() => parseXml(bad), `${JSON.stringify(bad)} is rejected`);
  }
  t.same(parseXml('<?xml version="1.0"?><!-- c --><a x=\'&#x41;\'>&lt;</a>').attrs, { x: 'A' });
});
