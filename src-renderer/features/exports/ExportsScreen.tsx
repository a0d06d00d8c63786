// « Exports » (DAECT: the whole country; SGAR: its région): the device's copy of the scope, offline, as one
// CSV per entity for French Excel or one JSON of everything. The files are built chunk by chunk (build.ts)
// with a progress bar and a cancel button, and saved through the platform (a save dialog on the desktop,
// a download in the browser). Personal data (the élus et cadres) only for the roles that manage them
// (src-shared/exports.ts).
import { useEffect, useRef, useState } from 'react';
import { exportableEntities, mayExportPersonalData } from '../../../src-shared/exports';
import { regionNom } from '../../../src-shared/reference/regions';
import { entityDef, ENTITY_ORDER, type EntityName } from '../../../src-shared/registry';
import { useApp, type CurrentUser } from '../../core/context';
import { repository } from '../../core/data';
import { saveFile } from '../../core/platform';
import { formatInt, todayIso } from '../../ui/format';
import { showToast } from '../../ui/toast';
import {
  buildCsv,
  buildJson,
  ExportCancelled,
  type ExportProgress,
  type ExportScope,
  type RecordSource,
} from './build';

const source: RecordSource = {
  count: (e) => repository.count(e),
  pages: (e) => repository.pages(e),
};

/** The scope of the person's copy, as the JSON file states it and the screen says it. */
export function exportScope(user: CurrentUser): ExportScope {
  return user.role === 'sgar'
    ? { role: user.role, scope: 'region', region: user.region, label: `Région ${regionNom(user.region) ?? ''}`.trim() }
    : { role: user.role, scope: 'national', region: null, label: 'National' };
}

/** `atlas-fiches-projets-national-2026-12-03.csv`, `atlas-export-region-53-2026-12-03.json`. */
export function exportFileName(what: string, scope: ExportScope, ext: 'csv' | 'json', day = todayIso()): string {
  const slug = what
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[’']/g, '-')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();
  const where = scope.scope === 'region' ? `region-${scope.region ?? ''}` : 'national';
  return `atlas-${slug}-${where}-${day}.${ext}`;
}

/** « 12 000 / 12 800 fiches-projets » */
export function progressLabel(p: ExportProgress, json: boolean): string {
  return `${formatInt(p.done)} / ${formatInt(p.total)} ${json ? 'enregistrements' : entityDef(p.entity).labelPlural}`;
}

type Running = { kind: 'csv'; entity: EntityName } | { kind: 'json' };

export function ExportsScreen() {
  const { user } = useApp();
  const [counts, setCounts] = useState<Partial<Record<EntityName, number>> | null>(null);
  const [running, setRunning] = useState<Running | null>(null);
  const [progress, setProgress] = useState<ExportProgress | null>(null);
  const [message, setMessage] = useState('');
  const abort = useRef<AbortController | null>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const messageRef = useRef<HTMLParagraphElement>(null);
  const ran = useRef(false);
  const allowed = user.role !== 'agent';
  const entities = exportableEntities(user.role);
  const scope = exportScope(user);

  useEffect(() => {
    if (!allowed) return;
    let live = true;
    void repository.counts().then((c) => {
      if (live) setCounts(c);
    });
    return () => {
      live = false;
    };
  }, [allowed, running]);
  // Leaving the screen stops an export under way.
  useEffect(() => () => abort.current?.abort(), []);
  // The clicked button is disabled while the file is built: the focus goes to « Annuler l’export », then,
  // that button gone, to the sentence that says how it ended (keyboard and screen reader users stay in place).
  useEffect(() => {
    if (running) {
      ran.current = true;
      cancelButton.current?.focus();
    } else if (ran.current) {
      const f = document.activeElement;
      if (!f || f === document.body || (f instanceof HTMLButtonElement && f.disabled)) messageRef.current?.focus();
    }
  }, [running]);

  if (!allowed)
    return (
      <>
        <h1>Exports</h1>
        <p>Les exports régionaux et nationaux sont réservés aux SGAR et à la DAECT.</p>
      </>
    );

  async function run(what: Running) {
    const ctrl = new AbortController();
    abort.current = ctrl;
    setRunning(what);
    setProgress(null);
    const name = what.kind === 'csv' ? entityDef(what.entity).labelPlural : 'tout';
    setMessage(`Préparation de l’export : ${what.kind === 'csv' ? name : 'toutes les données'}…`);
    try {
      const opts = { signal: ctrl.signal, onProgress: setProgress, totals: counts ?? undefined };
      // Marks for the benchmark (bench/ui.ts): how long building the file takes, apart from saving it.
      performance.clearMarks('atlas-export-start');
      performance.clearMarks('atlas-export-built');
      performance.clearMarks('atlas-export-lookups');
      performance.mark('atlas-export-start');
      const blob =
        what.kind === 'csv'
          ? await buildCsv(what.entity, source, opts)
          : await buildJson(entities, source, { exportedAt: new Date().toISOString(), scope }, opts);
      performance.mark('atlas-export-built');
      const file = what.kind === 'csv' ? exportFileName(name, scope, 'csv') : exportFileName('export', scope, 'json');
      const r = await saveFile(
        file,
        blob,
        what.kind === 'csv' ? [{ name: 'CSV', extensions: ['csv'] }] : [{ name: 'JSON', extensions: ['json'] }],
      );
      const personal = what.kind === 'json' ? mayExportPersonalData(user.role) : !!entityDef(what.entity).personalData;
      const done = r.saved
        ? `Export enregistré${r.path ? ` : ${r.path}` : ` (${file})`}.${personal ? ' Ce fichier contient des données personnelles : ne le diffusez pas.' : ''}`
        : 'Export abandonné : aucun fichier n’a été enregistré.';
      setMessage(done);
      if (r.saved) showToast({ message: done });
    } catch (e) {
      setMessage(
        e instanceof ExportCancelled
          ? 'Export annulé : aucun fichier n’a été enregistré.'
          : `L’export a échoué : ${e instanceof Error ? e.message : String(e)}`,
      );
    } finally {
      abort.current = null;
      setRunning(null);
    }
  }

  const busy = running !== null;
  const excluded = ENTITY_ORDER.filter((e) => !entities.includes(e));
  return (
    <>
      <h1>Exports</h1>
      <p>
        Exportez la copie de ce poste ({scope.scope === 'national' ? 'toutes les collectivités' : scope.label}), même
        sans connexion : un fichier CSV par type de fiche, lisible dans un tableur (séparateur point-virgule), ou un
        fichier JSON de toutes les données. Les fichiers reflètent la dernière synchronisation et vos modifications pas
        encore envoyées.
      </p>
      {excluded.length > 0 ? (
        <p className="fr-text--sm" data-testid="exports-donnees-personnelles">
          Les {excluded.map((e) => entityDef(e).labelPlural).join(', ')} ne sont pas exportés : ce sont des données
          personnelles, que seuls les agents des collectivités et la DAECT gèrent.
        </p>
      ) : (
        <p className="fr-text--sm" data-testid="exports-donnees-personnelles">
          Les fichiers des élus et cadres contiennent des données personnelles : ne les diffusez pas.
        </p>
      )}
      <div className="fr-table fr-table--no-caption">
        <div className="fr-table__wrapper">
          <div className="fr-table__container">
            <div className="fr-table__content">
              <table>
                <caption>Données exportables</caption>
                <thead>
                  <tr>
                    <th scope="col">Données</th>
                    <th scope="col">Enregistrements sur ce poste</th>
                    <th scope="col">Export</th>
                  </tr>
                </thead>
                <tbody>
                  {entities.map((e) => {
                    const label = entityDef(e).labelPlural;
                    return (
                      <tr key={e} data-testid={`export-${e}`}>
                        <th scope="row">{label.charAt(0).toUpperCase() + label.slice(1)}</th>
                        <td>{counts ? formatInt(counts[e] ?? 0) : 'Comptage…'}</td>
                        <td>
                          <button
                            type="button"
                            className="fr-btn fr-btn--secondary fr-btn--sm fr-icon-download-line fr-btn--icon-left"
                            disabled={busy}
                            onClick={() => void run({ kind: 'csv', entity: e })}
                          >
                            Exporter les {label} en CSV
                          </button>
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </div>
        </div>
      </div>
      <p>
        <button
          type="button"
          className="fr-btn fr-icon-download-line fr-btn--icon-left"
          disabled={busy}
          onClick={() => void run({ kind: 'json' })}
        >
          Tout exporter en JSON
        </button>
      </p>
      <div data-testid="export-progression" className="fr-mb-3w">
        {busy && (
          <div className="atlas-actions">
            <progress
              id="export-barre"
              aria-labelledby="export-avancement"
              max={Math.max(progress?.total ?? 0, 1)}
              value={progress?.done ?? 0}
              style={{ width: '16rem' }}
            />
            <span id="export-avancement" data-testid="export-avancement">
              {progress ? progressLabel(progress, running?.kind === 'json') : 'Lecture de la copie…'}
            </span>
            <button
              ref={cancelButton}
              type="button"
              className="fr-btn fr-btn--tertiary fr-btn--sm"
              onClick={() => abort.current?.abort()}
            >
              Annuler l’export
            </button>
          </div>
        )}
        <p role="status" data-testid="export-message" ref={messageRef} tabIndex={-1}>
          {message}
        </p>
      </div>
    </>
  );
}
