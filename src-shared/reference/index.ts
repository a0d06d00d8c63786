export * from './thematiques';
export * from './financeurs';
export * from './categoriesApd';
export * from './odd';
export * from './reseaux';
export * from './pays';
