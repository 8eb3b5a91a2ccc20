/**
 * The status of an error answer that names no AWS error type (`x-amzn-errortype`, which WorkMail gives every error
 * it answers): a redirect, a 304, a bodiless 404, a proxy's page in a 4xx, from something in between (fault round
 * 47). It says nothing about the message or the update, so callers treat it as transient: a protection must not
 * settle its blocking verdict on it, nor a strip turn into a bounce. Undefined for WorkMail's own errors and for
 * failures without an answer.
 *
 * @example
 * ```ts
 * if (notWorkMailsAnswer(error) !== undefined) throw new TransientError('not WorkMail’s answer', { cause: error });
 * ```
 */
export function notWorkMailsAnswer(error: unknown): number | undefined {
  const response = (error as { $response?: { statusCode?: number; headers?: Record<string, string> } } | null)
    ?.$response;
  if (response?.statusCode === undefined || response.statusCode < 300) return undefined;
  const named = Object.keys(response.headers ?? {}).some((h) => h.toLowerCase() === 'x-amzn-errortype');
  return named ? undefined : response.statusCode;
}
