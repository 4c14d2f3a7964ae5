import { Module } from '@nestjs/common';
import { CredentialRevocation } from './credential-revocation';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({ controllers: [UsersController], providers: [UsersService, CredentialRevocation], exports: [UsersService, CredentialRevocation] })
export class UsersModule {}
