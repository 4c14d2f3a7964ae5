import { Controller, Delete, Get, HttpCode, Param, Put, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../api-auth/actor';
import { Authenticated, CurrentActor } from '../api-auth/authenticated.decorator';
import { ErrorDto } from '../common-dto';
import { TenantAdminListDto, toTenantAdminDto } from './dto/tenant-admin.dto';
import { TenantAdminsService } from './tenant-admins.service';

@ApiTags('tenant admins')
@Authenticated()
@ApiNotFoundResponse({ type: ErrorDto })
@Controller('v1/tenants/:tenant/admins')
export class TenantAdminsController {
  constructor(private readonly admins: TenantAdminsService) {}

  @Get()
  @ApiOkResponse({ type: TenantAdminListDto })
  async list(@CurrentActor() actor: Actor, @Param('tenant') tenant: string): Promise<TenantAdminListDto> {
    return { admins: (await this.admins.list(actor, tenant)).map(toTenantAdminDto) };
  }

  /** Makes the user with this email a tenant admin (201), or leaves them one (204). */
  @Put(':email')
  @ApiCreatedResponse({ description: 'Now a tenant admin' })
  @ApiNoContentResponse({ description: 'Already a tenant admin' })
  async add(@CurrentActor() actor: Actor, @Param('tenant') tenant: string, @Param('email') email: string, @Res({ passthrough: true }) res: Response): Promise<void> {
    const { created } = await this.admins.add(actor, tenant, email);
    res.status(created ? 201 : 204);
  }

  @Delete(':email')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'No longer a tenant admin; their console sessions stop working at once' })
  async remove(@CurrentActor() actor: Actor, @Param('tenant') tenant: string, @Param('email') email: string): Promise<void> {
    await this.admins.remove(actor, tenant, email);
  }
}
