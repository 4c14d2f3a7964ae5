export * from './identifiers';
export * from './acl';
export * from './principal';
export * from './workspace';
export * from './errors';
export * from './document';
export * from './document-fields';
export * from './client-policy';
