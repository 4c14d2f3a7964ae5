/**
 * The two tools, exactly as ChatGPT's connectors and Deep Research expect them (OpenAI's MCP
 * contract). Fixed text: nothing tenant-controlled and nothing secret goes into tool JSON.
 */
const READ_ONLY = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false } as const;

export const SEARCH_TOOL = {
  name: 'search',
  title: 'Search documents',
  description:
    'Search the documents of this workspace. Returns a list of results, each with an id (pass it to fetch), a title and a url. ' +
    'Use natural-language questions or a few descriptive keywords.',
  inputSchema: {
    type: 'object',
    properties: { query: { type: 'string', description: 'What to look for, in plain words.' } },
    required: ['query'],
    additionalProperties: false,
  },
  outputSchema: {
    type: 'object',
    properties: {
      results: {
        type: 'array',
        items: {
          type: 'object',
          properties: { id: { type: 'string' }, title: { type: 'string' }, url: { type: ['string', 'null'] } },
          required: ['id', 'title', 'url'],
        },
      },
      notice: { type: 'string', description: 'Present when parts of the query were removed before searching (the workspace strips suspicious parts)' },
    },
    required: ['results'],
  },
  annotations: { title: 'Search documents', ...READ_ONLY },
} as const;

export const FETCH_TOOL = {
  name: 'fetch',
  title: 'Fetch a document',
  description: 'Fetch the full text of one document of this workspace by the id that search returned.',
  inputSchema: {
    type: 'object',
    properties: { id: { type: 'string', description: 'A document id from search results.' } },
    required: ['id'],
    additionalProperties: false,
  },
  outputSchema: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      title: { type: 'string' },
      text: { type: 'string' },
      url: { type: ['string', 'null'] },
      metadata: { type: 'object' },
    },
    required: ['id', 'title', 'text', 'url', 'metadata'],
  },
  annotations: { title: 'Fetch a document', ...READ_ONLY },
} as const;

export const TOOLS = [SEARCH_TOOL, FETCH_TOOL];

/** Serialized once: tools/list is the protocol's hottest path and its answer never changes. */
export const TOOLS_LIST_RESULT_JSON = JSON.stringify({ tools: TOOLS });
