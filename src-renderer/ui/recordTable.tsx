// The list of a collectivité's records of one kind (élus et cadres, réseaux…): its columns, the sync state,
// and for a writer "Modifier" and "Supprimer" (with undo) on each row.
import type { ReactNode } from 'react';
import type { EntityName } from '../../src-shared/registry';
import { useApp } from '../core/context';
import { href } from '../core/router';
import { removeWithUndo } from './crud';
import { StatusBadge } from './StatusBadge';

/**
 * A row's "Modifier" (a link to its form, or a button opening it in place) and "Supprimer", each naming the
 * record for screen readers with `label`.
 */
export function RowActions(p: {
  label: string;
  edit: { href: string } | { id: string; onClick(): void };
  onDelete(): void;
}) {
  const named = <span className="fr-sr-only"> {p.label}</span>;
  return (
    <div className="atlas-actions">
      {'href' in p.edit ? (
        <a className="fr-btn fr-btn--sm fr-btn--secondary" href={p.edit.href}>
          Modifier{named}
        </a>
      ) : (
        <button type="button" id={p.edit.id} className="fr-btn fr-btn--sm fr-btn--secondary" onClick={p.edit.onClick}>
          Modifier{named}
        </button>
      )}
      <button type="button" className="fr-btn fr-btn--sm fr-btn--tertiary" onClick={p.onDelete}>
        Supprimer{named}
      </button>
    </div>
  );
}

export interface Column<T> {
  header: string;
  cell(row: T): ReactNode;
}

export function RecordTable<T extends { id: string }>(p: {
  entity: EntityName;
  caption: ReactNode;
  /** When given, the table is also described by its caption. */
  captionId?: string;
  columns: Column<T>[];
  rows: T[];
  empty: string;
  /** The route of a record's form. */
  editPath(row: T): string;
  /** Names a record, for screen readers on its buttons and in the delete's toast. */
  name(row: T): string;
}) {
  const { canWrite, visionneuse } = useApp();
  return (
    <div className="atlas-table-wrap">
      <table className="atlas-table" aria-describedby={p.captionId}>
        <caption id={p.captionId} className="fr-sr-only">
          {p.caption}
        </caption>
        <thead>
          <tr>
            {p.columns.map((c) => (
              <th key={c.header} scope="col">
                {c.header}
              </th>
            ))}
            {!visionneuse && <th scope="col">État</th>}
            {canWrite && <th scope="col">Actions</th>}
          </tr>
        </thead>
        <tbody>
          {p.rows.map((r) => (
            <tr key={r.id}>
              {p.columns.map((c) => (
                <td key={c.header}>{c.cell(r)}</td>
              ))}
              {!visionneuse && (
                <td>
                  <StatusBadge entity={p.entity} id={r.id} />
                </td>
              )}
              {canWrite && (
                <td>
                  <RowActions
                    label={p.name(r)}
                    edit={{ href: href(p.editPath(r)) }}
                    onDelete={() => void removeWithUndo(p.entity, r.id, p.name(r))}
                  />
                </td>
              )}
            </tr>
          ))}
          {!p.rows.length && (
            <tr>
              <td colSpan={p.columns.length + (visionneuse ? 0 : 1) + (canWrite ? 1 : 0)}>{p.empty}</td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
