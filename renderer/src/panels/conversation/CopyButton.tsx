import { useEffect, useState } from 'react';
import { reportError } from '../../errors';

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 1500);
    return () => clearTimeout(timer);
  }, [copied]);
  const copy = () => {
    navigator.clipboard.writeText(text).then(
      () => setCopied(true),
      (error: unknown) => reportError('Conversation', new Error(`Could not copy the answer: ${error instanceof Error ? error.message : String(error)}`)),
    );
  };
  return (
    <button type="button" className="small" onClick={copy} disabled={!text}>
      {copied ? 'Copied' : label}
    </button>
  );
}
