import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { PLATFORM_CONFIG, type PlatformConfig } from '@tessera/server';
import type { Actor } from '../api-auth/actor';
import { Authenticated, CurrentActor } from '../api-auth/authenticated.decorator';
import { ErrorDto } from '../common-dto';
import { CreateWorkspaceDto, toWorkspaceDto, WorkspaceDto, WorkspaceListDto } from './dto/workspace.dto';
import { UpdateWorkspaceDto } from './dto/workspace-settings.dto';
import { WorkspacesService } from './workspaces.service';

@ApiTags('workspaces')
@Authenticated()
@ApiNotFoundResponse({ type: ErrorDto })
@Controller('v1/tenants/:tenant/workspaces')
export class WorkspacesController {
  constructor(
    private readonly workspaces: WorkspacesService,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  @Post()
  @ApiCreatedResponse({ type: WorkspaceDto })
  @ApiConflictResponse({ type: ErrorDto, description: 'Slug taken in this tenant' })
  async create(@CurrentActor() actor: Actor, @Param('tenant') tenant: string, @Body() body: CreateWorkspaceDto): Promise<WorkspaceDto> {
    const created = await this.workspaces.create(actor, tenant, body);
    return toWorkspaceDto(this.config.publicUrl, created.tenant, created.workspace);
  }

  @Get()
  @ApiOkResponse({ type: WorkspaceListDto })
  async list(@CurrentActor() actor: Actor, @Param('tenant') tenant: string): Promise<WorkspaceListDto> {
    const all = await this.workspaces.list(actor, tenant);
    return { workspaces: all.map((w) => toWorkspaceDto(this.config.publicUrl, w.tenant, w.workspace)) };
  }

  @Get(':workspace')
  @ApiOkResponse({ type: WorkspaceDto })
  async get(@CurrentActor() actor: Actor, @Param('tenant') tenant: string, @Param('workspace') workspace: string): Promise<WorkspaceDto> {
    const found = await this.workspaces.get(actor, tenant, workspace);
    return toWorkspaceDto(this.config.publicUrl, found.tenant, found.workspace);
  }

  @Patch(':workspace')
  @ApiOkResponse({ type: WorkspaceDto, description: 'Name, result count and OAuth client policy' })
  async update(
    @CurrentActor() actor: Actor,
    @Param('tenant') tenant: string,
    @Param('workspace') workspace: string,
    @Body() body: UpdateWorkspaceDto,
  ): Promise<WorkspaceDto> {
    const updated = await this.workspaces.update(actor, tenant, workspace, body);
    const dto = toWorkspaceDto(this.config.publicUrl, updated.tenant, updated.workspace);
    return updated.flaggedDocumentsChanged === undefined ? dto : { ...dto, flaggedDocumentsChanged: updated.flaggedDocumentsChanged };
  }

  @Delete(':workspace')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted with its documents, users\' memberships and tokens' })
  async delete(@CurrentActor() actor: Actor, @Param('tenant') tenant: string, @Param('workspace') workspace: string): Promise<void> {
    await this.workspaces.delete(actor, tenant, workspace);
  }
}
