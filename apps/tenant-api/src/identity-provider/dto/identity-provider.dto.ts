import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, IsUrl, Length, Matches } from 'class-validator';

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
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_:./-]{1,128}$/, { message: 'must be a claim name' })
  groupsClaim?: string;

  @ApiPropertyOptional({ example: 'Acme SSO', description: 'Shown on the sign-in button' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  displayName?: string;

  @ApiPropertyOptional({ default: true, description: 'Add users the IdP signs in to the workspace they sign in to' })
  @IsOptional()
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
