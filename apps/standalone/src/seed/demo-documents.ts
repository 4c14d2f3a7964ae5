import documents from './demo-documents.json';

/** One document of the embedded demo: an invented company's handbook (Northwind Labs). */
export interface DemoDocument {
  id: string;
  title: string;
  text: string;
  url: string;
  metadata: Record<string, string | number | boolean>;
  acl?: { users?: string[]; groups?: string[] };
}

/** 30 documents; four are restricted to a group (people-ops, leadership, security). */
export const DEMO_DOCUMENTS: readonly DemoDocument[] = documents as unknown as DemoDocument[];
