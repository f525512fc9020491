import { sendJson, type HttpRoute } from '../../platform/http';
import { openAiErrorBody } from '../../platform/openai-compat';
import { PARLEY_AGENT_MODEL } from './chat-request';

const CREATED = Math.floor(Date.UTC(2026, 0, 1) / 1000);

export function modelsRoute(): HttpRoute {
  return {
    method: 'GET',
    path: '/v1/models',
    exposure: 'control',
    formatError: openAiErrorBody,
    serve(_request, response) {
      sendJson(response, 200, { object: 'list', data: [{ id: PARLEY_AGENT_MODEL, object: 'model', created: CREATED, owned_by: 'parley' }] });
    },
  };
}
