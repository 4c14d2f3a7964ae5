import { All, Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Put, Query, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { SCIM_CONTENT_TYPE } from '@tessera/server';
import { CurrentScimCaller, ScimAuthGuard, type ScimCaller } from './scim-auth.guard';
import { listResponse, resourceTypes, schemas, serviceProviderConfig } from './scim-discovery';
import { ScimError, ScimExceptionFilter } from './scim-errors';
import { ScimGroupsService } from './scim-groups.service';
import type { ScimResourceJson } from './scim-resources';
import { ScimUsersService } from './scim-users.service';

/**
 * SCIM 2.0 (RFC 7644) for one tenant's IdP at `{PUBLIC_URL}/scim/v2/{tenant}`. Handlers only route:
 * the services validate, write, audit and shape resources; every answer is application/scim+json.
 */
@ApiExcludeController()
@UseFilters(ScimExceptionFilter)
@UseGuards(ScimAuthGuard)
@Controller('scim/v2/:tenant')
export class ScimController {
  constructor(
    private readonly users: ScimUsersService,
    private readonly groups: ScimGroupsService,
  ) {}

  @Get('Users')
  async listUsers(@CurrentScimCaller() caller: ScimCaller, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: Response) {
    return scim(res, await this.users.list(caller, query));
  }

  @Post('Users')
  async createUser(@CurrentScimCaller() caller: ScimCaller, @Body() body: unknown, @Res({ passthrough: true }) res: Response) {
    return created(res, await this.users.create(caller, body));
  }

  @Get('Users/:id')
  async getUser(@CurrentScimCaller() caller: ScimCaller, @Param('id') id: string, @Res({ passthrough: true }) res: Response) {
    return resource(res, await this.users.get(caller, id));
  }

  @Put('Users/:id')
  async replaceUser(@CurrentScimCaller() caller: ScimCaller, @Param('id') id: string, @Body() body: unknown, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: Response) {
    return resource(res, await this.users.replace(caller, id, body, ifMatch));
  }

  @Patch('Users/:id')
  async patchUser(@CurrentScimCaller() caller: ScimCaller, @Param('id') id: string, @Body() body: unknown, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: Response) {
    return resource(res, await this.users.patch(caller, id, body, ifMatch));
  }

  @Delete('Users/:id')
  @HttpCode(204)
  async deleteUser(@CurrentScimCaller() caller: ScimCaller, @Param('id') id: string, @Headers('if-match') ifMatch: string | undefined): Promise<void> {
    await this.users.delete(caller, id, ifMatch);
  }

  @Get('Groups')
  async listGroups(@CurrentScimCaller() caller: ScimCaller, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: Response) {
    return scim(res, await this.groups.list(caller, query));
  }

  @Post('Groups')
  async createGroup(@CurrentScimCaller() caller: ScimCaller, @Body() body: unknown, @Res({ passthrough: true }) res: Response) {
    return created(res, await this.groups.create(caller, body));
  }

  @Get('Groups/:id')
  async getGroup(@CurrentScimCaller() caller: ScimCaller, @Param('id') id: string, @Res({ passthrough: true }) res: Response) {
    return resource(res, await this.groups.get(caller, id));
  }

  @Put('Groups/:id')
  async replaceGroup(@CurrentScimCaller() caller: ScimCaller, @Param('id') id: string, @Body() body: unknown, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: Response) {
    return resource(res, await this.groups.replace(caller, id, body, ifMatch));
  }

  @Patch('Groups/:id')
  async patchGroup(@CurrentScimCaller() caller: ScimCaller, @Param('id') id: string, @Body() body: unknown, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: Response) {
    return resource(res, await this.groups.patch(caller, id, body, ifMatch));
  }

  @Delete('Groups/:id')
  @HttpCode(204)
  async deleteGroup(@CurrentScimCaller() caller: ScimCaller, @Param('id') id: string, @Headers('if-match') ifMatch: string | undefined): Promise<void> {
    await this.groups.delete(caller, id, ifMatch);
  }

  @Get('ServiceProviderConfig')
  serviceProviderConfig(@CurrentScimCaller() caller: ScimCaller, @Res({ passthrough: true }) res: Response) {
    return scim(res, serviceProviderConfig(caller.baseUrl));
  }

  @Get('ResourceTypes')
  resourceTypes(@CurrentScimCaller() caller: ScimCaller, @Res({ passthrough: true }) res: Response) {
    const all = resourceTypes(caller.baseUrl);
    return scim(res, listResponse(all, all.length, 1));
  }

  @Get('ResourceTypes/:name')
  resourceType(@CurrentScimCaller() caller: ScimCaller, @Param('name') name: string, @Res({ passthrough: true }) res: Response) {
    return scim(res, findById(resourceTypes(caller.baseUrl), name));
  }

  @Get('Schemas')
  schemas(@CurrentScimCaller() caller: ScimCaller, @Res({ passthrough: true }) res: Response) {
    const all = schemas(caller.baseUrl);
    return scim(res, listResponse(all, all.length, 1));
  }

  @Get('Schemas/:id')
  schema(@CurrentScimCaller() caller: ScimCaller, @Param('id') id: string, @Res({ passthrough: true }) res: Response) {
    return scim(res, findById(schemas(caller.baseUrl), id));
  }

  /** Anything else under the tenant's SCIM base (Bulk, /Me, unknown paths) is a SCIM 404, not the API's. */
  @All(['', '*rest'])
  unknown(): never {
    throw new ScimError(404, 'no such SCIM endpoint (this service offers Users, Groups, ServiceProviderConfig, Schemas and ResourceTypes)');
  }
}

function scim<T>(res: Response, body: T): T {
  res.setHeader('Content-Type', SCIM_CONTENT_TYPE);
  return body;
}

function resource(res: Response, body: ScimResourceJson): ScimResourceJson {
  res.setHeader('ETag', body.meta.version);
  return scim(res, body);
}

function created(res: Response, body: ScimResourceJson): ScimResourceJson {
  res.status(201).setHeader('Location', String((body.meta as { location?: string }).location));
  return resource(res, body);
}

function findById(items: Array<Record<string, unknown>>, id: string): Record<string, unknown> {
  const found = items.find((item) => item.id === id);
  if (!found) throw new ScimError(404, `${id.slice(0, 100)} not found`);
  return found;
}
