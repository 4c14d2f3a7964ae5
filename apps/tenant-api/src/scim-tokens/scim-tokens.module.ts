import { Module } from '@nestjs/common';
import { ScimTokensController } from './scim-tokens.controller';
import { ScimTokensService } from './scim-tokens.service';

@Module({ controllers: [ScimTokensController], providers: [ScimTokensService] })
export class ScimTokensModule {}
