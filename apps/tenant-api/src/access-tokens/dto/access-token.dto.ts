import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsString, Length, Matches, Max, Min } from 'class-validator';
import { TOOL_SCOPES } from '@tessera/domain';
import type { AccessTokenEntity } from '@tessera/persistence';
import { GROUP_PATTERN } from '../../users/dto/user.dto';
import { Optional } from '../../common-dto';

export class CreateAccessTokenDto {
  @ApiProperty({ example: 'ana@acme.example', description: 'Who the token acts as; matched against document ACL users' })
  @IsString()
  @Length(1, 320)
  @Matches(/^\S(.*\S)?$/s, { message: 'must not be blank or start or end with spaces' })
  subject!: string;

  @ApiPropertyOptional({ type: [String], example: ['people-ops'] })
  @Optional()
  @IsArray()
  @ArrayMaxSize(200)
  @Matches(GROUP_PATTERN, { each: true, message: 'each group must be 1–128 letters, digits or . _ : @ / -' })
  groups?: string[];

  @ApiPropertyOptional({ example: 90, description: '1–3650 days; omit for a token that does not expire' })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(3650)
  expiresInDays?: number;

  @ApiPropertyOptional({ type: [String], enum: TOOL_SCOPES, description: 'Default: all tools' })
  @Optional()
  @IsArray()
  @ArrayMinSize(1, { message: 'must name at least one scope (omit it for all tools)' })
  @IsIn(TOOL_SCOPES, { each: true })
  scopes?: string[];
}

export class AccessTokenDto {
  @ApiProperty() id!: string;
  @ApiProperty() subject!: string;
  @ApiProperty({ type: [String] }) groups!: string[];
  @ApiProperty({ type: [String] }) scopes!: string[];
  @ApiProperty({ nullable: true, type: String }) expiresAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) revokedAt!: string | null;
  @ApiProperty() createdAt!: string;
}

export class CreatedAccessTokenDto extends AccessTokenDto {
  @ApiProperty({ description: 'The bearer token. Shown once; store it now.' })
  token!: string;
}

export class AccessTokenListDto {
  @ApiProperty({ type: [AccessTokenDto] }) accessTokens!: AccessTokenDto[];
}

export function toAccessTokenDto(token: AccessTokenEntity): AccessTokenDto {
  return {
    id: token.id,
    subject: token.subject,
    groups: token.groups,
    scopes: token.scopes,
    expiresAt: token.expiresAt?.toISOString() ?? null,
    revokedAt: token.revokedAt?.toISOString() ?? null,
    createdAt: token.createdAt.toISOString(),
  };
}
