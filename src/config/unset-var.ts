import type { ConfigIssue } from '../errors';

/**
 * A `${VAR}` that is not set. It carries the variable's name so `validate` can list it as something a run
 * will need instead of an error: a config is linted in CI where no secret variable is exported.
 */
export interface UnsetVarIssue extends ConfigIssue {
  code: 'E_UNDEFINED_VAR';
  variable: string;
}

export function unsetVarIssue(variable: string, message: string, path: (string | number)[]): UnsetVarIssue {
  return {
    code: 'E_UNDEFINED_VAR',
    variable,
    message,
    hint: `export ${variable}=... before running dsops, or give a default: \${${variable}:-value}`,
    path,
  };
}

export function isUnsetVar(issue: ConfigIssue): issue is UnsetVarIssue {
  return issue.code === 'E_UNDEFINED_VAR' && typeof (issue as Partial<UnsetVarIssue>).variable === 'string';
}
