import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBody, ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { SyncRun } from '@tessera/persistence';
import type { Actor } from '../api-auth/actor';
import { Authenticated, CurrentActor } from '../api-auth/authenticated.decorator';
import { ErrorDto } from '../common-dto';
import { SyncService } from './sync.service';

/** A run as the API shows it. */
export function toSyncRunDto(run: SyncRun) {
  return {
    id: run.id,
    source: run.source,
    state: run.state,
    seen: run.seen,
    deleted: run.deleted,
    error: run.error,
    startedAt: run.startedAt.toISOString(),
    expiresAt: run.expiresAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
  };
}

@ApiTags('syncs')
@Authenticated()
@ApiNotFoundResponse({ type: ErrorDto })
@Controller('v1/tenants/:tenant/workspaces/:workspace')
export class SyncsController {
  constructor(private readonly syncs: SyncService) {}

  @Post('syncs')
  @ApiBody({ schema: { type: 'object', properties: { source: { type: 'string', example: 'confluence-eng' } }, required: ['source'] } })
  @ApiCreatedResponse({ description: 'The run; writes name it with ?sync={id}' })
  @ApiConflictResponse({ type: ErrorDto, description: 'The source already has an open run' })
  async open(@CurrentActor() actor: Actor, @Param('tenant') tenant: string, @Param('workspace') workspace: string, @Body() body: unknown) {
    return toSyncRunDto(await this.syncs.open(actor, tenant, workspace, body ?? {}));
  }

  @Get('syncs')
  @ApiOkResponse({ description: 'The latest runs, newest first' })
  async list(@CurrentActor() actor: Actor, @Param('tenant') tenant: string, @Param('workspace') workspace: string) {
    return { syncs: (await this.syncs.list(actor, tenant, workspace)).map(toSyncRunDto) };
  }

  @Get('syncs/:id')
  @ApiOkResponse({ description: 'State, counts, start and finish' })
  async show(@CurrentActor() actor: Actor, @Param('tenant') tenant: string, @Param('workspace') workspace: string, @Param('id') id: string) {
    return toSyncRunDto(await this.syncs.show(actor, tenant, workspace, id));
  }

  @Post('syncs/:id\\:complete')
  @HttpCode(200)
  @ApiBody({ required: false, schema: { type: 'object', properties: { force: { type: 'boolean' } } } })
  @ApiOkResponse({ description: 'Completed: the documents of the source the run did not see are deleted' })
  @ApiConflictResponse({ type: ErrorDto, description: 'Not open, or it would delete more than 20% of the source (send {"force": true})' })
  async complete(
    @CurrentActor() actor: Actor,
    @Param('tenant') tenant: string,
    @Param('workspace') workspace: string,
    @Param('id') id: string,
    @Body() body: unknown,
  ) {
    const { run, deletedIds } = await this.syncs.complete(actor, tenant, workspace, id, body);
    return { ...toSyncRunDto(run), deletedIds };
  }

  @Post('syncs/:id\\:abandon')
  @HttpCode(200)
  @ApiOkResponse({ description: 'Abandoned: deletes nothing' })
  async abandon(@CurrentActor() actor: Actor, @Param('tenant') tenant: string, @Param('workspace') workspace: string, @Param('id') id: string) {
    return toSyncRunDto(await this.syncs.abandon(actor, tenant, workspace, id));
  }

  @Get('sources/:source/cursor')
  @ApiOkResponse({ description: 'The cursor the client stored for the source' })
  cursor(@CurrentActor() actor: Actor, @Param('tenant') tenant: string, @Param('workspace') workspace: string, @Param('source') source: string) {
    return this.syncs.cursor(actor, tenant, workspace, source);
  }

  @Put('sources/:source/cursor')
  @HttpCode(204)
  @ApiBody({ schema: { type: 'object', properties: { cursor: { type: 'string' } }, required: ['cursor'] } })
  @ApiNoContentResponse()
  async putCursor(
    @CurrentActor() actor: Actor,
    @Param('tenant') tenant: string,
    @Param('workspace') workspace: string,
    @Param('source') source: string,
    @Body() body: unknown,
  ): Promise<void> {
    await this.syncs.putCursor(actor, tenant, workspace, source, body);
  }
}
