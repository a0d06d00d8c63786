// Synchronisation: the status (with the progress of a long pull); each change waiting to be sent, with a
// link to its record; deletes that can still be undone; changes the server refused, with its message and
// a link to fix each; and the conflicts: both values side by side with who and when, keep one or give a
// third value (typed here, or in the record's form for tables such as the cofinancements).
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { CONFLICT_KIND_LABELS } from '../../../src-shared/sync/protocol';
import { entityDef, fieldLabel, type EntityName } from '../../../src-shared/registry';
import { sameValue } from '../../../src-shared/sync/merge';
import {
  repository,
  resolveConflict,
  syncEngine,
  useConflicts,
  usePendingChanges,
  useRecords,
  useRejected,
  useSyncStatus,
  useUndoableDeletes,
  ValidationError,
  type PendingChange,
  type UndoableDelete,
} from '../../core/data';
import { href } from '../../core/router';
import { formatDateTime, parseAmount } from '../../ui/format';
import { userMessage } from '../../ui/errors';
import { useRecordOrNull } from '../../ui/useRecordOrNull';
import { recordRoute, recordTitle } from './labels';
import { SyncFiles } from './Fichiers';
import { OuvrirInstantane } from '../visionneuse/OuvrirInstantane';
import { SnapshotFiles } from './Instantanes';
import { SyncProgress } from './SyncProgress';
import { askConfirm } from '../../ui/confirm';
import { editableInline, fieldKind, formatAge, formatFieldValue, formatRecordLines, type ValueContext } from './values';

const cap = (s: string) => s.charAt(0).toLocaleUpperCase('fr') + s.slice(1);
const what = (entity: EntityName, rec: Record<string, unknown> | null | undefined, ctx: ValueContext) => {
  const t = recordTitle(entity, rec, ctx.entries);
  return `${cap(entityDef(entity).label)}${t ? ` « ${t} »` : ''}`;
};

type ConflictRow = NonNullable<ReturnType<typeof useConflicts>>[number];
type RejectedRow = NonNullable<ReturnType<typeof useRejected>>[number];

/**
 * Names of the élus et cadres, so a référent reads as a person, not an identifier; the reference lists, so a
 * thématique or a réseau reads by its label.
 */
function useValueContext(): ValueContext {
  const contacts = useRecords('contact');
  const entries = useRecords('entreeReference');
  return useMemo(() => {
    const names = new Map((contacts ?? []).map((c) => [c.id, `${c.prenom} ${c.nom}`]));
    return { contactName: (id: string) => names.get(id), entries: entries ?? [] };
  }, [contacts, entries]);
}

/** Re-renders every minute, so "il y a 5 minutes" stays true on a screen left open. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(t);
  }, []);
  return now;
}

export function SynchronisationScreen() {
  const s = useSyncStatus();
  const conflicts = useConflicts();
  const rejected = useRejected();
  const pending = usePendingChanges();
  const undoable = useUndoableDeletes();
  const ctx = useValueContext();
  return (
    <>
      <h1>Synchronisation</h1>
      <div className="fr-card fr-p-3w fr-mb-4w">
        <ul className="fr-raw-list">
          <li>
            Connexion : <strong>{s.online ? 'en ligne' : 'hors ligne'}</strong>
            {s.syncing ? ' — synchronisation en cours' : ''}
          </li>
          <li>
            Modifications en attente d’envoi : <strong data-testid="nombre-attente">{s.pendingCount}</strong>
            {s.oldestPendingAt ? ` (la plus ancienne : ${formatDateTime(s.oldestPendingAt)})` : ''}
          </li>
          <li>Dernière synchronisation réussie : {s.lastSyncAt ? formatDateTime(s.lastSyncAt) : 'aucune'}</li>
          {s.lastError && <li>Dernière erreur : {s.lastError}</li>}
        </ul>
        <SyncProgress id="progression-ecran" syncing={s.syncing} progress={s.progress} live={false} />
        <button type="button" className="fr-btn fr-mt-2w" onClick={() => void syncEngine.retryNow()}>
          Synchroniser maintenant
        </button>
      </div>
      <CopyCheck />
      <section aria-labelledby="attente-titre" className="fr-mb-6w">
        <h2 id="attente-titre">Modifications en attente d’envoi ({pending?.length ?? 0})</h2>
        {pending?.length === 0 && (
          <p>Aucune modification en attente : tout ce qui a été saisi sur ce poste est sur le serveur.</p>
        )}
        {!!pending?.length && <PendingTable rows={pending} undoable={undoable ?? []} ctx={ctx} />}
      </section>
      <SyncFiles pending={s.pendingCount} />
      <SnapshotFiles />
      <section aria-labelledby="visionneuse-titre" className="fr-mb-6w">
        <h2 id="visionneuse-titre">Consulter un instantané</h2>
        <p>
          Un instantané (fichier .atlas-instantane) s’ouvre ici en lecture seule, à côté de vos données : il ne les
          modifie pas et n’est pas importé. La synchronisation reprend quand vous le fermez.
        </p>
        <OuvrirInstantane secondary />
      </section>
      <section aria-labelledby="suppressions-titre" className="fr-mb-6w">
        <h2 id="suppressions-titre">Suppressions pouvant être annulées ({undoable?.length ?? 0})</h2>
        <p>Une suppression peut être annulée tant qu’elle n’a pas été envoyée au serveur.</p>
        <UndoList rows={undoable ?? []} ctx={ctx} />
      </section>
      <section aria-labelledby="conflits-titre" className="fr-mb-6w">
        <h2 id="conflits-titre">Conflits à résoudre ({conflicts?.length ?? 0})</h2>
        <p>
          Une même information a été modifiée différemment sur deux postes. Choisissez la bonne valeur : votre choix
          sera envoyé comme une modification.
        </p>
        {conflicts?.length === 0 && <p>Aucun conflit.</p>}
        {conflicts?.map((c) => (
          <ConflictCard key={c.id} c={c} ctx={ctx} />
        ))}
      </section>
      <section aria-labelledby="refus-titre">
        <h2 id="refus-titre">Modifications refusées par le serveur ({rejected?.length ?? 0})</h2>
        {rejected?.length === 0 && <p>Aucune modification refusée.</p>}
        {rejected?.map((r) => (
          <RejectedCard key={r.changeId} r={r} ctx={ctx} />
        ))}
      </section>
    </>
  );
}

/**
 * "Is what this computer holds exactly the server's?": the digest check of the sync engine, on demand.
 * The verdict covers every field of every record of the scope.
 */
function CopyCheck() {
  const [state, setState] = useState<{ kind: 'idle' | 'running' | 'done' | 'error'; text: string }>({
    kind: 'idle',
    text: '',
  });
  const run = async () => {
    setState({
      kind: 'running',
      text: 'Vérification en cours : chaque enregistrement de ce poste est comparé à celui du serveur…',
    });
    const out = await syncEngine.checkCopy();
    if (!out.ok) {
      setState({ kind: 'error', text: `La vérification n’a pas pu se faire : ${out.error.message}` });
      return;
    }
    const n = out.report.checkedRecords.toLocaleString('fr-FR');
    if (out.report.checked === 'match')
      setState({
        kind: 'done',
        text: `La copie de ce poste est identique à celle du serveur (${n} enregistrements vérifiés).`,
      });
    else if (out.report.checked === 'repaired') {
      const r = out.report.repaired;
      setState({
        kind: 'done',
        text: `${r} enregistrement${r > 1 ? 's différaient' : ' différait'} du serveur et ${r > 1 ? 'ont été rétablis' : 'a été rétabli'} ; vos modifications en attente sont conservées (${n} enregistrements vérifiés).`,
      });
    } else
      setState({
        kind: 'error',
        text: 'La vérification n’a pas pu se faire : le serveur a encore des modifications à envoyer. Réessayez dans un instant.',
      });
  };
  return (
    <section aria-labelledby="copie-titre" className="fr-mb-6w">
      <h2 id="copie-titre">Vérifier la copie de ce poste</h2>
      <p>
        Compare chaque enregistrement gardé sur ce poste à celui du serveur et rétablit ce qui diffère, sans toucher aux
        modifications en attente. Ce contrôle a lieu aussi automatiquement au démarrage puis toutes les six heures.
      </p>
      <button
        type="button"
        className="fr-btn fr-btn--secondary"
        disabled={state.kind === 'running'}
        onClick={() => void run()}
      >
        Vérifier la copie
      </button>
      <p role="status" aria-live="polite" data-testid="verification-copie" data-etat={state.kind} className="fr-mt-2w">
        {state.text}
      </p>
    </section>
  );
}

const OP_LABELS: Record<PendingChange['op'], string> = {
  create: 'Création',
  update: 'Modification',
  delete: 'Suppression',
};

function PendingTable({
  rows,
  undoable,
  ctx,
}: {
  rows: PendingChange[];
  undoable: UndoableDelete[];
  ctx: ValueContext;
}) {
  const now = useNow();
  return (
    <div className="atlas-table-wrap">
      <table className="atlas-table" data-testid="liste-attente">
        <caption className="fr-sr-only">Modifications en attente d’envoi ({rows.length})</caption>
        <thead>
          <tr>
            <th scope="col">Enregistrement</th>
            <th scope="col">Modification</th>
            <th scope="col">Champs</th>
            <th scope="col">En attente depuis</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((p) => {
            const label = what(p.entity, p.rec, ctx);
            const canUndo = p.op === 'delete' && undoable.some((u) => u.entity === p.entity && u.id === p.record);
            return (
              <tr key={p.changeId} data-testid="attente">
                <th scope="row" className="fr-text--regular">
                  {label}
                </th>
                <td>
                  {OP_LABELS[p.op]}
                  {p.carriedAt ? (
                    <>
                      <br />
                      <span className="fr-text--sm">confiée à un fichier le {formatDateTime(p.carriedAt)}</span>
                    </>
                  ) : p.sent ? (
                    <>
                      <br />
                      <span className="fr-text--sm">envoyée, réponse du serveur attendue</span>
                    </>
                  ) : null}
                </td>
                <td>
                  {p.op === 'update'
                    ? p.fields.map((f) => fieldLabel(p.entity, f)).join(', ')
                    : p.op === 'create'
                      ? 'tous'
                      : '—'}
                </td>
                <td>
                  {formatAge(p.createdAt, now)}
                  <br />
                  <span className="fr-text--sm">le {formatDateTime(p.createdAt)}</span>
                </td>
                <td>
                  {p.op !== 'delete' && p.rec ? (
                    <a className="fr-link" href={href(recordRoute(p.entity, p.record, p.rec, p.parent))}>
                      Ouvrir<span className="fr-sr-only"> {label}</span>
                    </a>
                  ) : canUndo ? (
                    'Annulable ci-dessous'
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function UndoList({ rows, ctx }: { rows: UndoableDelete[]; ctx: ValueContext }) {
  const [message, setMessage] = useState('');
  return (
    <>
      {rows.length === 0 && <p>Aucune suppression à annuler.</p>}
      {rows.length > 0 && (
        <ul className="fr-raw-list" data-testid="liste-suppressions">
          {rows.map((r) => {
            const label = what(r.entity, r.snapshot, ctx);
            const kids = r.children
              ? `, avec ${r.children} enregistrement${r.children > 1 ? 's' : ''} lié${r.children > 1 ? 's' : ''}`
              : '';
            return (
              <li key={`${r.entity}:${r.id}`} className="atlas-actions fr-mb-2w" data-testid="suppression">
                <span>
                  {label} — suppression du {formatDateTime(r.at)}
                  {kids}
                </span>
                <button
                  type="button"
                  className="fr-btn fr-btn--sm fr-btn--secondary"
                  onClick={async () => {
                    const ok = await repository.undoRemove(r.entity, r.id);
                    setMessage(
                      ok
                        ? `Suppression annulée : ${label} est de retour.`
                        : `Impossible d’annuler : la suppression de ${label} a déjà été envoyée au serveur.`,
                    );
                  }}
                >
                  Annuler la suppression<span className="fr-sr-only"> : {label}</span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <p role="status" className="fr-mb-0">
        {message}
      </p>
    </>
  );
}

/** Who and when, as far as the server knows it. */
function byWhen(by: string | null | undefined, at: string | null | undefined): string {
  return `${by ? ` par ${by}` : ''}${at ? ` le ${formatDateTime(at)}` : ''}`;
}

function ValueView({
  entity,
  field,
  value,
  ctx,
  testId,
}: {
  entity: EntityName;
  field: string | null;
  value: unknown;
  ctx: ValueContext;
  testId: string;
}) {
  if (field)
    return (
      <p className="atlas-value" data-testid={testId}>
        {formatFieldValue(entity, field, value, ctx)}
      </p>
    );
  if (value === null || typeof value !== 'object')
    return (
      <p className="atlas-value" data-testid={testId}>
        (supprimé)
      </p>
    );
  return (
    <ul className="fr-mb-1w" data-testid={testId}>
      {formatRecordLines(entity, value as Record<string, unknown>, ctx).map((l) => (
        <li key={l}>{l}</li>
      ))}
    </ul>
  );
}

function ConflictCard({ c, ctx }: { c: ConflictRow; ctx: ValueContext }) {
  const entity = c.entity as EntityName;
  const rec = useRecordOrNull(entity, c.record) as Record<string, unknown> | null | undefined;
  const [error, setError] = useState<string | null>(null);
  const fieldName = c.field ? fieldLabel(entity, c.field) : null;
  const pending = !!c.resolvingChangeId;
  const choose = async (value: unknown) => {
    setError(null);
    try {
      await resolveConflict(c.id, value);
      void syncEngine.syncNow();
    } catch (e) {
      setError(
        e instanceof ValidationError
          ? e.errors.map((x) => x.message).join(' ')
          : userMessage(e, 'La résolution du conflit a échoué.'),
      );
    }
  };
  const idBase = `conflit-${c.id}`;
  const route = recordRoute(entity, c.record, rec);
  // A value typed in the record's form since the conflict: it can settle the conflict too.
  const local = c.field && rec ? rec[c.field] : undefined;
  const showLocal = c.field !== null && rec && !sameValue(local, c.serverValue) && !sameValue(local, c.proposedValue);
  const inline = c.field !== null && editableInline(entity, c.field);
  const inForm = c.field !== null && !inline && fieldKind(entity, c.field).kind !== 'bool';
  return (
    <article className="fr-card fr-p-3w fr-mb-3w" aria-labelledby={`${idBase}-t`} data-testid="conflit">
      <h3 id={`${idBase}-t`} className="fr-h6">
        {what(entity, rec, ctx)}
        {fieldName ? ` — champ « ${fieldName} »` : ''}
      </h3>
      <p className="fr-text--sm">
        {CONFLICT_KIND_LABELS[c.kind]} <a href={href(route)}>Ouvrir l’enregistrement</a>
      </p>
      {pending && <p className="fr-badge fr-badge--info">Résolution choisie, en attente d’envoi</p>}
      <div className="atlas-side-by-side">
        <div className="fr-p-2w" style={{ border: '1px solid var(--border-default-grey)' }}>
          <p className="fr-text--bold fr-mb-1w" data-testid="auteur-serveur">
            Valeur enregistrée sur le serveur{byWhen(c.serverBy, c.serverAt)}
          </p>
          <ValueView entity={entity} field={c.field} value={c.serverValue} ctx={ctx} testId="valeur-serveur" />
          <button
            type="button"
            className="fr-btn fr-btn--sm"
            disabled={pending}
            onClick={() => void choose(c.serverValue)}
          >
            Garder cette valeur<span className="fr-sr-only"> (serveur)</span>
          </button>
        </div>
        <div className="fr-p-2w" style={{ border: '1px solid var(--border-default-grey)' }}>
          <p className="fr-text--bold fr-mb-1w" data-testid="auteur-proposee">
            Valeur proposée{byWhen(c.proposedBy, c.proposedAt)}
          </p>
          <ValueView entity={entity} field={c.field} value={c.proposedValue} ctx={ctx} testId="valeur-proposee" />
          <button
            type="button"
            className="fr-btn fr-btn--sm"
            disabled={pending}
            onClick={() => void choose(c.proposedValue)}
          >
            Garder cette valeur<span className="fr-sr-only"> (proposée)</span>
          </button>
        </div>
      </div>
      {showLocal && c.field && (
        <div className="fr-p-2w fr-mt-2w" style={{ border: '1px solid var(--border-default-grey)' }}>
          <p className="fr-text--bold fr-mb-1w">Valeur actuelle sur ce poste</p>
          <ValueView entity={entity} field={c.field} value={local} ctx={ctx} testId="valeur-poste" />
          <button type="button" className="fr-btn fr-btn--sm" disabled={pending} onClick={() => void choose(local)}>
            Garder cette valeur<span className="fr-sr-only"> (actuelle sur ce poste)</span>
          </button>
        </div>
      )}
      {inline && c.field && !pending && (
        <ThirdValue
          entity={entity}
          field={c.field}
          initial={c.serverValue}
          idBase={idBase}
          error={error}
          collectiviteId={rec?.collectiviteId as string | undefined}
          ctx={ctx}
          onChoose={(v) => void choose(v)}
        />
      )}
      {inForm && fieldName && (
        <p className="fr-mt-2w">
          Pour une autre valeur de « {fieldName} »,{' '}
          <a href={href(route)}>modifiez-la dans le formulaire de l’enregistrement</a> puis revenez ici et gardez la «
          valeur actuelle sur ce poste ».
        </p>
      )}
      {error && !inline && (
        <p className="fr-error-text" role="alert">
          {error}
        </p>
      )}
    </article>
  );
}

/** A third value typed on the spot, with the control its field deserves (list, boxes, date, amount…). */
function ThirdValue(p: {
  entity: EntityName;
  field: string;
  initial: unknown;
  idBase: string;
  error: string | null;
  collectiviteId?: string;
  ctx: ValueContext;
  onChoose: (v: unknown) => void;
}) {
  const k = fieldKind(p.entity, p.field, p.ctx);
  const contacts = useRecords('contact', p.collectiviteId ? { collectiviteId: p.collectiviteId } : undefined);
  const [text, setText] = useState('');
  const [many, setMany] = useState<(string | number)[]>(() =>
    Array.isArray(p.initial) ? (p.initial as (string | number)[]) : [],
  );
  const id = `${p.idBase}-autre`;
  const pick = k.kind === 'choice' || k.kind === 'choices' || k.kind === 'contact';
  const label = `Ou ${pick ? 'choisir' : 'saisir'} une autre valeur pour « ${fieldLabel(p.entity, p.field)} »`;
  const errProps = p.error ? { 'aria-describedby': `${id}-err`, 'aria-invalid': true as const } : {};
  const errorText = p.error && (
    <p id={`${id}-err`} className="fr-error-text" role="alert">
      {p.error}
    </p>
  );
  const value = (): unknown => {
    if (k.kind === 'choices') return many;
    if (text.trim() === '') return null;
    if (k.kind === 'amount') return parseAmount(text);
    if (k.kind === 'integer' || k.kind === 'decimal') return parseAmount(text);
    if (k.kind === 'choice') return k.choices.find((c) => String(c.value) === text)?.value ?? text;
    return text;
  };
  const ready = k.kind === 'choices' ? !sameValue(many, p.initial) : text.trim() !== '';
  const useButton = (
    <button
      type="button"
      className="fr-btn fr-btn--sm fr-btn--secondary fr-mt-1w"
      disabled={!ready}
      onClick={() => p.onChoose(value())}
    >
      Utiliser cette valeur
    </button>
  );
  if (k.kind === 'choices') {
    return (
      <fieldset
        className={`fr-fieldset fr-mt-2w${p.error ? ' fr-fieldset--error' : ''}`}
        {...(p.error ? { 'aria-describedby': `${id}-err` } : {})}
      >
        <legend className="fr-fieldset__legend fr-text--regular">{label}</legend>
        {k.choices.map((c) => {
          const cid = `${id}-${c.value}`;
          return (
            <div className="fr-fieldset__element" key={String(c.value)}>
              <div className="fr-checkbox-group fr-checkbox-group--sm">
                <input
                  type="checkbox"
                  id={cid}
                  checked={many.includes(c.value)}
                  onChange={(e) =>
                    setMany((m) => (e.target.checked ? [...m, c.value] : m.filter((x) => x !== c.value)))
                  }
                />
                <label className="fr-label" htmlFor={cid}>
                  {c.label}
                </label>
              </div>
            </div>
          );
        })}
        {errorText}
        <div className="fr-fieldset__element">{useButton}</div>
      </fieldset>
    );
  }
  const group = (control: ReactNode) => (
    <div className="fr-mt-2w">
      <div
        className={`${k.kind === 'choice' || k.kind === 'contact' ? 'fr-select-group' : 'fr-input-group'}${p.error ? (k.kind === 'choice' || k.kind === 'contact' ? ' fr-select-group--error' : ' fr-input-group--error') : ''}`}
      >
        <label className="fr-label" htmlFor={id}>
          {label}
        </label>
        {control}
        {errorText}
      </div>
      {useButton}
    </div>
  );
  if (k.kind === 'choice' || k.kind === 'contact') {
    const options =
      k.kind === 'choice' ? k.choices : (contacts ?? []).map((c) => ({ value: c.id, label: `${c.prenom} ${c.nom}` }));
    return group(
      <select className="fr-select" id={id} value={text} onChange={(e) => setText(e.target.value)} {...errProps}>
        <option value="">Choisir…</option>
        {options.map((o) => (
          <option key={String(o.value)} value={String(o.value)}>
            {o.label}
          </option>
        ))}
      </select>,
    );
  }
  if (k.kind === 'longText')
    return group(
      <textarea
        className="fr-input"
        id={id}
        rows={4}
        value={text}
        onChange={(e) => setText(e.target.value)}
        {...errProps}
      />,
    );
  const type = k.kind === 'date' ? 'date' : 'text';
  const inputMode =
    k.kind === 'amount' || k.kind === 'decimal'
      ? ('decimal' as const)
      : k.kind === 'integer'
        ? ('numeric' as const)
        : undefined;
  return group(
    <input
      className="fr-input"
      id={id}
      type={type}
      inputMode={inputMode}
      value={text}
      onChange={(e) => setText(e.target.value)}
      {...errProps}
    />,
  );
}

function RejectedCard({ r, ctx }: { r: RejectedRow; ctx: ValueContext }) {
  const entity = r.entity as EntityName;
  const rec = useRecordOrNull(entity, r.record);
  const lines = r.proposed ? formatRecordLines(entity, r.proposed, ctx) : [];
  return (
    <article className="fr-card fr-p-3w fr-mb-3w" data-testid="refus">
      <h3 className="fr-h6">
        {OP_LABELS[r.op]} — {what(entity, rec ?? r.proposed, ctx)}
      </h3>
      <div className="fr-alert fr-alert--error fr-alert--sm fr-mb-2w">
        <p>{r.message}</p>
      </div>
      {lines.length > 0 && (
        <>
          <p className="fr-mb-1w">{r.op === 'create' ? 'Valeurs proposées :' : 'Champs modifiés :'}</p>
          <ul className="fr-mb-2w">
            {lines.map((l) => (
              <li key={l}>{l}</li>
            ))}
          </ul>
        </>
      )}
      <p className="fr-text--sm">
        Refusée le {formatDateTime(r.at)} (code {r.code}). Cette modification est conservée sur ce poste : corrigez-la
        ou abandonnez-la.
      </p>
      <div className="atlas-actions">
        {rec && (
          <a className="fr-btn fr-btn--sm" href={href(recordRoute(entity, r.record, rec))}>
            Corriger<span className="fr-sr-only"> : {what(entity, rec, ctx)}</span>
          </a>
        )}
        <button
          type="button"
          className="fr-btn fr-btn--sm fr-btn--secondary"
          onClick={async () => {
            if (
              await askConfirm({
                title: 'Abandonner cette modification ?',
                body: <p>L’enregistrement reprendra la version du serveur.</p>,
                confirm: 'Abandonner la modification',
              })
            )
              await repository.discardRejected(r.changeId);
          }}
        >
          Abandonner cette modification
        </button>
      </div>
    </article>
  );
}
