import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { SOCKET_SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX } from '#protocol';

/** Compares digests so neither the length nor the content of the token leaks through timing. */
export function tokensMatch(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export function bearerToken(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1];
}

/** Browsers cannot set headers on a WebSocket, so the token rides in the subprotocol list. */
export function socketToken(request: IncomingMessage): string | undefined {
  const offered = parseSubprotocols(request.headers['sec-websocket-protocol']);
  const tokenProtocol = offered.find((protocol) => protocol.startsWith(TOKEN_SUBPROTOCOL_PREFIX));
  return tokenProtocol?.slice(TOKEN_SUBPROTOCOL_PREFIX.length) ?? bearerToken(request);
}

export function offersParleyProtocol(request: IncomingMessage): boolean {
  return parseSubprotocols(request.headers['sec-websocket-protocol']).includes(SOCKET_SUBPROTOCOL);
}

function parseSubprotocols(header: string | undefined): string[] {
  return header ? header.split(',').map((part) => part.trim()).filter(Boolean) : [];
}
