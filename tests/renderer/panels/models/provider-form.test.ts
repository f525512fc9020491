import { describe, expect, it } from 'vitest';
import type { Provider } from '#protocol';
import { formFromPreset, formFromProvider, formToInput, uniqueProviderId } from '../../../../renderer/src/panels/models/provider-form';
import { presetFor, providerPresets } from '../../../../renderer/src/panels/models/provider-presets';

const stored: Provider = {
  id: 'openai',
  kind: 'openai',
  name: 'OpenAI',
  baseUrl: 'https://api.openai.com/v1',
  defaultModel: 'gpt-4o-mini',
  timeoutMs: 60_000,
  maxRetries: 1,
  extraHeaders: { 'X-Team': 'voice' },
  hasApiKey: true,
};

describe('provider form', () => {
  it('keeps the stored key when the key field is left empty', () => {
    const result = formToInput(formFromProvider(stored), ['openai']);
    expect(result).toEqual({
      input: {
        id: 'openai',
        kind: 'openai',
        name: 'OpenAI',
        baseUrl: 'https://api.openai.com/v1',
        defaultModel: 'gpt-4o-mini',
        timeoutMs: 60_000,
        maxRetries: 1,
        extraHeaders: { 'X-Team': 'voice' },
      },
    });
    expect('input' in result && 'apiKey' in result.input).toBe(false);
  });

  it('sends a typed key, and an empty one to remove it', () => {
    const typed = formToInput({ ...formFromProvider(stored), apiKey: ' sk-new ' }, []);
    expect('input' in typed && typed.input.apiKey).toBe('sk-new');
    const removed = formToInput({ ...formFromProvider(stored), apiKey: 'ignored', removeKey: true }, []);
    expect('input' in removed && removed.input.apiKey).toBe('');
  });

  it('derives a unique id from the name for a new provider', () => {
    const form = { ...formFromPreset(presetFor('lmstudio')), defaultModel: 'qwen' };
    const result = formToInput(form, ['lm-studio']);
    expect('input' in result && result.input.id).toBe('lm-studio-2');
    expect('input' in result && result.input.baseUrl).toBe('http://127.0.0.1:1234/v1');
  });

  it('says what is wrong per field, with the protocol schema', () => {
    const form = { ...formFromPreset(presetFor('custom')), baseUrl: 'ftp://nope', timeoutSeconds: '0.1', maxRetries: '9', headers: [{ name: 'bad header', value: 'x' }] };
    const result = formToInput(form, []);
    expect('errors' in result && Object.keys(result.errors).sort()).toEqual(['baseUrl', 'headers', 'maxRetries', 'name', 'timeoutSeconds']);
  });

  it('drops empty header rows and refuses a duplicate name', () => {
    const rows = [
      { name: 'A', value: '1' },
      { name: '', value: '' },
    ];
    const ok = formToInput({ ...formFromProvider(stored), headers: rows }, []);
    expect('input' in ok && ok.input.extraHeaders).toEqual({ A: '1' });
    const twice = formToInput({ ...formFromProvider(stored), headers: [rows[0]!, rows[0]!] }, []);
    expect('errors' in twice && twice.errors.headers).toContain('twice');
  });
});

describe('uniqueProviderId', () => {
  it('makes a valid lowercase id', () => {
    expect(uniqueProviderId('Google Gemini', [])).toBe('google-gemini');
    expect(uniqueProviderId('  ***  ', [], 'custom')).toBe('custom');
    expect(uniqueProviderId('OpenAI', ['openai', 'openai-2'])).toBe('openai-3');
  });
});

describe('presets', () => {
  it('offers every provider kind once, custom last', () => {
    expect(providerPresets.map((preset) => preset.kind)).toEqual(['openai', 'openrouter', 'gemini', 'groq', 'ollama', 'lmstudio', 'custom']);
  });
});
