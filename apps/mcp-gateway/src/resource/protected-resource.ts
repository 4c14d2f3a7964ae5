import { connectorUrl, protectedResourceMetadataUrl, TOOL_SCOPES, WorkspaceContext } from '@tessera/domain';

export const SUPPORTED_SCOPES = [...TOOL_SCOPES];

/** RFC 9728 metadata for one workspace's connector: `resource` is exactly the connector URL. */
export function protectedResourceMetadata(publicUrl: string, issuer: string, ctx: WorkspaceContext) {
  return {
    resource: connectorUrl(publicUrl, ctx.tenantSlug, ctx.workspaceSlug),
    authorization_servers: [issuer],
    scopes_supported: SUPPORTED_SCOPES,
    bearer_methods_supported: ['header'],
    resource_name: `${ctx.tenantName} · ${ctx.workspaceName}`,
    resource_documentation: `${publicUrl}/docs`,
  };
}

/** RFC 6750 §3 challenge with RFC 9728's resource_metadata, and the scope a client should ask for. */
export function bearerChallenge(
  publicUrl: string,
  tenantSlug: string,
  workspaceSlug: string,
  error?: { code: 'invalid_token' | 'insufficient_scope'; description: string; scope?: string },
): string {
  const parts = [`resource_metadata="${protectedResourceMetadataUrl(publicUrl, tenantSlug, workspaceSlug)}"`];
  parts.push(`scope="${error?.scope ?? SUPPORTED_SCOPES.join(' ')}"`);
  if (error) {
    parts.push(`error="${error.code}"`);
    parts.push(`error_description="${error.description.replace(/["\\]/g, '')}"`);
  }
  return `Bearer ${parts.join(', ')}`;
}
