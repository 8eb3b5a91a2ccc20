import type { LocalStackEnv } from './stack.js';

/**
 * The variables a SAM template declares (empty or SDK defaults) so that `sam local invoke --env-vars`
 * can point a function at the local stack: SAM only overrides variables the template declares, and a
 * function whose endpoints stay unset would call real AWS with the host's credentials.
 *
 * @example
 * ```ts
 * const Variables = Object.fromEntries(SAM_LOCAL_VARIABLES.map((name) => [name, '']));
 * // { AWS_ENDPOINT_URL_WORKMAILMESSAGEFLOW: '', AWS_ENDPOINT_URL_S3: '', …, AWS_RESPONSE_CHECKSUM_VALIDATION: '' }
 * ```
 */
export const SAM_LOCAL_VARIABLES = [
  'AWS_ENDPOINT_URL_WORKMAILMESSAGEFLOW',
  'AWS_ENDPOINT_URL_S3',
  'AWS_ENDPOINT_URL_SES',
  'AWS_ENDPOINT_URL_DYNAMODB',
  'AWS_REQUEST_CHECKSUM_CALCULATION',
  'AWS_RESPONSE_CHECKSUM_VALIDATION',
] as const;

/**
 * The `--env-vars` file of `sam local invoke` for a running local stack: `{ "Parameters": { … } }`
 * (every function of the template) with the endpoints and the checksum settings the local S3 needs.
 *
 * @example
 * ```ts
 * await writeFile('env.local.json', JSON.stringify(samEnvVars(stack.env), null, 2));
 * ```
 */
export function samEnvVars(env: LocalStackEnv): { Parameters: Record<string, string> } {
  return { Parameters: Object.fromEntries(SAM_LOCAL_VARIABLES.map((name) => [name, env[name] ?? ''])) };
}
