/**
 * The MCP protocol revisions Tessera speaks, pinned here rather than imported from the SDK: an SDK
 * upgrade must not silently widen what the connector claims to speak.
 */

/** Stateless revisions: every request carries its version in `params._meta`; there is no initialize. */
export const MODERN_PROTOCOL_VERSIONS: readonly string[] = ['2026-07-28'];

/** initialize-based revisions, newest first (what initialize negotiates down to). */
export const LEGACY_PROTOCOL_VERSIONS: readonly string[] = ['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05'];

/** JSON-RPC batches exist only up to 2025-03-26; 2025-06-18 removed them and later revisions never had them. */
export const BATCHING_PROTOCOL_VERSIONS: readonly string[] = ['2025-03-26', '2024-11-05'];

/**
 * A 2025-era request without an MCP-Protocol-Version header: the 2025-06-18 transport lets a server
 * treat it as 2025-03-26, the revision that predates the header (and allows batches).
 */
export const LEGACY_VERSION_WITHOUT_HEADER = '2025-03-26';

/** The `_meta` keys a 2026-era request carries. */
export const META_PROTOCOL_VERSION = 'io.modelcontextprotocol/protocolVersion';
export const META_CLIENT_CAPABILITIES = 'io.modelcontextprotocol/clientCapabilities';
export const META_SERVER_INFO = 'io.modelcontextprotocol/serverInfo';
