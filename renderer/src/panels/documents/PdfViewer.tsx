import { useEffect, useRef, useState } from 'react';
import type { PDFDocumentProxy } from 'pdfjs-dist';
import { toWireError } from './wire-error';
import { passageSpans } from './passage-highlight';
import { openDocumentFile, pdfJs, type OpenedDocument } from './pdf-loader';
import { closeViewer, highlightTerms, openInViewer, type ViewerTarget } from './viewer-store';

/** One document, one page at a time: canvas, a text layer with the cited words highlighted, page navigation and find. */
export function PdfViewer({ target, title }: { target: ViewerTarget; title: string }) {
  // What was loaded, for which document: a new target shows "Opening…" without resetting state in an effect.
  const [loaded, setLoaded] = useState<{ documentId: string; pdf?: PDFDocumentProxy; problem?: { message: string; hint?: string } } | null>(null);
  const [renderProblem, setRenderProblem] = useState<{ message: string; hint?: string } | null>(null);
  const [find, setFind] = useState('');
  const [finding, setFinding] = useState(false);
  const [notFound, setNotFound] = useState(false);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const textRef = useRef<HTMLDivElement>(null);
  const current = loaded?.documentId === target.documentId ? loaded : null;
  const pdf = current?.pdf ?? null;
  const problem = current?.problem ?? renderProblem;

  useEffect(() => {
    const controller = new AbortController();
    let opened: OpenedDocument | undefined;
    openDocumentFile(target.documentId, controller.signal).then(
      (document) => {
        opened = document;
        if (controller.signal.aborted) document.close();
        else setLoaded({ documentId: target.documentId, pdf: document.pdf });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setLoaded({ documentId: target.documentId, problem: toWireError(error) });
      },
    );
    return () => {
      controller.abort();
      opened?.close();
    };
  }, [target.documentId]);

  const pageCount = pdf?.numPages ?? 0;
  const page = pageCount ? Math.min(Math.max(1, target.page), pageCount) : target.page;

  useEffect(() => {
    if (!pdf || !canvasRef.current || !textRef.current) return;
    let cancelled = false;
    const canvas = canvasRef.current;
    const textContainer = textRef.current;
    let renderTask: { cancel(): void; promise: Promise<void> } | undefined;
    void (async () => {
      const library = await pdfJs();
      const pdfPage = await pdf.getPage(page);
      if (cancelled) return;
      const scale = Math.min(2, Math.max(0.5, (canvas.parentElement?.clientWidth ?? 800) / pdfPage.getViewport({ scale: 1 }).width));
      const viewport = pdfPage.getViewport({ scale });
      const ratio = window.devicePixelRatio || 1;
      canvas.width = Math.floor(viewport.width * ratio);
      canvas.height = Math.floor(viewport.height * ratio);
      canvas.style.width = `${viewport.width}px`;
      canvas.style.height = `${viewport.height}px`;
      renderTask = pdfPage.render({ canvas, viewport, transform: ratio === 1 ? undefined : [ratio, 0, 0, ratio, 0, 0] });
      textContainer.replaceChildren();
      textContainer.style.setProperty('--total-scale-factor', String(scale));
      textContainer.style.width = `${viewport.width}px`;
      textContainer.style.height = `${viewport.height}px`;
      const textLayer = new library.TextLayer({ textContentSource: await pdfPage.getTextContent(), container: textContainer, viewport });
      await Promise.all([renderTask.promise, textLayer.render()]);
      if (cancelled) return;
      setRenderProblem(null);
      const spans = textLayer.textDivs;
      const passage = target.passage ? passageSpans(spans.map((span) => span.textContent ?? ''), target.passage) : [];
      const terms = highlightTerms(target.highlight);
      let first: HTMLElement | undefined;
      for (const [index, span] of spans.entries()) {
        const text = span.textContent?.toLowerCase() ?? '';
        if (passage.includes(index) || terms.some((term) => text.includes(term))) {
          span.classList.add('hit');
          first ??= span;
        }
      }
      first?.scrollIntoView({ block: 'center', behavior: 'smooth' });
    })().catch((error: unknown) => {
      if (!cancelled && (error as { name?: string }).name !== 'RenderingCancelledException') setRenderProblem(toWireError(error));
    });
    return () => {
      cancelled = true;
      renderTask?.cancel();
    };
  }, [pdf, page, target.highlight, target.passage]);

  const go = (next: number) => openInViewer({ ...target, page: Math.min(Math.max(1, next), pageCount || 1), passage: undefined });

  /** The next page (after this one, wrapping) whose text contains every word of the search. */
  const findNext = async () => {
    if (!pdf || !find.trim()) return;
    setFinding(true);
    setNotFound(false);
    try {
      const terms = highlightTerms(find);
      for (let step = 1; step <= pdf.numPages; step++) {
        const candidate = ((page - 1 + step) % pdf.numPages) + 1;
        const content = await (await pdf.getPage(candidate)).getTextContent();
        const text = content.items.map((item) => ('str' in item ? item.str : '')).join(' ').toLowerCase();
        if (terms.every((term) => text.includes(term))) {
          openInViewer({ ...target, page: candidate, highlight: find, passage: undefined });
          return;
        }
      }
      setNotFound(true);
    } finally {
      setFinding(false);
    }
  };

  return (
    <section className="pdf-viewer" aria-label={`Viewer: ${title}`}>
      <header className="viewer-toolbar">
        <strong className="viewer-title">{title}</strong>
        <button type="button" onClick={() => go(page - 1)} disabled={!pdf || page <= 1} aria-label="Previous page">
          ‹
        </button>
        <label className="viewer-page">
          Page{' '}
          <input type="number" min={1} max={pageCount || undefined} value={page} onChange={(event) => go(Number(event.target.value) || 1)} aria-label="Page number" /> of {pageCount || '…'}
        </label>
        <button type="button" onClick={() => go(page + 1)} disabled={!pdf || page >= pageCount} aria-label="Next page">
          ›
        </button>
        <form
          className="viewer-find"
          onSubmit={(event) => {
            event.preventDefault();
            void findNext();
          }}
        >
          <input type="search" placeholder="Find in document" value={find} onChange={(event) => setFind(event.target.value)} aria-label="Find in document" />
          <button type="submit" disabled={!pdf || finding || !find.trim()}>
            Find
          </button>
          {notFound && <span className="hint">Not in this document</span>}
        </form>
        <button type="button" onClick={closeViewer}>
          Close
        </button>
      </header>
      {problem && (
        <p className="viewer-problem" role="alert">
          {problem.message}
          {problem.hint && <span className="hint"> {problem.hint}</span>}
        </p>
      )}
      {!pdf && !problem && <p className="hint">Opening…</p>}
      <div className="viewer-page-frame" data-testid="viewer-page" data-page={page}>
        <canvas ref={canvasRef} />
        <div ref={textRef} className="textLayer" />
      </div>
    </section>
  );
}
