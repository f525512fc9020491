import { useState, type FormEvent } from 'react';
import { controlClient, NO_TOKEN_REASON, rememberWebConsoleToken } from './index';

/** The web console's one question: the token `npm run server` printed. Kept for this tab only. */
export function TokenPrompt({ reason }: { reason: string }) {
  const [token, setToken] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!token.trim()) return;
    rememberWebConsoleToken(token);
    controlClient.retryNow();
  };
  const rejected = reason !== NO_TOKEN_REASON;
  return (
    <main className="token-prompt">
      <form onSubmit={submit} aria-labelledby="token-title">
        <h1 id="token-title">Connect to Parley</h1>
        <p>
          Paste the token that <code>npm run server</code> printed (or the value of <code>PARLEY_TOKEN</code>). It is kept
          for this tab only.
        </p>
        {rejected && (
          <p className="error" role="alert">
            {reason}. Check the token and try again.
          </p>
        )}
        <label htmlFor="token-input">Access token</label>
        <input
          id="token-input"
          type="password"
          autoComplete="off"
          autoFocus
          value={token}
          onChange={(event) => setToken(event.target.value)}
        />
        <button type="submit" disabled={!token.trim()}>
          Connect
        </button>
      </form>
    </main>
  );
}
