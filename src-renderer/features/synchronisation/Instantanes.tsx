// Snapshots (.atlas-instantane) on the synchronisation screen: import one of this device's scope (it
// brings the copy up to its date with no network), download the server's (online, to carry), and — on an
// SGAR's or the DAECT's device — save a collectivité's snapshot made from this device's own copy, to carry
// to a town hall without network. See src-renderer/sync/snapshot.ts and docs/architecture.md.
import { useId, useMemo, useState } from 'react';
import { FILE_EXTENSIONS } from '../../../src-shared/files/container';
import { REGION_NOMS, regionNom } from '../../../src-shared/reference/regions';
import { useApp } from '../../core/context';
import {
  buildOwnCollectiviteSnapshot,
  downloadSnapshot,
  importSnapshotFile,
  useRecords,
  type Perimetre,
  type SnapshotImportSummary,
  type SnapshotProgress,
} from '../../core/data';
import { saveFile } from '../../core/platform';
import { userMessage } from '../../ui/errors';
import { formatDateTime, formatInt } from '../../ui/format';
import { FileImport, StatusLine, type Status } from './FileImport';

const plural = (n: number, one: string, many: string) => `${formatInt(n)} ${n > 1 ? many : one}`;
const slug = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();
const FILTERS = [{ name: 'Instantané de l’Atlas', extensions: [FILE_EXTENSIONS.instantane.slice(1)] }];

/** A progress bar and its text, announced to screen readers. */
function Progress({ id, p, label }: { id: string; p: SnapshotProgress | null; label: string }) {
  if (!p) return null;
  const what =
    p.phase === 'check'
      ? 'Vérification du fichier'
      : p.phase === 'apply'
        ? 'Enregistrement dans la copie de ce poste'
        : 'Préparation du fichier';
  const text = `${what} : ${formatInt(p.done)} enregistrement${p.done > 1 ? 's' : ''}${p.total ? ` sur ${formatInt(p.total)}` : ''}…`;
  return (
    <p className="fr-text--sm fr-mb-1w" data-testid={`${id}-progression`}>
      <progress
        aria-label={label}
        aria-describedby={`${id}-progression-texte`}
        style={{ width: '12rem' }}
        {...(p.total ? { max: p.total, value: p.done } : {})}
      />{' '}
      <span id={`${id}-progression-texte`}>{text}</span>
    </p>
  );
}

function ImportSummary({ r }: { r: SnapshotImportSummary }) {
  if (r.status === 'up_to_date')
    return (
      <div className="fr-alert fr-alert--info fr-mt-2w" data-testid="instantane-resume">
        <h4 className="fr-alert__title">Rien à importer</h4>
        <p>
          La copie de ce poste est déjà à la date de cet instantané ({r.scopeLabel}, données du{' '}
          {formatDateTime(r.createdAt)}) : rien n’a été changé.
        </p>
      </div>
    );
  return (
    <div className="fr-alert fr-alert--success fr-mt-2w" data-testid="instantane-resume">
      <h4 className="fr-alert__title">Instantané importé</h4>
      <p>
        Instantané « {r.scopeLabel} » produit par {r.producedBy} le {formatDateTime(r.createdAt)} (signature vérifiée
        {r.signer === 'server' ? ' : serveur' : ' : poste certifié par le serveur'}) :{' '}
        {plural(r.records, 'enregistrement reçu', 'enregistrements reçus')}
        {r.removed ? `, ${plural(r.removed, 'enregistrement supprimé', 'enregistrements supprimés')} depuis` : ''},{' '}
        {r.conflicts ? plural(r.conflicts, 'conflit à résoudre', 'conflits à résoudre') : 'aucun conflit'},{' '}
        {r.pendingKept
          ? `${plural(r.pendingKept, 'modification en attente conservée', 'modifications en attente conservées')} (elle${r.pendingKept > 1 ? 's' : ''} partir${r.pendingKept > 1 ? 'ont' : 'a'} à la prochaine synchronisation)`
          : 'aucune modification en attente'}
        .
      </p>
    </div>
  );
}

/** « Importer un instantané » of this device's own scope. */
function ImportSnapshot() {
  return (
    <FileImport<SnapshotImportSummary, SnapshotProgress>
      heading="Mettre ma copie à jour sans réseau"
      label="Importer un instantané"
      hint={
        <>
          Fichier {FILE_EXTENSIONS.instantane} de votre périmètre, signé par le serveur ou par un service de l’État. Vos
          modifications en attente sont conservées ; un fichier plus ancien que votre copie est refusé.
        </>
      }
      accept={FILE_EXTENSIONS.instantane}
      importBytes={importSnapshotFile}
      failure="L’instantané n’a pas pu être importé."
      renderProgress={(p) => <Progress id="import-instantane" p={p} label="Progression de l’import" />}
      renderResult={(r) => <ImportSummary r={r} />}
      statusTestId="instantane-etat"
    />
  );
}

/** « Télécharger l’instantané de ma collectivité / de ma région » (the DAECT: a région or the nation). */
function DownloadSnapshot() {
  const { user } = useApp();
  const selectId = useId();
  const [choice, setChoice] = useState<string>('national');
  const [status, setStatus] = useState<Status>({ kind: 'idle', text: '' });
  const regions = useMemo(() => Object.entries(REGION_NOMS).sort(([, a], [, b]) => a.localeCompare(b, 'fr')), []);
  let perimetre: Perimetre | null = null;
  let name = '';
  let label = '';
  if (user.role === 'agent' && user.collectiviteId) {
    perimetre = `collectivite:${user.collectiviteId}`;
    name = user.collectiviteNom ?? 'collectivite';
    label = 'Télécharger l’instantané de ma collectivité';
  } else if (user.role === 'sgar' && user.region) {
    perimetre = `region:${user.region}`;
    name = regionNom(user.region) ?? user.region;
    label = 'Télécharger l’instantané de ma région';
  } else if (user.role === 'daect') {
    perimetre = choice === 'national' ? 'national' : `region:${choice}`;
    name = choice === 'national' ? 'national' : (regionNom(choice) ?? choice);
    label = 'Télécharger l’instantané';
  }
  if (!perimetre) return null;
  const download = async () => {
    setStatus({ kind: 'busy', text: 'Préparation de l’instantané par le serveur…' });
    try {
      const bytes = await downloadSnapshot(perimetre);
      const saved = await saveFile(
        `instantane-${slug(name)}-${new Date().toISOString().slice(0, 10)}${FILE_EXTENSIONS.instantane}`,
        bytes,
        FILTERS,
      );
      setStatus(
        saved.saved
          ? {
              kind: 'done',
              text: `Instantané enregistré${saved.path ? ` dans « ${saved.path} »` : ''} (${formatInt(Math.ceil(bytes.length / 1024))} Ko) : importez-le sur un poste de ce périmètre, même sans réseau.`,
            }
          : { kind: 'idle', text: 'Enregistrement annulé.' },
      );
    } catch (e) {
      setStatus({ kind: 'error', text: userMessage(e, 'L’instantané n’a pas pu être téléchargé.') });
    }
  };
  return (
    <div className="fr-col-12 fr-col-md-6">
      <h3 className="fr-h6">Télécharger l’instantané du serveur</h3>
      <p className="fr-text--sm">
        Avec une connexion : toutes les données du périmètre, signées par le serveur, dans un fichier à emporter.
      </p>
      {user.role === 'daect' && (
        <div className="fr-select-group">
          <label className="fr-label" htmlFor={selectId}>
            Périmètre de l’instantané
          </label>
          <select className="fr-select" id={selectId} value={choice} onChange={(e) => setChoice(e.currentTarget.value)}>
            <option value="national">France entière</option>
            {regions.map(([code, nom]) => (
              <option key={code} value={code}>
                Région {nom}
              </option>
            ))}
          </select>
        </div>
      )}
      <button
        type="button"
        className="fr-btn fr-btn--secondary fr-icon-download-line fr-btn--icon-left"
        disabled={status.kind === 'busy'}
        onClick={() => void download()}
      >
        {label}
      </button>
      <StatusLine status={status} />
    </div>
  );
}

/** « Enregistrer un instantané de <collectivité> » from this SGAR's or DAECT's copy. */
function ProduceSnapshot() {
  const { collectiviteId } = useApp();
  const selectId = useId();
  const collectivites = useRecords('collectivite');
  const sorted = useMemo(
    () =>
      [...(collectivites ?? [])].sort((a, b) => String(a.nom).localeCompare(String(b.nom), 'fr', { numeric: true })),
    [collectivites],
  );
  const [chosen, setChosen] = useState<string>('');
  const [status, setStatus] = useState<Status>({ kind: 'idle', text: '' });
  const [progress, setProgress] = useState<SnapshotProgress | null>(null);
  const current = chosen || (collectiviteId && sorted.some((c) => c.id === collectiviteId) ? collectiviteId : '');
  const nom = sorted.find((c) => c.id === current)?.nom as string | undefined;
  const save = async () => {
    if (!current) return;
    setStatus({ kind: 'busy', text: 'Préparation de l’instantané…' });
    try {
      const made = await buildOwnCollectiviteSnapshot(current, setProgress);
      const saved = await saveFile(
        `instantane-${slug(made.scopeLabel)}-${made.createdAt.slice(0, 10)}${FILE_EXTENSIONS.instantane}`,
        made.bytes,
        FILTERS,
      );
      setStatus(
        saved.saved
          ? {
              kind: 'done',
              text: `Instantané de ${made.scopeLabel} enregistré${saved.path ? ` dans « ${saved.path} »` : ''} : ${plural(made.records, 'enregistrement', 'enregistrements')} tels que le serveur les a envoyés à ce poste${made.conflicts ? `, ${plural(made.conflicts, 'conflit', 'conflits')}` : ''}. Signé par ce poste.`,
            }
          : { kind: 'idle', text: 'Enregistrement annulé.' },
      );
    } catch (e) {
      setStatus({ kind: 'error', text: userMessage(e, 'L’instantané n’a pas pu être préparé.') });
    } finally {
      setProgress(null);
    }
  };
  return (
    <div className="fr-col-12 fr-col-md-6">
      <h3 className="fr-h6">Emporter les données d’une collectivité</h3>
      <p className="fr-text--sm">
        Pour une mairie sans réseau : l’instantané d’une collectivité tiré de la copie de ce poste (données reçues du
        serveur, avec les avis et les attestations ; jamais vos modifications en attente), signé par ce poste.
      </p>
      <div className="fr-select-group">
        <label className="fr-label" htmlFor={selectId}>
          Collectivité
        </label>
        <select
          className="fr-select"
          id={selectId}
          value={current}
          disabled={status.kind === 'busy'}
          onChange={(e) => setChosen(e.currentTarget.value)}
        >
          <option value="">— Choisir une collectivité —</option>
          {sorted.map((c) => (
            <option key={c.id} value={c.id}>
              {String(c.nom)}
            </option>
          ))}
        </select>
      </div>
      <button
        type="button"
        className="fr-btn fr-btn--secondary fr-icon-download-line fr-btn--icon-left"
        disabled={!current || status.kind === 'busy'}
        onClick={() => void save()}
      >
        {nom ? `Enregistrer un instantané de ${nom}` : 'Enregistrer un instantané'}
      </button>
      <Progress id="production-instantane" p={progress} label="Progression de la préparation" />
      <StatusLine status={status} />
    </div>
  );
}

export function SnapshotFiles() {
  const { user } = useApp();
  return (
    <section aria-labelledby="instantanes-titre" className="fr-mb-6w">
      <h2 id="instantanes-titre">Instantanés des données</h2>
      <div className="fr-grid-row fr-grid-row--gutters">
        <ImportSnapshot />
        <DownloadSnapshot />
        {(user.role === 'sgar' || user.role === 'daect') && <ProduceSnapshot />}
      </div>
    </section>
  );
}
