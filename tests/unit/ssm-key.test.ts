import { parseParameterKey, refText } from '../../src/stores/aws-ssm/key';
import { batches, GET_PARAMETERS_MAX } from '../../src/stores/aws-ssm/reader';

describe('aws.ssm keys', () => {
  it.each([
    ['/app/db/password', { name: '/app/db/password' }],
    ['plain_name', { name: 'plain_name' }],
    ['/app/db/password:3', { name: '/app/db/password', selector: ':3', version: 3 }],
    ['/app/db/password:prod', { name: '/app/db/password', selector: ':prod' }],
    [
      'arn:aws:ssm:us-east-1:123456789012:parameter/app/key:7',
      { name: 'arn:aws:ssm:us-east-1:123456789012:parameter/app/key', selector: ':7', version: 7 },
    ],
  ])('%s parses', (key, ref) => {
    expect(parseParameterKey(key)).toEqual({ ref });
    expect(refText(parseParameterKey(key).ref!)).toBe(key);
  });

  it.each([
    ['/app/db password', /not a parameter name/],
    ['/app/x:0', /must be 1 or more/],
    ['/app/x:1abc', /neither a version number nor a label/],
    ['/app/x:awsLabel', /neither a version number nor a label/],
    ['/app/x:', /neither a version number nor a label/],
    ['app/x', /does not start with \//],
    ['/' + Array.from({ length: 16 }, (_, i) => `l${i}`).join('/'), /nested more than 15 levels/],
    ['x'.repeat(2049), /not a parameter name/],
  ])('%.40s is rejected with a reason', (key, why) => {
    expect(parseParameterKey(key).problem).toMatch(why);
  });

  it('a quoted bad name is clipped, not echoed whole', () => {
    const r = parseParameterKey('/' + 'a'.repeat(3000) + ' b');
    expect(r.problem!.length).toBeLessThan(200);
  });
});

describe('aws.ssm batching', () => {
  it('puts at most 10 names in a call', () => {
    const refs = Array.from({ length: 23 }, (_, i) => ({ name: `/p/${i}` }));
    expect(batches(refs).map((b) => b.length)).toEqual([GET_PARAMETERS_MAX, GET_PARAMETERS_MAX, 3]);
  });

  it('never puts two versions of one parameter in the same call', () => {
    const refs = [{ name: '/a' }, { name: '/a', selector: ':1', version: 1 }, { name: '/b' }, { name: '/a', selector: ':old' }];
    const out = batches(refs);
    for (const b of out) expect(new Set(b.map((r) => r.name)).size).toBe(b.length);
    expect(out.flat()).toHaveLength(4);
    expect(out).toHaveLength(3);
  });
});
