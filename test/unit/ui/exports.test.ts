// The « Exports » screen's builders (src-renderer/features/exports/build.ts, columns.ts) and the rule of who
// may export personal data (src-shared/exports.ts): CSV for French Excel built from chunks, one JSON of
// everything, no élus et cadres for a role that does not manage them.
import { describe, expect, it } from 'vitest';
import {
  EXPORT_FORMAT_VERSION,
  exportableEntities,
  mayExport,
  mayExportPersonalData,
} from '../../../src-shared/exports';
import { entreesInitiales } from '../../../src-server/seed/referenceLists';
import { ENTITY_NAMES, entityDef, entityFields, fieldColumn, type EntityName } from '../../../src-shared/registry';
import { ROLES } from '../../../src-shared/domain/roles';
import {
  buildCsv,
  buildJson,
  ExportCancelled,
  type ExportProgress,
  type RecordSource,
} from '../../../src-renderer/features/exports/build';
import { exportColumns } from '../../../src-renderer/features/exports/columns';
import { csvObjects, parseCsv } from '../../support/csv';

const COLL = '0190f0a0-0000-7000-8000-000000000001';
const PART = '0190f0a0-0000-7000-8000-000000000002';
const fid = (n: number) => `0190f0a0-0000-7000-8000-1${String(n).padStart(11, '0')}`;

const collectivite = {
  id: COLL,
  code: 'commune:35238',
  nom: 'Rennes',
  type: 'commune',
  departement: '35',
  region: '53',
  adresse: null,
  codePostal: null,
  commune: null,
  telephone: null,
  courriel: null,
  siteWeb: null,
};
const partenariat = {
  id: PART,
  collectiviteId: COLL,
  nature: 'cooperation_decentralisee',
  pays: 'SN',
  nomPartenaire: 'Ville de Thiès',
  typePartenaire: 'municipalite',
  jumelage: true,
  dateConvention: '2020-05-04',
  statut: 'active',
  latitude: 14.79,
  longitude: -16.93,
  reprisLe: '2026-03-02T09:00:00.000Z',
};
const fiche = (n: number, over: Record<string, unknown> = {}) => ({
  id: fid(n),
  collectiviteId: COLL,
  partenariatId: PART,
  intitule: `Projet ${n}`,
  description: 'Forages et formation.',
  thematiques: ['eau'],
  statut: 'en_cours',
  dateDebut: '2024-01-15',
  dateFin: null,
  coutTotal: 12500.5,
  participationCollectivite: null,
  cofinancements: [],
  operateurs: null,
  beneficiaires: null,
  odd: [6, 4],
  dispositifUnPourCent: 'aucun',
  referentContactId: null,
  siteWeb: null,
  reprisLe: null,
  ...over,
});
const contact = {
  id: '0190f0a0-0000-7000-8000-000000000009',
  collectiviteId: COLL,
  categorie: 'elu',
  civilite: 'Mme',
  prenom: 'Anne',
  nom: 'Confidentielle',
  fonction: 'Maire',
  courriel: 'anne.confidentielle@mairie-exemple.fr',
  telephone: null,
};

/** A copy served in pages of `size` records, as the repository serves buckets. */
function sourceOf(copy: Partial<Record<EntityName, Record<string, unknown>[]>>, size = 2): RecordSource {
  return {
    count: async (e) => copy[e]?.length ?? 0,
    async *pages(e) {
      const all = copy[e] ?? [];
      for (let i = 0; i < all.length; i += size) yield all.slice(i, i + size).map((r) => ({ ...r }));
    },
  };
}

async function text(b: Blob): Promise<string> {
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(await b.arrayBuffer());
}

describe('who may export personal data', () => {
  it('the roles that manage the élus et cadres (agent, DAECT) export them; the SGAR, who only reads them, does not', () => {
    expect(entityDef('contact').personalData).toBe(true);
    expect(mayExport('daect', 'contact')).toBe(true);
    expect(mayExport('agent', 'contact')).toBe(true);
    expect(mayExport('sgar', 'contact')).toBe(false);
    expect(mayExportPersonalData('sgar')).toBe(false);
    expect(mayExportPersonalData('daect')).toBe(true);
    expect(exportableEntities('sgar')).not.toContain('contact');
    expect(exportableEntities('daect')).toEqual(expect.arrayContaining([...ENTITY_NAMES]));
    // Every other entity is exported by every role.
    for (const r of ROLES)
      for (const e of ENTITY_NAMES) if (!entityDef(e).personalData) expect(mayExport(r, e)).toBe(true);
  });
});

describe('CSV export', () => {
  it('BOM, semicolons, CRLF, headings from the field catalogue, every record of every page once', async () => {
    const fiches = Array.from({ length: 7 }, (_, i) => fiche(i));
    const progress: ExportProgress[] = [];
    const blob = await buildCsv(
      'ficheProjet',
      sourceOf({
        ficheProjet: fiches,
        collectivite: [collectivite],
        partenariat: [partenariat],
        entreeReference: entreesInitiales('thematique'),
      }),
      { onProgress: (p) => progress.push(p) },
    );
    const raw = await text(blob);
    expect(raw.startsWith('\uFEFF')).toBe(true);
    expect(raw.endsWith('\r\n')).toBe(true);
    expect(raw.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const { headers, rows } = csvObjects(raw);
    for (const f of ['intitule', 'statut', 'dateDebut', 'coutTotal', 'thematiques', 'odd'])
      expect(headers).toContain(fieldColumn('ficheProjet', f));
    expect(headers.slice(0, 4)).toEqual([
      'Identifiant',
      'Collectivité (identifiant)',
      'Collectivité',
      'Code de la collectivité',
    ]);
    expect(rows.map((r) => r.Identifiant).sort()).toEqual(fiches.map((f) => f.id).sort());
    const r = rows.find((x) => x.Identifiant === fid(3))!;
    expect(r[fieldColumn('ficheProjet', 'intitule')]).toBe('Projet 3');
    expect(r.Collectivité).toBe('Rennes');
    expect(r['Code de la collectivité']).toBe('commune:35238');
    expect(r.Partenaire).toBe('Ville de Thiès');
    expect(r.Pays).toBe('Sénégal');
    expect(r['Code du pays']).toBe('SN');
    expect(r[fieldColumn('ficheProjet', 'statut')]).toBe('En cours');
    expect(r[fieldColumn('ficheProjet', 'dateDebut')]).toBe('15/01/2024');
    expect(r[fieldColumn('ficheProjet', 'coutTotal')]).toBe('12500,5');
    expect(r[fieldColumn('ficheProjet', 'odd')]).toBe('6, 4');
    // Thématiques by their labels in the synced list (issue 15).
    expect(r[fieldColumn('ficheProjet', 'thematiques')]).toBe('Eau et assainissement');
    expect(r[fieldColumn('ficheProjet', 'dateFin')]).toBe('');
    // Progress after each page of 2, up to the total.
    expect(progress.map((p) => p.done)).toEqual([0, 2, 4, 6, 7]);
    expect(progress.every((p) => p.total === 7)).toBe(true);
  });

  it('escapes semicolons, quotes and line breaks, and keeps a formula as text', async () => {
    const nasty = fiche(1, {
      intitule: 'Eau ; assainissement "durable"',
      description: 'Ligne 1\r\nLigne 2\nLigne 3',
      operateurs: '=HYPERLINK("x")',
      cofinancements: [
        { financeur: 'region', montant: 1500.5 },
        { financeur: 'etat', montant: 2000 },
      ],
    });
    const raw = await text(await buildCsv('ficheProjet', sourceOf({ ficheProjet: [nasty] })));
    // A heading and one record: the line breaks stay inside the quoted cell.
    expect(parseCsv(raw)).toHaveLength(2);
    expect(raw).toContain('"Ligne 1\r\nLigne 2\nLigne 3"');
    expect(raw).toContain('"Eau ; assainissement ""durable"""');
    const { rows } = csvObjects(raw);
    expect(rows).toHaveLength(1);
    expect(rows[0]![fieldColumn('ficheProjet', 'intitule')]).toBe('Eau ; assainissement "durable"');
    expect(rows[0]![fieldColumn('ficheProjet', 'description')]).toBe('Ligne 1\r\nLigne 2\nLigne 3');
    expect(rows[0]![fieldColumn('ficheProjet', 'operateurs')]).toBe('\'=HYPERLINK("x")');
    expect(rows[0]![fieldColumn('ficheProjet', 'cofinancements')]).toMatch(/^.+ : 1500,5 € ; .+ : 2000 €$/);
  });

  it('every entity has distinct headings, one per schema field at least', () => {
    for (const e of ENTITY_NAMES) {
      const headers = exportColumns(e, {}).map((c) => c.header);
      expect(new Set(headers).size, e).toBe(headers.length);
      expect(headers.length).toBeGreaterThanOrEqual(entityFields(e).length);
    }
  });

  it('a heading-only file for an empty entity; a cancelled export throws and builds nothing', async () => {
    const raw = await text(await buildCsv('avis', sourceOf({})));
    expect(parseCsv(raw)).toHaveLength(1);
    const ctrl = new AbortController();
    const run = buildCsv('ficheProjet', sourceOf({ ficheProjet: Array.from({ length: 6 }, (_, i) => fiche(i)) }), {
      signal: ctrl.signal,
      onProgress: (p) => {
        if (p.done >= 2) ctrl.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(ExportCancelled);
  });
});

describe('JSON export', () => {
  const copy = {
    collectivite: [collectivite],
    contact: [contact],
    partenariat: [partenariat],
    ficheProjet: [fiche(1), fiche(2, { intitule: 'Accents é ; "guillemets"\n' }), fiche(3)],
  };
  const scope = { role: 'daect', scope: 'national' as const, region: null, label: 'National' };

  it('holds every record of every entity with every schema field, the date, the scope and the format version', async () => {
    const blob = await buildJson(exportableEntities('daect'), sourceOf(copy), {
      exportedAt: '2026-12-03T12:00:00.000Z',
      scope,
    });
    const json = JSON.parse(await text(blob)) as {
      format: string;
      formatVersion: number;
      exportedAt: string;
      scope: unknown;
      entities: Record<string, Record<string, unknown>[]>;
      counts: Record<string, number>;
    };
    expect(json.format).toBe('atlas-hors-ligne/export');
    expect(json.formatVersion).toBe(EXPORT_FORMAT_VERSION);
    expect(json.exportedAt).toBe('2026-12-03T12:00:00.000Z');
    expect(json.scope).toEqual(scope);
    expect(Object.keys(json.entities).sort()).toEqual([...exportableEntities('daect')].sort());
    expect(json.entities.ficheProjet!.map((f) => f.id)).toEqual([fid(1), fid(2), fid(3)]);
    expect(json.entities.ficheProjet![1]).toEqual(fiche(2, { intitule: 'Accents é ; "guillemets"\n' }));
    expect(Object.keys(json.entities.ficheProjet![0]!)).toEqual(entityFields('ficheProjet'));
    expect(json.entities.contact).toEqual([contact]);
    expect(json.entities.avis).toEqual([]);
    expect(json.counts).toMatchObject({ ficheProjet: 3, contact: 1, avis: 0 });
  });

  it('a role without the right gets no élus et cadres: neither the entity nor any of their values', async () => {
    const raw = await text(
      await buildJson(exportableEntities('sgar'), sourceOf(copy), {
        exportedAt: '2026-12-03T12:00:00.000Z',
        scope: { role: 'sgar', scope: 'region', region: '53', label: 'Région Bretagne' },
      }),
    );
    const json = JSON.parse(raw) as { entities: Record<string, unknown[]> };
    expect(json.entities).not.toHaveProperty('contact');
    expect(raw).not.toContain('Confidentielle');
    expect(raw).not.toContain(contact.courriel);
    expect(json.entities.ficheProjet).toHaveLength(3);
  });
});
