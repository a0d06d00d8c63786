// Quality warnings (not validity): each with a case that warns and one that does not.
import { describe, expect, it } from 'vitest';
import {
  DESCRIPTION_MIN_DETAIL,
  ficheProjetWarnings,
  isAllCaps,
  partenariatWarnings,
  toProperCase,
} from '../../../src-shared/domain/warnings';

describe('partner name in capitals', () => {
  it('warns on a name written in capitals, with the proper-case suggestion', () => {
    const w = partenariatWarnings({ nomPartenaire: 'SAINT-LOUIS DU SÉNÉGAL' });
    expect(w).toHaveLength(1);
    expect(w[0]!.field).toBe('nomPartenaire');
    expect(w[0]!.code).toBe('NOM_EN_MAJUSCULES');
    expect(w[0]!.message).toContain('« Saint-Louis du Sénégal »');
  });
  it('does not warn on a correctly written name', () => {
    expect(partenariatWarnings({ nomPartenaire: 'Saint-Louis du Sénégal' })).toEqual([]);
    expect(partenariatWarnings({ nomPartenaire: 'Commune de Tivaouane' })).toEqual([]);
  });
  it('acronyms of two letters and names without letters are not "capitals"', () => {
    expect(isAllCaps('UE')).toBe(false);
    expect(isAllCaps('123 45')).toBe(false);
    expect(isAllCaps('Région AFCCRE')).toBe(false);
    expect(isAllCaps('DAKAR')).toBe(true);
    expect(isAllCaps('ÉLÉPHANT')).toBe(true);
  });
  it('proper case keeps small words lower-case except first', () => {
    expect(toProperCase('LA ROCHE SUR YON')).toBe('La Roche sur Yon');
    expect(toProperCase("L'ÎLE D'ORLÉANS")).toBe("L'Île d'Orléans");
  });
});

describe('fiche-projet details', () => {
  const detailed = 'Extension du réseau d’eau potable et formation des agents municipaux.';
  it('warns on an empty or very short description', () => {
    expect(detailed.length).toBeGreaterThanOrEqual(DESCRIPTION_MIN_DETAIL);
    const w = ficheProjetWarnings({ description: 'Eau.', thematiques: ['eau'] });
    expect(w.map((x) => [x.field, x.code])).toEqual([['description', 'DESCRIPTION_PEU_DETAILLEE']]);
    expect(w[0]!.message).toMatch(/description est très courte/);
  });
  it('does not warn on a detailed description', () => {
    expect(ficheProjetWarnings({ description: detailed, thematiques: ['eau'] })).toEqual([]);
  });
  it('warns when only « Autre » is chosen as thématique, not when a real one is too', () => {
    expect(ficheProjetWarnings({ description: detailed, thematiques: ['autre'] }).map((w) => w.code)).toEqual([
      'THEMATIQUE_NON_PRECISEE',
    ]);
    expect(ficheProjetWarnings({ description: detailed, thematiques: ['autre', 'sante'] })).toEqual([]);
  });
  it('both at once', () => {
    expect(ficheProjetWarnings({ description: '', thematiques: ['autre'] }).map((w) => w.field)).toEqual([
      'description',
      'thematiques',
    ]);
  });
});
