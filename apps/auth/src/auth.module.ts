import { Module } from '@nestjs/common';

/**
 * The OAuth 2.1 authorization server (discovery, JWKS, DCR, CIMD, sign-in, consent, tokens).
 * Not built yet: until it is, connectors accept workspace access tokens issued through the tenant API.
 */
@Module({})
export class AuthModule {}
