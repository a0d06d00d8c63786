// « Importer un Atlas existant » (DAECT, online only): a file (CSV or Excel) and an optional mapping, the
// server's simulation report, then, once confirmed, the import and its final report. The same import as
// `npm run import:atlas` (docs/import-atlas/README.md); the report's CSV lists every row to look at again.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ImportAtlasResponse } from '../../../src-shared/api/importAtlas';
import { useSyncStatus } from '../../core/data';
import { saveFile } from '../../core/platform';
import { MAX_UPLOAD_BYTES, describeError, sendImport } from './api';

type State =
  | { step: 'choose' }
  | { step: 'working'; dryRun: boolean }
  | { step: 'simulated'; result: ImportAtlasResponse }
  | { step: 'done'; result: ImportAtlasResponse };

const n = (x: number) => x.toLocaleString('fr-FR');

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
  // A report shown takes the focus (keyboard and screen reader users hear its title first).
  useEffect(() => {
    if (state.step === 'simulated' || state.step === 'done') reportHeading.current?.focus();
  }, [state.step]);

  const run = async (dryRun: boolean) => {
    const f = files.current;
    if (!f) return;
    setError(null);
    setState({ step: 'working', dryRun });
    try {
      const result = await sendImport(f.file, f.mapping, dryRun);
      setState(dryRun ? { step: 'simulated', result } : { step: 'done', result });
    } catch (e) {
      setError(describeError(e, dryRun ? 'La simulation a échoué.' : 'L’import a échoué.'));
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
    void run(true);
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
              {state.dryRun ? 'Simulation en cours…' : 'Import en cours…'}
            </p>
          )}
        </form>
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
                <button className="fr-btn" type="button" disabled={!online} onClick={() => void run(false)}>
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
