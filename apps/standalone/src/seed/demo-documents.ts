import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One document of the embedded demo: an invented company's handbook (Northwind Labs). */
export interface DemoDocument {
  id: string;
  title: string;
  text: string;
  url: string;
  metadata: Record<string, string | number | boolean>;
  acl?: { users?: string[]; groups?: string[] };
}

/** 30 documents; four are restricted to a group (people-ops, leadership, security). Data lives beside this file. */
export function loadDemoDocuments(): DemoDocument[] {
  return JSON.parse(readFileSync(join(__dirname, 'northwind-handbook.json'), 'utf8')) as DemoDocument[];
}
