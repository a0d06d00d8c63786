// Synchronisation: the status, rejected changes with the server's message and a link to fix each,
// and the conflicts: both values side by side with who and when; keep one or type a third value.
import { useState } from 'react';
import { CONFLICT_KIND_LABELS } from '../../../src-shared/sync/protocol';
import { entityDef, type EntityName } from '../../../src-shared/registry';
import { repository, resolveConflict, syncEngine, useConflicts, useRejected, useSyncStatus, ValidationError } from '../../app/data';
import { href } from '../../app/router';
import { formatDateTime, parseAmount } from '../../ui/format';
import { useRecordOrNull } from '../../ui/useRecordOrNull';
import { FIELD_LABELS, recordRoute, recordTitle } from './labels';

const cap = (s: string) => s.charAt(0).toLocaleUpperCase('fr') + s.slice(1);

type ConflictRow = NonNullable<ReturnType<typeof useConflicts>>[number];
type RejectedRow = NonNullable<ReturnType<typeof useRejected>>[number];

export function showValue(v: unknown): string {
  if (v === null || v === undefined || v === '') return '(vide)';
  if (typeof v === 'boolean') return v ? 'Oui' : 'Non';
  if (Array.isArray(v)) return v.length ? v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(', ') : '(aucun)';
  if (typeof v === 'object') return Object.entries(v as Record<string, unknown>).filter(([k]) => k !== 'id' && k !== 'collectiviteId')
    .map(([k, x]) => `${FIELD_LABELS[k] ?? k} : ${showValue(x)}`).join('\n');
  return String(v);
}

export function SynchronisationScreen() {
  const s = useSyncStatus();
  const conflicts = useConflicts();
  const rejected = useRejected();
  return (
    <>
      <h1>Synchronisation</h1>
      <div className="fr-card fr-p-3w fr-mb-4w">
        <ul className="fr-raw-list">
          <li>Connexion : <strong>{s.online ? 'en ligne' : 'hors ligne'}</strong>{s.syncing ? ' — synchronisation en cours' : ''}</li>
          <li>Modifications en attente d’envoi : <strong data-testid="nombre-attente">{s.pendingCount}</strong>{s.oldestPendingAt ? ` (la plus ancienne : ${formatDateTime(s.oldestPendingAt)})` : ''}</li>
          <li>Dernière synchronisation réussie : {s.lastSyncAt ? formatDateTime(s.lastSyncAt) : 'aucune'}</li>
          {s.lastError && <li>Dernière erreur : {s.lastError}</li>}
        </ul>
        <button type="button" className="fr-btn fr-mt-2w" disabled={s.syncing} onClick={() => void syncEngine.syncNow()}>Synchroniser maintenant</button>
      </div>
      <section aria-labelledby="conflits-titre" className="fr-mb-6w">
        <h2 id="conflits-titre">Conflits à résoudre ({conflicts?.length ?? 0})</h2>
        <p>Une même information a été modifiée différemment sur deux postes. Choisissez la bonne valeur : votre choix sera envoyé comme une modification.</p>
        {conflicts?.length === 0 && <p>Aucun conflit.</p>}
        {conflicts?.map((c) => <ConflictCard key={c.id} c={c} />)}
      </section>
      <section aria-labelledby="refus-titre">
        <h2 id="refus-titre">Modifications refusées par le serveur ({rejected?.length ?? 0})</h2>
        {rejected?.length === 0 && <p>Aucune modification refusée.</p>}
        {rejected?.map((r) => <RejectedCard key={r.changeId} r={r} />)}
      </section>
    </>
  );
}

function ConflictCard({ c }: { c: ConflictRow }) {
  const rec = useRecordOrNull(c.entity as EntityName, c.record) as Record<string, unknown> | null | undefined;
  const [other, setOther] = useState('');
  const [error, setError] = useState<string | null>(null);
  const fieldLabel = c.field ? FIELD_LABELS[c.field] ?? c.field : null;
  const pending = !!c.resolvingChangeId;
  const choose = async (value: unknown) => {
    setError(null);
    try { await resolveConflict(c.id, value); void syncEngine.syncNow(); } catch (e) {
      setError(e instanceof ValidationError ? e.errors.map((x) => x.message).join(' ') : e instanceof Error ? e.message : 'Résolution impossible.');
    }
  };
  const typed = () => {
    const cur = c.serverValue ?? c.proposedValue;
    if (typeof cur === 'number') return parseAmount(other);
    return other;
  };
  const idBase = `conflit-${c.id}`;
  return (
    <article className="fr-card fr-p-3w fr-mb-3w" aria-labelledby={`${idBase}-t`} data-testid="conflit">
      <h3 id={`${idBase}-t`} className="fr-h6">
        {cap(entityDef(c.entity as EntityName).label)} « {recordTitle(c.entity as EntityName, rec)} »{fieldLabel ? ` — champ « ${fieldLabel} »` : ''}
      </h3>
      <p className="fr-text--sm">{CONFLICT_KIND_LABELS[c.kind]} <a href={href(recordRoute(c.entity as EntityName, c.record, rec))}>Ouvrir l’enregistrement</a></p>
      {pending && <p className="fr-badge fr-badge--info">Résolution choisie, en attente d’envoi</p>}
      <div className="atlas-side-by-side">
        <div className="fr-p-2w" style={{ border: '1px solid var(--border-default-grey)' }}>
          <p className="fr-text--bold fr-mb-1w">Valeur enregistrée sur le serveur{c.serverBy ? ` (par ${c.serverBy})` : ''}</p>
          <p className="atlas-value" data-testid="valeur-serveur">{c.serverValue === null && !c.field ? '(supprimé)' : showValue(c.serverValue)}</p>
          <button type="button" className="fr-btn fr-btn--sm" disabled={pending} onClick={() => void choose(c.serverValue)}>
            Garder cette valeur<span className="fr-sr-only"> (serveur)</span></button>
        </div>
        <div className="fr-p-2w" style={{ border: '1px solid var(--border-default-grey)' }}>
          <p className="fr-text--bold fr-mb-1w">Valeur proposée par {c.proposedBy} le {formatDateTime(c.proposedAt)}</p>
          <p className="atlas-value" data-testid="valeur-proposee">{c.proposedValue === null && !c.field ? '(supprimé)' : showValue(c.proposedValue)}</p>
          <button type="button" className="fr-btn fr-btn--sm" disabled={pending} onClick={() => void choose(c.proposedValue)}>
            Garder cette valeur<span className="fr-sr-only"> (proposée)</span></button>
        </div>
      </div>
      {c.field && typeof (c.serverValue ?? c.proposedValue) !== 'object' && typeof (c.serverValue ?? c.proposedValue) !== 'boolean' && (
        <div className="fr-mt-2w">
          <div className={`fr-input-group${error ? ' fr-input-group--error' : ''}`}>
            <label className="fr-label" htmlFor={`${idBase}-autre`}>Ou saisir une autre valeur pour « {fieldLabel} »</label>
            <input className="fr-input" id={`${idBase}-autre`} value={other} onChange={(e) => setOther(e.target.value)} disabled={pending}
              aria-describedby={error ? `${idBase}-err` : undefined} aria-invalid={error ? true : undefined} />
            {error && <p id={`${idBase}-err`} className="fr-error-text" role="alert">{error}</p>}
          </div>
          <button type="button" className="fr-btn fr-btn--sm fr-btn--secondary" disabled={pending || other.trim() === ''} onClick={() => void choose(typed())}>
            Utiliser cette valeur</button>
        </div>
      )}
      {error && !c.field && <p className="fr-error-text" role="alert">{error}</p>}
    </article>
  );
}

function RejectedCard({ r }: { r: RejectedRow }) {
  const rec = useRecordOrNull(r.entity as EntityName, r.record) as Record<string, unknown> | null | undefined;
  const op = r.op === 'create' ? 'Création' : r.op === 'update' ? 'Modification' : 'Suppression';
  return (
    <article className="fr-card fr-p-3w fr-mb-3w" data-testid="refus">
      <h3 className="fr-h6">{op} — {entityDef(r.entity as EntityName).label} « {recordTitle(r.entity as EntityName, rec ?? r.proposed)} »</h3>
      <div className="fr-alert fr-alert--error fr-alert--sm fr-mb-2w"><p>{r.message}</p></div>
      <p className="fr-text--sm">Refusée le {formatDateTime(r.at)} (code {r.code}). Cette modification est conservée sur ce poste : corrigez-la ou abandonnez-la.</p>
      <div className="atlas-actions">
        {rec && <a className="fr-btn fr-btn--sm" href={href(recordRoute(r.entity as EntityName, r.record, rec))}>Corriger</a>}
        <button type="button" className="fr-btn fr-btn--sm fr-btn--secondary" onClick={() => {
          if (window.confirm('Abandonner cette modification ? L’enregistrement reprendra la version du serveur.')) void repository.discardRejected(r.changeId);
        }}>Abandonner cette modification</button>
      </div>
    </article>
  );
}
