import { useRef, useState } from 'react';
import { useIsConnected } from '../../connection';
import { reportError } from '../../errors';
import { uploadDocument } from './upload-document';

interface Transfer {
  name: string;
  fraction: number;
}

/** Drop PDFs here or pick them; each shows its upload progress, then appears in the list being read. */
export function UploadZone({ onUploaded }: { onUploaded(id: string, duplicate: boolean, name: string): void }) {
  const connected = useIsConnected();
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [transfers, setTransfers] = useState<Record<string, Transfer>>({});

  const upload = async (files: readonly File[]) => {
    for (const file of files) {
      const key = `${file.name}-${file.size}-${file.lastModified}`;
      setTransfers((all) => ({ ...all, [key]: { name: file.name, fraction: 0 } }));
      try {
        const result = await uploadDocument(file, { onProgress: (fraction) => setTransfers((all) => ({ ...all, [key]: { name: file.name, fraction } })) });
        onUploaded(result.id, result.duplicate, file.name);
      } catch (error) {
        reportError('Documents', error);
      } finally {
        setTransfers(({ [key]: _done, ...rest }) => rest);
      }
    }
  };

  return (
    <div
      className={`upload-zone${dragging ? ' dragging' : ''}`}
      onDragOver={(event) => {
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(event) => {
        event.preventDefault();
        setDragging(false);
        if (connected) void upload([...event.dataTransfer.files]);
      }}
    >
      <p>
        Drop PDFs here, or{' '}
        <button type="button" onClick={() => input.current?.click()} disabled={!connected}>
          choose files
        </button>
      </p>
      <input
        ref={input}
        type="file"
        accept="application/pdf,.pdf"
        multiple
        hidden
        aria-label="PDF files to upload"
        onChange={(event) => {
          const files = [...(event.target.files ?? [])];
          event.target.value = '';
          void upload(files);
        }}
      />
      {Object.entries(transfers).map(([key, transfer]) => (
        <div key={key} className="upload-transfer">
          <span>Uploading {transfer.name}</span>
          <progress max={1} value={transfer.fraction} aria-label={`Upload of ${transfer.name}`} />
        </div>
      ))}
    </div>
  );
}
