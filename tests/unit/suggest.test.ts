/** "did you mean" (config/suggest.ts): typos are caught, unrelated short names are not. */
import { didYouMean } from '../../src/config/suggest';

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
