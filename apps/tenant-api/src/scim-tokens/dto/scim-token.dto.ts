import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import type { ScimTokenRecord } from '@tessera/persistence';
import { Optional } from '../../common-dto';

export class CreateScimTokenDto {
  @ApiPropertyOptional({ example: 'Okta', description: 'What the token is for (shown in lists)' })
  @Optional()
  @IsString()
  @Length(0, 200)
  label?: string;
}

export class ScimTokenDto {
  @ApiProperty() id!: string;
  @ApiProperty() label!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true, type: String }) revokedAt!: string | null;
}

export class CreatedScimTokenDto extends ScimTokenDto {
  @ApiProperty({ description: 'The bearer token for the IdP. Shown once; store it now.' })
  token!: string;

  @ApiProperty({ example: 'https://tessera.example.com/scim/v2/acme', description: "The SCIM base URL to give the IdP" })
  scimUrl!: string;
}

export class ScimTokenListDto {
  @ApiProperty({ type: [ScimTokenDto] }) scimTokens!: ScimTokenDto[];
}

export function toScimTokenDto(token: ScimTokenRecord): ScimTokenDto {
  return { id: token.id, label: token.label, createdAt: new Date(token.createdAt).toISOString(), revokedAt: token.revokedAt ? new Date(token.revokedAt).toISOString() : null };
}
