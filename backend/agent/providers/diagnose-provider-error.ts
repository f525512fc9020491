import { ParleyError, type Provider } from '#protocol';
import { loadedOpenAiSdk } from '../../platform/openai-compat';

export type ProviderProblem =
  | 'connection_refused'
  | 'dns'
  | 'tls'
  | 'unauthorized'
  | 'unknown_model'
  | 'timeout'
  | 'rate_limited'
  | 'server_error'
  | 'stream_cut'
  | 'bad_request'
  | 'bad_response';

export interface ProviderDiagnosisText {
  problem: ProviderProblem;
  message: string;
  hint: string;
  /** Whether the fallback list should move on to the next model. */
  fallbackWorthy: boolean;
}

/** Turns whatever the SDK or the network threw into what the user needs to know. */
export function diagnoseProviderError(error: unknown, provider: Pick<Provider, 'name' | 'baseUrl'>, model?: string): ProviderDiagnosisText {
  const where = `${provider.name} (${provider.baseUrl})`;
  // Undefined only when the SDK never loaded, and then it threw nothing to classify.
  const OpenAI = loadedOpenAiSdk()?.default;
  if (error instanceof Error && error.name === 'StreamStalledError') {
    return { problem: 'timeout', message: `${where} stopped sending the answer (${error.message})`, hint: 'The server may be overloaded; a fallback model is used when one is set, or raise the provider timeout.', fallbackWorthy: true };
  }
  if (OpenAI && error instanceof OpenAI.APIConnectionTimeoutError) {
    return { problem: 'timeout', message: `${where} did not answer in time`, hint: 'Check the server is up and not overloaded, or raise the provider timeout.', fallbackWorthy: true };
  }
  if (OpenAI && error instanceof OpenAI.APIConnectionError) {
    const code = causeCode(error);
    if (code === 'ECONNREFUSED') {
      return { problem: 'connection_refused', message: `Connection refused by ${where}`, hint: 'Nothing listens at that address: start the server or correct the base URL.', fallbackWorthy: true };
    }
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      return { problem: 'dns', message: `The host of ${where} could not be resolved`, hint: 'Check the base URL for typos and that this machine has network access.', fallbackWorthy: true };
    }
    if (code && /CERT|SSL|TLS|SELF_SIGNED/i.test(code)) {
      return { problem: 'tls', message: `TLS handshake with ${where} failed (${code})`, hint: 'The server certificate is not trusted; use its correct https URL or install its CA.', fallbackWorthy: true };
    }
    return { problem: 'stream_cut', message: `The connection to ${where} failed: ${causeMessage(error)}`, hint: 'The server closed the connection; try again, or check its logs.', fallbackWorthy: true };
  }
  if (OpenAI && error instanceof OpenAI.APIError && error.status !== undefined) {
    const detail = error.message;
    if (error.status === 401 || error.status === 403) {
      return { problem: 'unauthorized', message: `${where} refused the API key (${error.status})`, hint: 'Enter a valid API key for this provider in the Models panel.', fallbackWorthy: false };
    }
    if (error.status === 404) {
      return {
        problem: 'unknown_model',
        message: model ? `${where} does not know the model "${model}"` : `${where} answered 404: ${detail}`,
        hint: model ? 'Pick a model from the provider\'s list, or check its exact id.' : 'Check the base URL: it usually ends in /v1.',
        fallbackWorthy: true,
      };
    }
    if (error.status === 429) {
      return { problem: 'rate_limited', message: `${where} is rate limiting requests`, hint: 'Wait a moment, or add a fallback model in the Models panel.', fallbackWorthy: true };
    }
    if (error.status >= 500) {
      return { problem: 'server_error', message: `${where} failed with ${error.status}: ${detail}`, hint: 'The provider has a problem; a fallback model will be tried if one is set.', fallbackWorthy: true };
    }
    return { problem: 'bad_request', message: `${where} rejected the request (${error.status}): ${detail}`, hint: 'The model may not support tools or this message; try another model.', fallbackWorthy: false };
  }
  if (error instanceof SyntaxError) {
    return { problem: 'bad_response', message: `${where} sent a response that is not valid JSON`, hint: 'Is the base URL an OpenAI-compatible API (ending in /v1)?', fallbackWorthy: true };
  }
  const text = error instanceof Error ? error.message : String(error);
  return { problem: 'stream_cut', message: `The answer from ${where} broke off: ${text}`, hint: 'Try again; a fallback model is used when one is set.', fallbackWorthy: true };
}

export function providerErrorToParley(error: unknown, provider: Pick<Provider, 'name' | 'baseUrl'>, model?: string): ParleyError {
  if (error instanceof ParleyError) return error;
  const diagnosis = diagnoseProviderError(error, provider, model);
  return new ParleyError('unavailable', diagnosis.message, { hint: diagnosis.hint, details: { problem: diagnosis.problem }, cause: error });
}

function causeCode(error: Error): string | undefined {
  let current: unknown = error.cause;
  for (let depth = 0; depth < 5 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function causeMessage(error: Error): string {
  const cause = error.cause as { message?: string } | undefined;
  return cause?.message ?? error.message;
}
