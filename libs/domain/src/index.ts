export * from './identifiers';
export * from './acl';
export * from './principal';
export * from './workspace';
export * from './errors';
export * from './document';
export * from './client-policy';
export * from './console';
