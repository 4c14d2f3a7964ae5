import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../api-auth/actor';
import { Authenticated, CurrentActor } from '../api-auth/authenticated.decorator';
import { ErrorDto } from '../common-dto';
import { AccessTokensService } from './access-tokens.service';
import { AccessTokenListDto, CreateAccessTokenDto, CreatedAccessTokenDto, toAccessTokenDto } from './dto/access-token.dto';

@ApiTags('access tokens')
@Authenticated()
@ApiNotFoundResponse({ type: ErrorDto })
@Controller('v1/tenants/:tenant/workspaces/:workspace/access-tokens')
export class AccessTokensController {
  constructor(private readonly tokens: AccessTokensService) {}

  @Post()
  @ApiCreatedResponse({ type: CreatedAccessTokenDto })
  async issue(
    @CurrentActor() actor: Actor,
    @Param('tenant') tenant: string,
    @Param('workspace') workspace: string,
    @Body() body: CreateAccessTokenDto,
  ): Promise<CreatedAccessTokenDto> {
    const { entity, token } = await this.tokens.issue(actor, tenant, workspace, body);
    return { ...toAccessTokenDto(entity), token };
  }

  @Get()
  @ApiOkResponse({ type: AccessTokenListDto })
  async list(@CurrentActor() actor: Actor, @Param('tenant') tenant: string, @Param('workspace') workspace: string): Promise<AccessTokenListDto> {
    return { accessTokens: (await this.tokens.list(actor, tenant, workspace)).map(toAccessTokenDto) };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Revoked; the token stops working at once' })
  async revoke(
    @CurrentActor() actor: Actor,
    @Param('tenant') tenant: string,
    @Param('workspace') workspace: string,
    @Param('id') id: string,
  ): Promise<void> {
    await this.tokens.revoke(actor, tenant, workspace, id);
  }
}
