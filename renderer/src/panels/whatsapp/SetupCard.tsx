import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { ParamsOf, WhatsAppStatus } from '#protocol';
import { controlClient } from '../../connection';
import { whatsappKeys } from './whatsapp-queries';

type Form = ParamsOf<'whatsapp.configure'>;

/** Connection settings, what is missing, and the URL to register with Meta (or WAHA). */
export function SetupCard({ status }: { status: WhatsAppStatus }) {
  const queryClient = useQueryClient();
  const [form, setForm] = useState<Form>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const set = (field: keyof Form) => (event: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => setForm({ ...form, [field]: event.target.value });
  const provider = form.provider ?? status.provider;
  const save = async () => {
    setSaving(true);
    setProblem(null);
    try {
      // An emptied field means "unchanged", never "delete the secret".
      const changed = Object.fromEntries(Object.entries(form).filter(([, value]) => value !== '')) as Form;
      queryClient.setQueryData(whatsappKeys.status, await controlClient.request('whatsapp.configure', changed));
      setForm({});
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setSaving(false);
    }
  };
  const secret = (field: 'appSecret' | 'verifyToken' | 'accessToken' | 'wahaApiKey' | 'wahaHmacKey', label: string) => (
    <label>
      {label} {status.secrets[field] ? <span className="hint">(set; type a new value to replace it)</span> : null}
      <input type="password" autoComplete="off" value={form[field] ?? ''} onChange={set(field)} placeholder={status.secrets[field] ? '••••••••' : ''} />
    </label>
  );
  return (
    <details className="card" open={!status.configured}>
      <summary>
        Connection: {status.provider === 'cloud' ? 'Meta Cloud API' : 'WAHA'} —{' '}
        <span className={`badge badge-${status.configured ? 'ok' : 'degraded'}`}>{status.configured ? 'configured' : 'not configured'}</span>
      </summary>
      {status.missing.length > 0 && (
        <ul className="hint" aria-label="Missing settings">
          {status.missing.map((item) => (
            <li key={item}>{item}</li>
          ))}
        </ul>
      )}
      {status.fromEnvironment.length > 0 && <p className="hint">From the environment (these override the form): {status.fromEnvironment.join(', ')}</p>}
      <WebhookAddress status={status} provider={provider} />
      <div className="form-grid">
        <label>
          Provider
          <select value={provider} onChange={set('provider')}>
            <option value="cloud">Meta WhatsApp Cloud API (official)</option>
            <option value="waha">WAHA (self-hosted, QR-paired)</option>
          </select>
        </label>
        {provider === 'cloud' ? (
          <>
            <label>
              Phone number id
              <input value={form.phoneNumberId ?? status.phoneNumberId} onChange={set('phoneNumberId')} />
            </label>
            <label>
              Graph API version
              <input value={form.graphVersion ?? status.graphVersion} onChange={set('graphVersion')} />
            </label>
            {secret('accessToken', 'Access token')}
            {secret('appSecret', 'App secret')}
            {secret('verifyToken', 'Verify token')}
          </>
        ) : (
          <>
            <label>
              WAHA URL
              <input value={form.wahaUrl ?? status.wahaUrl} onChange={set('wahaUrl')} placeholder="http://127.0.0.1:3000" />
            </label>
            <label>
              Session
              <input value={form.wahaSession ?? status.wahaSession} onChange={set('wahaSession')} />
            </label>
            {secret('wahaApiKey', 'API key')}
            {secret('wahaHmacKey', 'Webhook HMAC key')}
          </>
        )}
      </div>
      <button type="button" onClick={() => void save()} disabled={saving || Object.keys(form).length === 0}>
        Save connection
      </button>
      {problem && <p role="alert">{problem}</p>}
      <p className="hint">
        Queue: {status.queue.queued} waiting, {status.queue.running} running, {status.queue.dead} failed (see Diagnostics → jobs to retry).
      </p>
    </details>
  );
}

/**
 * The exact URL this backend listens on, and what to register: Meta (and a WAHA elsewhere) must
 * reach it from the internet, which a desktop's loopback listener is not.
 */
function WebhookAddress({ status, provider }: { status: WhatsAppStatus; provider: WhatsAppStatus['provider'] }) {
  const url = provider === 'cloud' ? status.webhookUrl : status.wahaWebhookUrl;
  const path = provider === 'cloud' ? status.webhookPath : status.wahaWebhookPath;
  const listener = url ? new URL(url) : undefined;
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    if (!url) return;
    await navigator.clipboard.writeText(url).catch(() => undefined);
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  return (
    <div className="webhook-address">
      <p>
        Webhook URL (the public listener, PARLEY_WEBHOOK_HOST:PARLEY_WEBHOOK_PORT):{' '}
        {url ? (
          <>
            <code data-testid="webhook-url">{url}</code>{' '}
            <button type="button" onClick={() => void copy()}>
              {copied ? 'Copied' : 'Copy'}
            </button>
          </>
        ) : (
          <strong role="status">not listening: the port is taken or refused (see Diagnostics → public-listener); set PARLEY_WEBHOOK_PORT</strong>
        )}
      </p>
      <p className="hint">
        {provider === 'cloud' ? 'Meta' : 'WAHA'} must reach this address. On a desktop it listens on this machine only: run a tunnel to it (
        <code>cloudflared tunnel --url {listener?.origin ?? 'http://127.0.0.1:7862'}</code> or <code>ngrok http {listener?.port || '7862'}</code>) and register{' '}
        <code>https://&lt;the tunnel's host&gt;{path}</code>. On a server, bind PARLEY_WEBHOOK_HOST to 0.0.0.0 behind a reverse proxy with TLS and register{' '}
        <code>https://&lt;your domain&gt;{path}</code>.
        {provider === 'cloud'
          ? ' In Meta\'s app dashboard use the verify token set below. Production numbers receive webhooks only after the app is subscribed to the WhatsApp Business Account; temporary access tokens expire daily (use a system-user token).'
          : ' In WAHA\'s webhook config set the same HMAC key as below (unsigned events are refused).'}
      </p>
    </div>
  );
}
