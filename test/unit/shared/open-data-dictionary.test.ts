// The open-data dictionary is generated from the rule of what is public (PUBLIC_FIELDS) and the schemas'
// field catalogue: exactly the public fields, each with a French label and a type, choices where the schema
// has them; and the CSV cells of the open data keep every value readable back.
import { describe, expect, it } from 'vitest';
import { fieldInfo } from '../../../src-shared/registry';
import { PUBLIC_FIELDS, isPublicField } from '../../../src-shared/public/fields';
import { OPEN_DATASETS, dataDictionary, datasetColumns, openDataCell } from '../../../src-shared/public/openData';

describe('open-data dictionary', () => {
  const dict = dataDictionary();

  it('lists exactly the public fields of each public entity, in their order, plus the computed APD total', () => {
    expect(OPEN_DATASETS.map((d) => d.entity).sort()).toEqual(Object.keys(PUBLIC_FIELDS).sort());
    for (const d of OPEN_DATASETS) {
      const own = dict.filter((e) => e.fichier === d.fichier);
      expect(own.filter((e) => !e.calcule).map((e) => e.champ)).toEqual([...PUBLIC_FIELDS[d.entity]]);
      expect(own.map((e) => e.champ)).toEqual(datasetColumns(d));
      for (const e of own.filter((x) => !x.calcule)) expect(isPublicField(d.entity, e.champ)).toBe(true);
    }
    expect(dict.filter((e) => e.calcule).map((e) => `${e.fichier}.${e.champ}`)).toEqual(['apd.montantTotal']);
  });

  it('takes labels, types, choices and units from the field catalogue', () => {
    for (const e of dict.filter((x) => !x.calcule)) {
      const info = fieldInfo(e.entite, e.champ);
      expect(info, `${e.entite}.${e.champ}`).toBeDefined();
      expect(e.libelle).toBe(info!.label);
      expect(e.type).toBeTruthy();
      for (const c of info!.choices ?? []) expect(e.valeurs, `${e.entite}.${e.champ}`).toContain(c.value);
    }
    const cout = dict.find((e) => e.entite === 'ficheProjet' && e.champ === 'coutTotal')!;
    expect(cout.unite).toBe('euro');
    const them = dict.find((e) => e.entite === 'ficheProjet' && e.champ === 'thematiques')!;
    expect(them.valeurs).toContain('thematique');
  });

  it('writes CSV cells that read back: lists of codes with « | », lists of objects as JSON', () => {
    expect(openDataCell(['eau', 'sante'])).toBe('eau|sante');
    expect(openDataCell([3, 6])).toBe('3|6');
    expect(JSON.parse(String(openDataCell([{ financeur: 'etat', montant: 12.5 }])))).toEqual([
      { financeur: 'etat', montant: 12.5 },
    ]);
    expect(openDataCell(null)).toBeNull();
    expect(openDataCell(1.5)).toBe(1.5);
  });
});
