// Search across the collectivité's records, from the header.
import { useMemo } from 'react';
import type { EntityName } from '../../../src-shared/registry';
import { entityDef } from '../../../src-shared/registry';
import { nomPays } from '../../../src-shared/reference/pays';
import { useCollectiviteId } from '../../core/context';
import { useRecords } from '../../core/data';
import { href } from '../../core/router';
import { normalize } from '../projets/FichesList';
import { recordRoute, recordTitle } from '../synchronisation/labels';

const SEARCHED: EntityName[] = ['contact', 'adhesion', 'partenariat', 'ficheProjet'];

export function RechercheScreen({ q }: { q: string }) {
  const collectiviteId = useCollectiviteId();
  const contacts = useRecords('contact', { collectiviteId });
  const adhesions = useRecords('adhesion', { collectiviteId });
  const partenariats = useRecords('partenariat', { collectiviteId });
  const fiches = useRecords('ficheProjet', { collectiviteId });
  const entries = useRecords('entreeReference');
  const results = useMemo(() => {
    const words = normalize(q).split(/\s+/).filter(Boolean);
    if (!words.length) return [];
    const out: { entity: EntityName; rec: Record<string, unknown> & { id: string } }[] = [];
    const lists: [EntityName, unknown[] | undefined][] = [
      ['contact', contacts],
      ['adhesion', adhesions],
      ['partenariat', partenariats],
      ['ficheProjet', fiches],
    ];
    for (const [entity, rows] of lists) {
      for (const r of (rows ?? []) as (Record<string, unknown> & { id: string })[]) {
        const hay = normalize(
          Object.entries(r)
            .filter(([k]) => !k.endsWith('Id') && k !== 'id')
            .map(([k, v]) =>
              k === 'pays' && typeof v === 'string'
                ? `${v} ${nomPays(v)}`
                : k === 'reseauCode' && typeof v === 'string'
                  ? recordTitle('adhesion', r, entries)
                  : typeof v === 'string'
                    ? v
                    : '',
            )
            .join(' '),
        );
        if (words.every((w) => hay.includes(w))) out.push({ entity, rec: r });
      }
    }
    return out;
  }, [q, contacts, adhesions, partenariats, fiches, entries]);
  return (
    <>
      <h1>Recherche{q ? ` : « ${q} »` : ''}</h1>
      <form
        className="fr-search-bar fr-mb-3w"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          const v = new FormData(e.currentTarget).get('q');
          window.location.hash = `#/recherche?q=${encodeURIComponent(String(v ?? ''))}`;
        }}
      >
        <label className="fr-label" htmlFor="recherche-page">
          Rechercher dans les données de la collectivité
        </label>
        <input className="fr-input" id="recherche-page" name="q" type="search" defaultValue={q} key={q} />
        <button className="fr-btn" type="submit" title="Rechercher">
          Rechercher
        </button>
      </form>
      <p role="status">
        {q ? `${results.length} résultat${results.length > 1 ? 's' : ''}` : 'Saisissez un nom, un intitulé, un pays…'}
      </p>
      {SEARCHED.map((e) => {
        const rs = results.filter((r) => r.entity === e);
        if (!rs.length) return null;
        return (
          <section key={e} aria-labelledby={`res-${e}`}>
            <h2 id={`res-${e}`} className="fr-h5">
              {entityDef(e).labelPlural} ({rs.length})
            </h2>
            <ul>
              {rs.slice(0, 50).map(({ rec }) => (
                <li key={rec.id}>
                  <a href={href(recordRoute(e, rec.id, rec))}>{recordTitle(e, rec, entries) || 'Sans titre'}</a>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </>
  );
}
