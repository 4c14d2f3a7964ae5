import { Body, Controller, Delete, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../api-auth/actor';
import { Authenticated, CurrentActor } from '../api-auth/authenticated.decorator';
import { ErrorDto } from '../common-dto';
import { CreateUserDto, toUserDto, UserDto, UserListDto } from './dto/user.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@Authenticated()
@ApiNotFoundResponse({ type: ErrorDto })
@Controller('v1/tenants/:tenant/workspaces/:workspace/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  /**
   * Creates the tenant user if new and adds them to this workspace with these groups (201), or updates them
   * (200). Adding someone who was removed lets the tenant's IdP sign them in here again.
   */
  @Post()
  @ApiCreatedResponse({ type: UserDto, description: 'A member now; someone removed earlier is admitted through the tenant\'s IdP again' })
  async add(
    @CurrentActor() actor: Actor,
    @Param('tenant') tenant: string,
    @Param('workspace') workspace: string,
    @Body() body: CreateUserDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<UserDto> {
    const { member, created } = await this.users.addToWorkspace(actor, tenant, workspace, body);
    res.status(created ? 201 : 200);
    return toUserDto(member);
  }

  @Get()
  @ApiOkResponse({ type: UserListDto })
  async list(@CurrentActor() actor: Actor, @Param('tenant') tenant: string, @Param('workspace') workspace: string): Promise<UserListDto> {
    return { users: (await this.users.list(actor, tenant, workspace)).map(toUserDto) };
  }

  /** Removes the member from this workspace; what they were given here stops working (see UsersService). */
  @Delete(':email')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'No longer a member: their access tokens for this workspace and OAuth consents for its connector are revoked, and the tenant\'s IdP does not provision them here again until an admin adds them back' })
  @ApiBadRequestResponse({ type: ErrorDto, description: 'Not an email address' })
  async remove(@CurrentActor() actor: Actor, @Param('tenant') tenant: string, @Param('workspace') workspace: string, @Param('email') email: string): Promise<void> {
    await this.users.removeFromWorkspace(actor, tenant, workspace, email);
  }
}
