// The import of a carried file on the synchronisation screen (a packet of changes, a snapshot): pick the
// file, the input disabled and its progress shown while it goes, then its summary or the French error;
// and the status line under the screen's other file actions.
import { useId, useState, type ChangeEvent, type ReactNode } from 'react';
import { userMessage } from '../../ui/errors';

export type Status = { kind: 'idle' | 'busy' | 'done' | 'error'; text: string };

/** An action's outcome under its button, announced to screen readers. */
export function StatusLine({ status }: { status: Status }) {
  return (
    <p role="status" className={`fr-mt-1w fr-text--sm ${status.kind === 'error' ? 'fr-error-text' : ''}`}>
      {status.text}
    </p>
  );
}

export interface FileImportProps<R, P> {
  heading: string;
  label: string;
  hint: ReactNode;
  /** The file's extension, with its dot. */
  accept: string;
  /** Imports the file's bytes, telling its progress (if it has any). */
  importBytes: (bytes: Uint8Array, onProgress: (p: P | null) => void) => Promise<R>;
  /** The error message when the failure carries no French one of its own. */
  failure: string;
  renderProgress?: (p: P | null) => ReactNode;
  renderResult: (r: R) => ReactNode;
  statusTestId?: string;
}

export function FileImport<R, P = never>(props: FileImportProps<R, P>) {
  const id = useId();
  const [status, setStatus] = useState<Status>({ kind: 'idle', text: '' });
  const [progress, setProgress] = useState<P | null>(null);
  const [result, setResult] = useState<R | null>(null);
  const onFile = async (ev: ChangeEvent<HTMLInputElement>) => {
    const input = ev.currentTarget;
    const file = input.files?.[0];
    if (!file) return;
    setResult(null);
    setStatus({ kind: 'busy', text: `Import de « ${file.name} »…` });
    try {
      const r = await props.importBytes(new Uint8Array(await file.arrayBuffer()), setProgress);
      setResult(r);
      setStatus({ kind: 'done', text: '' });
    } catch (e) {
      setStatus({ kind: 'error', text: userMessage(e, props.failure) });
    } finally {
      setProgress(null);
      input.value = '';
    }
  };
  return (
    <div className="fr-col-12 fr-col-md-6">
      <h3 className="fr-h6">{props.heading}</h3>
      <div className={`fr-upload-group ${status.kind === 'error' ? 'fr-upload-group--error' : ''}`}>
        <label className="fr-label" htmlFor={id}>
          {props.label}
          <span className="fr-hint-text">{props.hint}</span>
        </label>
        <input
          className="fr-upload"
          type="file"
          id={id}
          accept={props.accept}
          disabled={status.kind === 'busy'}
          onChange={(e) => void onFile(e)}
          aria-describedby={`${id}-etat`}
        />
        {props.renderProgress?.(progress)}
        <p
          id={`${id}-etat`}
          role="status"
          data-testid={props.statusTestId}
          className={status.kind === 'error' ? 'fr-error-text' : 'fr-text--sm'}
        >
          {status.text}
        </p>
      </div>
      {result !== null && props.renderResult(result)}
    </div>
  );
}
