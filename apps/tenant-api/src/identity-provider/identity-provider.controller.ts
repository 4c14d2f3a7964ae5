import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../api-auth/actor';
import { Authenticated, CurrentActor } from '../api-auth/authenticated.decorator';
import { ErrorDto } from '../common-dto';
import { IdentityProviderDto, IdentityProviderTestDto, PutIdentityProviderDto, StartedIdentityProviderTestDto } from './dto/identity-provider.dto';
import { IdentityProviderService } from './identity-provider.service';

@ApiTags('identity provider')
@Authenticated()
@ApiNotFoundResponse({ type: ErrorDto })
@Controller('v1/tenants/:tenant/identity-provider')
export class IdentityProviderController {
  constructor(private readonly providers: IdentityProviderService) {}

  @Put()
  @ApiOkResponse({ type: IdentityProviderDto, description: 'Users of this tenant can now sign in with this OpenID Connect IdP' })
  put(@CurrentActor() actor: Actor, @Param('tenant') tenant: string, @Body() body: PutIdentityProviderDto): Promise<IdentityProviderDto> {
    return this.providers.put(actor, tenant, body);
  }

  @Get()
  @ApiOkResponse({ type: IdentityProviderDto })
  get(@CurrentActor() actor: Actor, @Param('tenant') tenant: string): Promise<IdentityProviderDto> {
    return this.providers.get(actor, tenant);
  }

  @Delete()
  @HttpCode(204)
  @ApiNoContentResponse()
  async delete(@CurrentActor() actor: Actor, @Param('tenant') tenant: string): Promise<void> {
    await this.providers.delete(actor, tenant);
  }

  @Post('test-sign-ins')
  @ApiCreatedResponse({ type: StartedIdentityProviderTestDto, description: 'A test sign-in: open its url in the browser; nobody is signed in or provisioned' })
  startTest(@CurrentActor() actor: Actor, @Param('tenant') tenant: string): Promise<StartedIdentityProviderTestDto> {
    return this.providers.startTest(actor, tenant);
  }

  @Get('test-sign-ins/:id')
  @ApiOkResponse({ type: IdentityProviderTestDto, description: 'The claims that would map to the user, or why the sign-in failed' })
  testOutcome(@CurrentActor() actor: Actor, @Param('tenant') tenant: string, @Param('id') id: string): Promise<IdentityProviderTestDto> {
    return this.providers.testOutcome(actor, tenant, id);
  }
}
