export * from './front-matter';
export * from './titles';
export * from './plain-document';
export * from './json-documents';
export * from './read-document-file';
