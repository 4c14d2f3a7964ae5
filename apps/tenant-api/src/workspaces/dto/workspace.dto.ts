import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { connectorUrl } from '@tessera/domain';
import type { TenantEntity, WorkspaceEntity } from '@tessera/persistence';
import { SlugAndNameDto } from '../../common-dto';
import { effectiveSettings, WorkspaceSettingsDto } from './workspace-settings.dto';

export class CreateWorkspaceDto extends SlugAndNameDto {}

export class WorkspaceDto {
  @ApiProperty() id!: string;
  @ApiProperty() slug!: string;
  @ApiProperty() name!: string;
  @ApiProperty() tenant!: string;
  @ApiProperty({ description: 'The URL to add in ChatGPT (Settings → Connectors) or pass as server_url to the Responses API' })
  connectorUrl!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ type: WorkspaceSettingsDto }) settings!: WorkspaceSettingsDto;
  @ApiPropertyOptional({ description: 'After a PATCH naming flaggedDocuments: how many stored documents it held back or released, before answering' })
  flaggedDocumentsChanged?: number;
}

export class WorkspaceListDto {
  @ApiProperty({ type: [WorkspaceDto] }) workspaces!: WorkspaceDto[];
}

export function toWorkspaceDto(publicUrl: string, tenant: TenantEntity, workspace: WorkspaceEntity): WorkspaceDto {
  return {
    id: workspace.id,
    slug: workspace.slug,
    name: workspace.name,
    tenant: tenant.slug,
    connectorUrl: connectorUrl(publicUrl, tenant.slug, workspace.slug),
    createdAt: workspace.createdAt.toISOString(),
    settings: effectiveSettings(workspace),
  };
}
