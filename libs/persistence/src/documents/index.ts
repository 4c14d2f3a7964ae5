export { toStoredDocument } from './document-row';
export * from './document-statements';
