/** Ollama and LM Studio, where they listen by default. */
const LOCAL_SERVERS = [
  { kind: 'ollama', baseUrl: 'http://127.0.0.1:11434/v1' },
  { kind: 'lmstudio', baseUrl: 'http://127.0.0.1:1234/v1' },
] as const;

export interface LocalProviderFound {
  kind: 'ollama' | 'lmstudio';
  baseUrl: string;
  models: string[];
}

export async function detectLocalProviders(timeoutMs = 800): Promise<LocalProviderFound[]> {
  const probes = LOCAL_SERVERS.map(async (server): Promise<LocalProviderFound | undefined> => {
    try {
      const response = await fetch(`${server.baseUrl}/models`, { signal: AbortSignal.timeout(timeoutMs) });
      if (!response.ok) return undefined;
      const body = (await response.json()) as { data?: Array<{ id?: unknown }> };
      const models = (body.data ?? []).map((model) => model.id).filter((id): id is string => typeof id === 'string');
      return { kind: server.kind, baseUrl: server.baseUrl, models };
    } catch {
      return undefined;
    }
  });
  return (await Promise.all(probes)).filter((found): found is LocalProviderFound => found !== undefined);
}
