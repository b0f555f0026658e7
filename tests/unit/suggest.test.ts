/** "did you mean" (config/suggest.ts): typos are caught, unrelated short names are not. */
import { didYouMean, unknownNameHint } from '../../src/config/suggest';

describe('didYouMean', () => {
  it('regression (issue 13): store "zz" is not a typo of "a"', () => {
    expect(didYouMean('zz', ['a'])).toBeUndefined();
  });

  it.each([
    ['exce', ['exec', 'validate', 'plan'], 'exec'], // two letters swapped: one slip
    ['valdate', ['exec', 'validate'], 'validate'],
    ['--jsn', ['--json', '--env'], '--json'],
    ['jmp', ['jump', 'sm'], 'jump'],
    ['aws-sts-prd', ['aws-sts-prod'], 'aws-sts-prod'],
    ['rol_session_name', ['role_session_name', 'role_arn'], 'role_session_name'],
    ['Prodution', ['production'], 'production'],
  ])('%s → %s', (word, candidates, expected) => {
    expect(didYouMean(word, candidates)).toBe(expected);
  });

  it.each([
    ['bogus', ['--config', '--verbose']],
    ['x', ['y']],
    ['ab', ['cd']],
    ['deploy', ['exec', 'plan']],
  ])('%s: nothing close', (word, candidates) => {
    expect(didYouMean(word, candidates)).toBeUndefined();
  });
});

describe('unknownNameHint', () => {
  it('names the likely typo when there is one', () => {
    expect(unknownNameHint('prdo', ['prod', 'dev'], 'defined stores')).toBe('did you mean "prod"?');
  });
  it('lists what is defined when nothing is close (a store named zz, only "a" defined)', () => {
    expect(unknownNameHint('zz', ['a'], 'defined stores')).toBe('defined stores: a');
  });
  it('shows the first eight and counts the rest', () => {
    const names = Array.from({ length: 11 }, (_, i) => `store-${'abcdefghijk'[i]}${i}`);
    expect(unknownNameHint('zz', names, 'defined stores')).toBe(`defined stores: ${names.slice(0, 8).join(', ')} and 3 more`);
  });
  it('says nothing when nothing is defined', () => {
    expect(unknownNameHint('zz', [], 'defined stores')).toBeUndefined();
  });
});
