import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsString, Length } from 'class-validator';
import { Optional } from '../../common-dto';

export class CreateOAuthClientDto {
  @ApiProperty({ example: 'Acme internal assistant' })
  @IsString()
  @Length(1, 200)
  clientName!: string;

  @ApiProperty({ type: [String], example: ['https://assistant.acme.example/oauth/callback'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @IsString({ each: true })
  redirectUris!: string[];

  @ApiPropertyOptional({ description: 'Confidential client with a secret (client_secret_basic); default: public client using PKCE' })
  @Optional()
  @IsBoolean()
  confidential?: boolean;
}

export class OAuthClientDto {
  @ApiProperty() clientId!: string;
  @ApiProperty() clientName!: string;
  @ApiProperty({ type: [String] }) redirectUris!: string[];
  @ApiProperty() tokenEndpointAuthMethod!: string;
}

export class CreatedOAuthClientDto extends OAuthClientDto {
  @ApiPropertyOptional({ description: 'Shown once, for confidential clients' }) clientSecret?: string;
}

export class OAuthClientListDto {
  @ApiProperty({ type: [OAuthClientDto] }) clients!: OAuthClientDto[];
}

export class ConsentDto {
  @ApiProperty() grantId!: string;
  @ApiProperty() clientId!: string;
  @ApiProperty({ description: 'The client\'s registered name; for a Client ID Metadata Document (ChatGPT), its host' })
  clientName!: string;
  @ApiProperty({ type: [String] }) scopes!: string[];
  @ApiPropertyOptional({ description: 'When the user first allowed this client (ISO 8601)' })
  grantedAt?: string;
}

export class ConsentListDto {
  @ApiProperty({ type: [ConsentDto] }) consents!: ConsentDto[];
}
