export * from './workspace-resource';
export * from './platform-workspace';
export * from './workspace-status';
export * from './reconcile';
export * from './leader-election';
export * from './tenant-api.client';
export * from './workspace-controller';
export * from './kubernetes';
