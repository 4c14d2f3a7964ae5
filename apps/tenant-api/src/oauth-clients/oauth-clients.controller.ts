import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../api-auth/actor';
import { Authenticated, CurrentActor } from '../api-auth/authenticated.decorator';
import { ErrorDto } from '../common-dto';
import { ConsentListDto, CreatedOAuthClientDto, CreateOAuthClientDto, OAuthClientListDto } from './dto/oauth-client.dto';
import { OAuthClientsService } from './oauth-clients.service';

@ApiTags('oauth')
@Authenticated()
@ApiNotFoundResponse({ type: ErrorDto })
@Controller('v1/tenants/:tenant/workspaces/:workspace')
export class OAuthClientsController {
  constructor(private readonly clients: OAuthClientsService) {}

  @Post('oauth-clients')
  @ApiCreatedResponse({ type: CreatedOAuthClientDto, description: 'A pre-registered client for this workspace only' })
  create(@CurrentActor() actor: Actor, @Param('tenant') tenant: string, @Param('workspace') workspace: string, @Body() body: CreateOAuthClientDto) {
    return this.clients.create(actor, tenant, workspace, body);
  }

  @Get('oauth-clients')
  @ApiOkResponse({ type: OAuthClientListDto })
  async list(@CurrentActor() actor: Actor, @Param('tenant') tenant: string, @Param('workspace') workspace: string): Promise<OAuthClientListDto> {
    return { clients: await this.clients.list(actor, tenant, workspace) };
  }

  @Delete('oauth-clients/:clientId')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Client deleted with every consent given to it: its refresh tokens and live access tokens stop working' })
  async delete(@CurrentActor() actor: Actor, @Param('tenant') tenant: string, @Param('workspace') workspace: string, @Param('clientId') clientId: string) {
    await this.clients.delete(actor, tenant, workspace, clientId);
  }

  @Get('users/:email/consents')
  @ApiOkResponse({ type: ConsentListDto, description: 'Clients this user allowed to access the workspace' })
  async consents(@CurrentActor() actor: Actor, @Param('tenant') tenant: string, @Param('workspace') workspace: string, @Param('email') email: string): Promise<ConsentListDto> {
    return { consents: await this.clients.consents(actor, tenant, workspace, email) };
  }

  @Delete('users/:email/consents/:grantId')
  @HttpCode(204)
  @ApiNoContentResponse({ description: "Consent to this workspace revoked; the client's tokens for it stop working, its consents to other workspaces stay" })
  async revoke(
    @CurrentActor() actor: Actor,
    @Param('tenant') tenant: string,
    @Param('workspace') workspace: string,
    @Param('email') email: string,
    @Param('grantId') grantId: string,
  ) {
    await this.clients.revokeConsent(actor, tenant, workspace, email, grantId);
  }
}
