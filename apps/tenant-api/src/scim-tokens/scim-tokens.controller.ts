import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../api-auth/actor';
import { Authenticated, CurrentActor } from '../api-auth/authenticated.decorator';
import { ErrorDto } from '../common-dto';
import { CreatedScimTokenDto, CreateScimTokenDto, ScimTokenListDto, toScimTokenDto } from './dto/scim-token.dto';
import { ScimTokensService } from './scim-tokens.service';

@ApiTags('SCIM tokens')
@Authenticated()
@ApiNotFoundResponse({ type: ErrorDto })
@Controller('v1/tenants/:tenant/scim-tokens')
export class ScimTokensController {
  constructor(private readonly tokens: ScimTokensService) {}

  @Post()
  @ApiCreatedResponse({ type: CreatedScimTokenDto })
  async issue(@CurrentActor() actor: Actor, @Param('tenant') tenant: string, @Body() body: CreateScimTokenDto): Promise<CreatedScimTokenDto> {
    const { record, token, scimUrl } = await this.tokens.issue(actor, tenant, body.label);
    return { ...toScimTokenDto(record), token, scimUrl };
  }

  @Get()
  @ApiOkResponse({ type: ScimTokenListDto })
  async list(@CurrentActor() actor: Actor, @Param('tenant') tenant: string): Promise<ScimTokenListDto> {
    return { scimTokens: (await this.tokens.list(actor, tenant)).map(toScimTokenDto) };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Revoked; the token stops working at once' })
  async revoke(@CurrentActor() actor: Actor, @Param('tenant') tenant: string, @Param('id') id: string): Promise<void> {
    await this.tokens.revoke(actor, tenant, id);
  }
}
