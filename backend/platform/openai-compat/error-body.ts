import type { ParleyError } from '#protocol';

/** OpenAI's error shape, so OpenAI clients show Parley's message and react to the right status. */
export function openAiErrorBody(error: ParleyError): unknown {
  const type =
    error.code === 'unauthorized'
      ? 'authentication_error'
      : error.code === 'invalid_params' || error.code === 'bad_request' || error.code === 'payload_too_large'
        ? 'invalid_request_error'
        : error.code === 'not_found'
          ? 'invalid_request_error'
          : 'server_error';
  const message = error.hint ? `${error.message}. ${error.hint}` : error.message;
  return { error: { message, type, param: null, code: error.code } };
}
