export * from './financeurs';
export * from './categoriesApd';
export * from './odd';
export * from './pays';
