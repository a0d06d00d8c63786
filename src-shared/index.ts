export * from './domain';
export * from './registry';
export * from './reference';
export * from './sync/protocol';
export * from './sync/merge';
export * from './sync/ids';
