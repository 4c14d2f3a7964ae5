import { Controller, Get, Injectable, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { WorkspaceActivityRepository } from '@tessera/persistence';
import type { Actor } from '../api-auth/actor';
import { Authenticated, CurrentActor } from '../api-auth/authenticated.decorator';
import { TenantAccessService } from '../api-auth/tenant-access.service';
import { ErrorDto } from '../common-dto';

export class WorkspaceActivityDto {
  @ApiProperty() documentCount!: number;
  @ApiProperty({ type: String, nullable: true, description: 'When a document was last written (ISO 8601)' }) lastWriteAt!: string | null;
  @ApiProperty({ description: 'search calls at the connector in the last 24 hours' }) searchesLast24h!: number;
}

@Injectable()
export class WorkspaceActivityService {
  constructor(
    private readonly access: TenantAccessService,
    private readonly activity: WorkspaceActivityRepository,
  ) {}

  async of(actor: Actor, tenantSlug: string, workspaceSlug: string): Promise<WorkspaceActivityDto> {
    const { tenant, workspace } = await this.access.requireWorkspace(actor, tenantSlug, workspaceSlug);
    const activity = await this.activity.activity(tenant.id, workspace.id);
    return { documentCount: activity.documentCount, lastWriteAt: activity.lastWriteAt?.toISOString() ?? null, searchesLast24h: activity.searchesLast24h };
  }
}

@ApiTags('workspaces')
@Authenticated()
@ApiNotFoundResponse({ type: ErrorDto })
@Controller('v1/tenants/:tenant/workspaces/:workspace/activity')
export class WorkspaceActivityController {
  constructor(private readonly activity: WorkspaceActivityService) {}

  @Get()
  @ApiOkResponse({ type: WorkspaceActivityDto })
  get(@CurrentActor() actor: Actor, @Param('tenant') tenant: string, @Param('workspace') workspace: string): Promise<WorkspaceActivityDto> {
    return this.activity.of(actor, tenant, workspace);
  }
}
