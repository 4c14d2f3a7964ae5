import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../api-auth/actor';
import { Authenticated, CurrentActor } from '../api-auth/authenticated.decorator';
import { ErrorDto } from '../common-dto';
import { CreatedTenantDto, CreateTenantDto, TenantDto, toTenantDto } from './dto/tenant.dto';
import { TenantsService } from './tenants.service';

@ApiTags('tenants')
@Authenticated()
@Controller('v1/tenants')
export class TenantsController {
  constructor(private readonly tenants: TenantsService) {}

  @Post()
  @ApiCreatedResponse({ type: CreatedTenantDto })
  @ApiConflictResponse({ type: ErrorDto, description: 'Slug taken' })
  async create(@CurrentActor() actor: Actor, @Body() body: CreateTenantDto): Promise<CreatedTenantDto> {
    const { tenant, apiKey } = await this.tenants.create(actor, body);
    return { ...toTenantDto(tenant), apiKey };
  }

  @Get(':tenant')
  @ApiOkResponse({ type: TenantDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  async get(@CurrentActor() actor: Actor, @Param('tenant') tenant: string): Promise<TenantDto> {
    return toTenantDto(await this.tenants.get(actor, tenant));
  }
}
