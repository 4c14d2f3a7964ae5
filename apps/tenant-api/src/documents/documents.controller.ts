import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiConsumes, ApiQuery, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { RETRY_AFTER_SECONDS } from '@tessera/server';
import type { Request, Response } from 'express';
import { ErrorCode, TesseraError } from '@tessera/domain';
import type { Actor } from '../api-auth/actor';
import { Authenticated, CurrentActor } from '../api-auth/authenticated.decorator';
import { ErrorDto } from '../common-dto';
import { BULK_LIMITS, DocumentsService } from './documents.service';
import { BulkResultDto, DocumentDto, DocumentListDto, DocumentListQueryDto, PutDocumentDto, QuarantineListDto, toDocumentDto, toDocumentSummaryDto, UpsertResultDto } from './dto/document.dto';

const NDJSON_TYPES = ['application/x-ndjson', 'application/ndjson', 'application/jsonl', 'application/jsonlines', 'application/x-jsonlines'];

/** `?sync={id}`: the write counts as seen by that open sync run of this workspace (optional). */
const SyncRunQuery = ApiQuery({ name: 'sync', required: false, description: 'an open sync run of this workspace; the write counts as seen by it' });

@ApiTags('documents')
@Authenticated()
@ApiNotFoundResponse({ type: ErrorDto })
@Controller('v1/tenants/:tenant/workspaces/:workspace')
export class DocumentsController {
  constructor(private readonly documents: DocumentsService) {}

  @SyncRunQuery
  @Put('documents/:id')
  @ApiBody({ type: PutDocumentDto })
  @ApiOkResponse({ type: UpsertResultDto, description: 'Updated or unchanged' })
  @ApiCreatedResponse({ type: UpsertResultDto, description: 'Created' })
  async put(
    @CurrentActor() actor: Actor,
    @Param('tenant') tenant: string,
    @Param('workspace') workspace: string,
    @Param('id') id: string,
    @Headers('content-type') contentType: string | undefined,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
    @Query('sync') sync?: string,
  ): Promise<UpsertResultDto> {
    if ((contentType ?? '').split(';')[0]!.trim().toLowerCase() !== 'application/json') {
      throw new TesseraError(ErrorCode.UnsupportedMediaType, 'send the document as application/json');
    }
    const { outcome, flags, quarantined } = await this.documents.put(actor, tenant, workspace, id, body, sync);
    res.status(outcome === 'created' ? 201 : 200);
    return { id, status: outcome, ...(flags.length ? { flags: [...flags], quarantined } : {}) };
  }

  @SyncRunQuery
  @Patch('documents/:id')
  @ApiBody({ schema: { type: 'object', properties: { acl: { $ref: '#/components/schemas/DocumentAclDto' } }, required: ['acl'] } })
  @ApiOkResponse({ type: UpsertResultDto, description: 'Who may read it changed (updated) or already was so (unchanged); content untouched' })
  async patch(
    @CurrentActor() actor: Actor,
    @Param('tenant') tenant: string,
    @Param('workspace') workspace: string,
    @Param('id') id: string,
    @Body() body: unknown,
    @Query('sync') sync?: string,
  ): Promise<UpsertResultDto> {
    return { id, status: await this.documents.patchAcl(actor, tenant, workspace, id, body, sync) };
  }

  @Get('documents')
  @ApiOkResponse({ type: DocumentListDto, description: 'A page of the workspace\'s documents, without their text' })
  @ApiBadRequestResponse({ type: ErrorDto, description: 'q too long, limit outside 1–200, or a cursor this API did not hand out' })
  async list(
    @CurrentActor() actor: Actor,
    @Param('tenant') tenant: string,
    @Param('workspace') workspace: string,
    @Query() query: DocumentListQueryDto,
  ): Promise<DocumentListDto> {
    const page = await this.documents.list(actor, tenant, workspace, query);
    return { documents: page.documents.map(toDocumentSummaryDto), nextCursor: page.nextCursor };
  }

  @Get('documents/:id')
  @ApiOkResponse({ type: DocumentDto })
  async get(
    @CurrentActor() actor: Actor,
    @Param('tenant') tenant: string,
    @Param('workspace') workspace: string,
    @Param('id') id: string,
  ): Promise<DocumentDto> {
    return toDocumentDto(await this.documents.get(actor, tenant, workspace, id));
  }

  @Delete('documents/:id')
  @HttpCode(204)
  @ApiNoContentResponse()
  async delete(
    @CurrentActor() actor: Actor,
    @Param('tenant') tenant: string,
    @Param('workspace') workspace: string,
    @Param('id') id: string,
  ): Promise<void> {
    await this.documents.delete(actor, tenant, workspace, id);
  }

  @Get('quarantine')
  @ApiOkResponse({ type: QuarantineListDto, description: 'Documents held back by the workspace\'s hygiene policy' })
  async quarantine(@CurrentActor() actor: Actor, @Param('tenant') tenant: string, @Param('workspace') workspace: string): Promise<QuarantineListDto> {
    return { documents: (await this.documents.quarantined(actor, tenant, workspace)).map(toDocumentDto) };
  }

  @Post('documents/:id\\:release')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Released: the document is searchable and fetchable (its flags stay)' })
  async release(
    @CurrentActor() actor: Actor,
    @Param('tenant') tenant: string,
    @Param('workspace') workspace: string,
    @Param('id') id: string,
  ): Promise<void> {
    await this.documents.release(actor, tenant, workspace, id);
  }

  /** NDJSON, one document per line; streamed, so the body is never held in memory whole. */
  @SyncRunQuery
  @Post('documents\\:bulk')
  @HttpCode(200)
  @ApiConsumes('application/x-ndjson')
  @ApiBody({ schema: { type: 'string', description: 'One JSON document per line (fields as for PUT, plus id)' } })
  @ApiOkResponse({ type: BulkResultDto, description: 'One result per non-blank line; failures do not stop the others' })
  @ApiServiceUnavailableResponse({ type: BulkResultDto, description: 'The search backend is down: nothing was written; retry (every line is in results)' })
  async bulk(
    @CurrentActor() actor: Actor,
    @Param('tenant') tenant: string,
    @Param('workspace') workspace: string,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @Query('sync') sync?: string,
  ): Promise<BulkResultDto> {
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (!NDJSON_TYPES.includes(type)) {
      throw new TesseraError(ErrorCode.UnsupportedMediaType, 'send documents as application/x-ndjson, one JSON document per line');
    }
    const length = Number(req.headers['content-length'] ?? 0);
    if (length > BULK_LIMITS.maxTotalBytes) {
      throw new TesseraError(ErrorCode.PayloadTooLarge, `request body exceeds ${BULK_LIMITS.maxTotalBytes / (1024 * 1024)} MB; split it`);
    }
    const { unavailable, ...result } = await this.documents.bulk(actor, tenant, workspace, req, sync);
    if (unavailable) res.status(503).set('Retry-After', RETRY_AFTER_SECONDS);
    return result;
  }
}
