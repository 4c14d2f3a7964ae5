import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsString, IsUrl, Length, Matches } from 'class-validator';
import type { FederationTestFailureCode } from '@tessera/domain';
import { Optional } from '../../common-dto';

export class PutIdentityProviderDto {
  @ApiProperty({ example: 'https://login.acme.example', description: 'OpenID Connect issuer (discovery at /.well-known/openid-configuration)' })
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true, require_tld: false }, { message: 'must be an https URL' })
  @Length(1, 512)
  issuer!: string;

  @ApiProperty({ description: 'The client Tessera is registered as at your IdP' })
  @IsString()
  @Length(1, 256)
  clientId!: string;

  @ApiProperty({ description: 'Stored sealed; never returned' })
  @IsString()
  @Length(1, 1024)
  clientSecret!: string;

  @ApiPropertyOptional({ default: 'groups', description: 'ID token / userinfo claim that lists the user\'s groups' })
  @Optional()
  @IsString()
  @Matches(/^[A-Za-z0-9_:./-]{1,128}$/, { message: 'must be a claim name' })
  groupsClaim?: string;

  @ApiPropertyOptional({ example: 'Acme SSO', description: 'Shown on the sign-in button' })
  @Optional()
  @IsString()
  @Length(1, 100)
  displayName?: string;

  @ApiPropertyOptional({ default: true, description: 'Add users the IdP signs in to the workspace they sign in to' })
  @Optional()
  @IsBoolean()
  autoProvision?: boolean;
}

export class IdentityProviderDto {
  @ApiProperty() issuer!: string;
  @ApiProperty() clientId!: string;
  @ApiProperty() groupsClaim!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty() autoProvision!: boolean;
  @ApiProperty({ description: 'Register this redirect URI at your IdP' }) redirectUri!: string;
}

export class StartedIdentityProviderTestDto {
  @ApiProperty({ description: 'The test\'s ticket: read its outcome at …/identity-provider/test-sign-ins/{id}' }) id!: string;
  @ApiProperty({ description: 'Open this in the browser: it goes through Tessera\'s authorization server to the IdP and back to the console (single use, 10 minutes)' })
  url!: string;
}

export class IdentityProviderTestClaimsDto {
  @ApiProperty() email!: string;
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
  @ApiProperty({ type: [String], description: 'From the configured groups claim' }) groups!: string[];
  @ApiProperty({ description: 'Whether this tenant already has this user' }) existingUser!: boolean;
}

export class IdentityProviderTestFailureDto {
  @ApiProperty({
    enum: ['issuer_refused', 'discovery_failed', 'redirect_refused', 'idp_error', 'client_authentication_failed', 'code_exchange_refused', 'token_request_failed', 'id_token_invalid', 'no_verified_email', 'invalid_claims'],
  })
  code!: FederationTestFailureCode;
  @ApiProperty() message!: string;
}

export class IdentityProviderTestDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['pending', 'succeeded', 'failed'] }) status!: 'pending' | 'succeeded' | 'failed';
  @ApiPropertyOptional({ type: IdentityProviderTestClaimsDto, description: 'What would map to the user (never a token)' }) claims?: IdentityProviderTestClaimsDto;
  @ApiPropertyOptional({ type: IdentityProviderTestFailureDto }) failure?: IdentityProviderTestFailureDto;
}
