// « Importer un Atlas existant » (DAECT, online only): a file (CSV or Excel) and an optional mapping, the
// server's simulation report, then, once confirmed, the import — a job of the server whose progress the screen
// asks for every half second (batches and records written) — and its final report. The same import as
// `npm run import:atlas` (docs/import-atlas/README.md); the report's CSV lists every row to look at again.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ImportAtlasJob, ImportAtlasResponse } from '../../../src-shared/api/importAtlas';
import { useSyncStatus } from '../../core/data';
import { saveFile } from '../../core/platform';
import { MAX_UPLOAD_BYTES, describeError, importStatus, isNetworkFailure, simulateImport, startImport } from './api';
import { failureText } from './failure';

type Running = Extract<ImportAtlasJob, { etat: 'en_cours' }>;
type State =
  | { step: 'choose' }
  | { step: 'working'; dryRun: boolean }
  | { step: 'running'; job: Running }
  | { step: 'simulated'; result: ImportAtlasResponse }
  | { step: 'done'; result: ImportAtlasResponse };

const n = (x: number) => x.toLocaleString('fr-FR');
const POLL_MS = 500;
/** Failed status requests in a row (network) before the screen stops following the import. */
const POLL_FAILURES = 6;
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

function progressText(job: Running): string {
  if (job.lots === 0) return 'Préparation de l’import : lecture du fichier et comparaison avec l’Atlas…';
  return `Lot ${n(job.lot)} sur ${n(job.lots)} écrit — ${n(job.ecrits)} enregistrements sur ${n(job.total)}`;
}

function Progression({ job }: { job: Running }) {
  const known = job.lots > 0 && job.total > 0;
  return (
    <div className="fr-mt-2w" data-testid="import-progression">
      <progress
        className="atlas-progress"
        aria-labelledby="import-progression-texte"
        {...(known ? { max: job.total, value: job.ecrits } : {})}
      />
      <p id="import-progression-texte" role="status" aria-live="polite" className="fr-mt-1w">
        {progressText(job)}
      </p>
    </div>
  );
}

function Figures({ result }: { result: ImportAtlasResponse }) {
  const r = result.rapport;
  const dry = result.simulation;
  const c = r.collectivites;
  const rows: [string, string][] = [
    ['Lignes lues', n(r.lignesLues)],
    ['Collectivités reconnues', `${n(c.reconnues)} (${n(c.parCode)} par leur code, ${n(c.parNom)} par leur nom)`],
    ['Collectivités ambiguës', n(c.ambigues.length)],
    ['Collectivités inconnues', n(c.inconnues.length)],
    [
      dry ? 'Partenariats à créer / à mettre à jour / inchangés' : 'Partenariats créés / mis à jour / inchangés',
      `${n(r.partenariats.aCreer)} / ${n(r.partenariats.aMettreAJour)} / ${n(r.partenariats.inchanges)}`,
    ],
    [
      dry
        ? 'Fiches-projets à créer / à mettre à jour / inchangées'
        : 'Fiches-projets créées / mises à jour / inchangées',
      `${n(r.fiches.aCreer)} / ${n(r.fiches.aMettreAJour)} / ${n(r.fiches.inchanges)}`,
    ],
    ['Doublons ignorés', n(r.doublons.length)],
    ['Lignes refusées', n(r.refusees.length)],
    ['Valeurs conservées (modifiées depuis dans l’Atlas)', n(r.conserves.length)],
  ];
  return (
    <div className="fr-table fr-table--no-caption">
      <table>
        <caption>{dry ? 'Résultat de la simulation' : 'Résultat de l’import'}</caption>
        <tbody>
          {rows.map(([k, v]) => (
            <tr key={k}>
              <th scope="row">{k}</th>
              <td>{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ImportAtlasScreen() {
  const { online } = useSyncStatus();
  const [state, setState] = useState<State>({ step: 'choose' });
  const [error, setError] = useState<string | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const mappingRef = useRef<HTMLInputElement>(null);
  const files = useRef<{ file: File; mapping: File | null } | null>(null);
  const reportHeading = useRef<HTMLHeadingElement>(null);
  const progressHeading = useRef<HTMLHeadingElement>(null);
  // Leaving the screen stops following the import (the server goes on).
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  // A report shown takes the focus (keyboard and screen reader users hear its title first); so does the
  // progress, which replaces the button just pressed.
  useEffect(() => {
    if (state.step === 'simulated' || state.step === 'done') reportHeading.current?.focus();
    if (state.step === 'running') progressHeading.current?.focus();
  }, [state.step]);

  const simulate = async () => {
    const f = files.current;
    if (!f) return;
    setError(null);
    setState({ step: 'working', dryRun: true });
    try {
      const result = await simulateImport(f.file, f.mapping);
      setState({ step: 'simulated', result });
    } catch (e) {
      setError(describeError(e, 'La simulation a échoué.'));
      setState({ step: 'choose' });
    }
  };

  /** Starts the import on the server, then asks for its progress until it ends. */
  const runImport = async () => {
    const f = files.current;
    if (!f) return;
    setError(null);
    setState({ step: 'working', dryRun: false });
    let job: ImportAtlasJob;
    try {
      job = await startImport(f.file, f.mapping);
    } catch (e) {
      setError(describeError(e, 'L’import n’a pas pu être lancé.'));
      setState({ step: 'choose' });
      return;
    }
    let failures = 0;
    while (job.etat === 'en_cours') {
      if (!mounted.current) return;
      setState({ step: 'running', job });
      await wait(POLL_MS);
      try {
        job = await importStatus(job.id);
        failures = 0;
      } catch (e) {
        if (++failures < POLL_FAILURES && isNetworkFailure(e)) continue;
        if (!mounted.current) return;
        setError(
          `${describeError(e, 'Le suivi de l’import a échoué.')} L’import continue peut-être sur le serveur ; ce qu’il a écrit y reste (chaque lot est tout ou rien). Importer de nouveau le même fichier reprend où il s’est arrêté.`,
        );
        setState({ step: 'choose' });
        return;
      }
    }
    if (!mounted.current) return;
    if (job.etat === 'termine') setState({ step: 'done', result: job.resultat });
    else {
      setError(failureText(job));
      setState({ step: 'choose' });
    }
  };

  const submit = (ev: FormEvent) => {
    ev.preventDefault();
    const file = fileRef.current?.files?.[0];
    if (!file) {
      setError('Choisissez le fichier à importer.');
      return;
    }
    if (file.size > MAX_UPLOAD_BYTES) {
      setError(
        `Le fichier fait ${(file.size / 1024 / 1024).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} Mo : au-delà de 6 Mo, importez-le avec la commande « npm run import:atlas » sur le serveur.`,
      );
      return;
    }
    files.current = { file, mapping: mappingRef.current?.files?.[0] ?? null };
    void simulate();
  };

  const downloadReport = (result: ImportAtlasResponse) =>
    void saveFile(`rapport-import-${result.rapport.fichier.nom.replace(/\.[^.]+$/, '')}.csv`, result.csv, [
      { name: 'CSV', extensions: ['csv'] },
    ]);

  const result = state.step === 'simulated' || state.step === 'done' ? state.result : null;
  return (
    <div>
      <h1>Importer un Atlas existant</h1>
      <p>
        Reprend dans l’Atlas des projets déjà publiés : un tableau des projets de coopération décentralisée (CSV ou
        Excel) ou un export de l’application. Une simulation montre d’abord ce qui serait créé ou mis à jour ; rien
        n’est écrit avant votre confirmation. Importer de nouveau le même fichier ne crée rien, et une valeur modifiée
        depuis par une collectivité n’est jamais remplacée.
      </p>
      {!online && (
        <div className="fr-alert fr-alert--info fr-mb-3w">
          <p>Vous êtes hors ligne : l’import se fait en ligne seulement, sur le serveur.</p>
        </div>
      )}
      {error && (
        <div className="fr-alert fr-alert--error fr-mb-3w" role="alert">
          <p>{error}</p>
        </div>
      )}
      {(state.step === 'choose' || state.step === 'working') && (
        <form onSubmit={submit} noValidate>
          <div className="fr-upload-group fr-mb-3w">
            <label className="fr-label" htmlFor="import-fichier">
              Fichier à importer
              <span className="fr-hint-text">
                CSV (UTF-8 ou Windows-1252, « ; » ou « , ») ou Excel .xlsx, 6 Mo au plus.
              </span>
            </label>
            <input className="fr-upload" type="file" id="import-fichier" accept=".csv,.xlsx,text/csv" ref={fileRef} />
          </div>
          <div className="fr-upload-group fr-mb-3w">
            <label className="fr-label" htmlFor="import-correspondance">
              Fichier de correspondance des colonnes (facultatif)
              <span className="fr-hint-text">
                JSON, sur le modèle de docs/import-atlas/mapping-modele.json. Sans lui, les colonnes du modèle et des
                exports de l’application sont reconnues.
              </span>
            </label>
            <input
              className="fr-upload"
              type="file"
              id="import-correspondance"
              accept=".json,application/json"
              ref={mappingRef}
            />
          </div>
          <button className="fr-btn" type="submit" disabled={!online || state.step === 'working'}>
            Simuler l’import
          </button>
          {state.step === 'working' && (
            <p role="status" className="fr-mt-2w">
              {state.dryRun ? 'Simulation en cours…' : 'Lancement de l’import…'}
            </p>
          )}
        </form>
      )}
      {state.step === 'running' && (
        <section aria-labelledby="import-en-cours" className="fr-mt-3w">
          <h2 id="import-en-cours" tabIndex={-1} ref={progressHeading}>
            Import en cours — {state.job.nom}
          </h2>
          <p>
            L’import écrit par lots, chacun entièrement ou pas du tout. Si vous quittez cet écran, l’import continue sur
            le serveur ; une fois terminé, importer de nouveau le même fichier n’écrit rien deux fois.
          </p>
          <Progression job={state.job} />
        </section>
      )}
      {result && (
        <section aria-labelledby="import-rapport" className="fr-mt-3w">
          <h2 id="import-rapport" tabIndex={-1} ref={reportHeading}>
            {result.simulation ? 'Simulation — rien n’a encore été écrit' : `Import terminé — ${result.libelle ?? ''}`}
          </h2>
          <p>
            Fichier : {result.rapport.fichier.nom}
            {result.rapport.fichier.feuille ? `, feuille « ${result.rapport.fichier.feuille} »` : ''}
            {result.rapport.fichier.encodage ? `, ${result.rapport.fichier.encodage}` : ''}. Correspondance :{' '}
            {result.rapport.fichier.correspondance}.
          </p>
          <Figures result={result} />
          <details className="fr-mb-3w">
            <summary>Rapport complet</summary>
            <pre className="fr-text--sm" style={{ whiteSpace: 'pre-wrap' }}>
              {result.texte}
            </pre>
          </details>
          <ul className="fr-btns-group fr-btns-group--inline-md">
            {state.step === 'simulated' && (
              <li>
                <button className="fr-btn" type="button" disabled={!online} onClick={() => void runImport()}>
                  Importer ces données
                </button>
              </li>
            )}
            <li>
              <button className="fr-btn fr-btn--secondary" type="button" onClick={() => downloadReport(result)}>
                Télécharger le rapport (CSV)
              </button>
            </li>
            <li>
              <button
                className="fr-btn fr-btn--tertiary"
                type="button"
                onClick={() => {
                  files.current = null;
                  setState({ step: 'choose' });
                }}
              >
                {state.step === 'done' ? 'Importer un autre fichier' : 'Choisir un autre fichier'}
              </button>
            </li>
          </ul>
        </section>
      )}
    </div>
  );
}
