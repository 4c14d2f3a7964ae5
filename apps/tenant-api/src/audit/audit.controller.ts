import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../api-auth/actor';
import { Authenticated, CurrentActor } from '../api-auth/authenticated.decorator';
import { ErrorDto } from '../common-dto';
import { AuditService } from './audit.service';
import { AuditPageDto, AuditQueryDto } from './dto/audit.dto';

@ApiTags('audit')
@Authenticated()
@ApiNotFoundResponse({ type: ErrorDto })
@Controller('v1/tenants/:tenant/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /** Who did what where: tool calls (with the documents returned), sign-ins, consents, tokens, admin changes. */
  @Get()
  @ApiOkResponse({ type: AuditPageDto })
  page(@CurrentActor() actor: Actor, @Param('tenant') tenant: string, @Query() query: AuditQueryDto): Promise<AuditPageDto> {
    return this.audit.page(actor, tenant, query);
  }
}
