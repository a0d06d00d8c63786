// The controls of the SGAR/DAECT list screens (fiches à instruire, regional dashboard, comptes, à jour,
// campagnes, chooser): a labelled select, a filter select with « Tous » first, a row of them, the search
// field of a collectivité, and « Afficher plus » with its focus on the first new row.
import { useEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import { formatInt } from './format';

export interface Option {
  value: string;
  label: string;
}

/** A DSFR select with its label; the options are the children. */
export function SelectGroup(props: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  children: ReactNode;
}) {
  return (
    <div className="fr-select-group">
      <label className="fr-label" htmlFor={props.id}>
        {props.label}
      </label>
      <select className="fr-select" id={props.id} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        {props.children}
      </select>
    </div>
  );
}

/** The options of a select, in their order. */
export function Options({ options }: { options: readonly Option[] }) {
  return options.map((o) => (
    <option key={o.value} value={o.value}>
      {o.label}
    </option>
  ));
}

/** A list's filter, with « Tous » ('') first. */
export function FiltreSelect(props: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  options: readonly Option[];
  tous: string;
}) {
  return (
    <SelectGroup id={props.id} label={props.label} value={props.value} onChange={props.onChange}>
      <option value="">{props.tous}</option>
      <Options options={props.options} />
    </SelectGroup>
  );
}

export interface FiltreDef<K extends string> {
  /** The filter's field; the select's id is the prefix then the key. */
  key: K;
  label: string;
  tous: string;
  options: readonly Option[];
  /** The grid column's classes. */
  col: string;
}

/** Filter selects side by side, each in its grid column, over one object of filters. */
export function FiltresSelects<K extends string>(props: {
  idPrefix: string;
  filtres: readonly FiltreDef<K>[];
  values: Readonly<Record<K, string>>;
  onChange: (patch: Partial<Record<K, string>>) => void;
}) {
  return props.filtres.map((d) => (
    <div key={d.key} className={d.col}>
      <FiltreSelect
        id={`${props.idPrefix}-${d.key}`}
        label={d.label}
        tous={d.tous}
        value={props.values[d.key]}
        onChange={(v) => props.onChange({ [d.key]: v } as Partial<Record<K, string>>)}
        options={d.options}
      />
    </div>
  ));
}

/** The search field of a list of collectivités (a hint says what it searches). */
export function ChampRecherche(props: {
  id: string;
  label: string;
  hint: string;
  value: string;
  onChange: (v: string) => void;
}) {
  return (
    <div className="fr-input-group">
      <label className="fr-label" htmlFor={props.id}>
        {props.label}
        <span className="fr-hint-text">{props.hint}</span>
      </label>
      <input
        className="fr-input"
        id={props.id}
        type="search"
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </div>
  );
}

/**
 * The first `page` rows of a list, then `page` more at each « Afficher plus ». A row given `focusRef(i)`
 * takes the focus when it is the first of those added (keyboard users carry on from there).
 */
export function useAfficherPlus<E extends HTMLElement>(page: number) {
  const [limit, setLimit] = useState(page);
  const firstNew = useRef<E>(null);
  const [focusFrom, setFocusFrom] = useState<number | null>(null);
  useEffect(() => {
    if (focusFrom !== null) firstNew.current?.focus();
  }, [focusFrom]);
  /** Back to the first page (the filters changed). */
  const reset = () => {
    setLimit(page);
    setFocusFrom(null);
  };
  return {
    page,
    limit,
    reset,
    /** `set` then `reset`: for a filter's onChange. */
    withReset:
      <A extends unknown[]>(set: (...a: A) => void) =>
      (...a: A) => {
        set(...a);
        reset();
      },
    more: () => {
      setFocusFrom(limit);
      setLimit(limit + page);
    },
    focusRef: (i: number): RefObject<E | null> | undefined => (i === focusFrom ? firstNew : undefined),
  };
}

/**
 * « Afficher plus » while `total` rows are more than those shown, saying to screen readers how many of
 * what (`de`) come and how many are left.
 */
export function AfficherPlus(props: {
  plus: ReturnType<typeof useAfficherPlus>;
  total: number;
  de: string;
  className: string;
}) {
  const { page, limit, more } = props.plus;
  const reste = props.total - limit;
  if (reste <= 0) return null;
  return (
    <button type="button" className={props.className} onClick={more}>
      Afficher plus
      <span className="fr-sr-only">
        {` de ${props.de} (${formatInt(Math.min(page, reste))} de plus, sur ${formatInt(reste)} restantes)`}
      </span>
    </button>
  );
}

/** DSFR pagination: first, previous, « Page n sur m », next, last (shown only past one page). */
export function Pagination(props: { current: number; pages: number; label: string; onPage(n: number): void }) {
  const { current, pages } = props;
  const lien = (label: string, variant: string, page: number, disabled: boolean) => (
    <li>
      <button
        type="button"
        className={`fr-pagination__link ${variant}`}
        disabled={disabled}
        onClick={() => props.onPage(page)}
      >
        {label}
      </button>
    </li>
  );
  return (
    <nav className="fr-pagination fr-mt-3w" aria-label={props.label}>
      <ul className="fr-pagination__list">
        {lien('Première page', 'fr-pagination__link--first', 1, current === 1)}
        {lien('Page précédente', 'fr-pagination__link--prev fr-pagination__link--lg-label', current - 1, current === 1)}
        <li>
          <span className="fr-pagination__link" aria-current="page">
            Page {current} sur {pages}
          </span>
        </li>
        {lien(
          'Page suivante',
          'fr-pagination__link--next fr-pagination__link--lg-label',
          current + 1,
          current === pages,
        )}
        {lien('Dernière page', 'fr-pagination__link--last', pages, current === pages)}
      </ul>
    </nav>
  );
}
