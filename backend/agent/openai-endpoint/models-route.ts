import type { HttpRoute } from '../../server';
import { PARLEY_AGENT_MODEL } from './chat-request';
import { openAiErrorBody } from './openai-error-body';

const CREATED = Math.floor(Date.UTC(2026, 0, 1) / 1000);

export function modelsRoute(): HttpRoute {
  return {
    method: 'GET',
    path: '/v1/models',
    access: 'token',
    formatError: openAiErrorBody,
    serve(_request, response) {
      const text = JSON.stringify({ object: 'list', data: [{ id: PARLEY_AGENT_MODEL, object: 'model', created: CREATED, owned_by: 'parley' }] });
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
      response.end(text);
    },
  };
}
