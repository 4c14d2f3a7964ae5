import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsString, Length, Max, Min, Validate, ValidateNested, ValidatorConstraint, ValidatorConstraintInterface } from 'class-validator';
import { Type } from 'class-transformer';
import { ClientPolicy, DEFAULT_CLIENT_POLICY, DEFAULT_FLAGGED_DOCUMENT_POLICY, FlaggedDocumentPolicy, DEFAULT_WORKSPACE_SETTINGS, isValidRedirectPattern, MAX_QUERY_CHARS_LIMIT, MAX_SEARCH_RESULT_LIMIT, QueryGuardPolicy, queryGuardPolicy, rateLimitsOf, WorkspaceRateLimits, QueryLogPolicy, queryLogPolicy } from '@tessera/domain';
import type { WorkspaceEntity } from '@tessera/persistence';
import { Optional } from '../../common-dto';

@ValidatorConstraint({ name: 'redirectPattern' })
class RedirectPatternsConstraint implements ValidatorConstraintInterface {
  validate(values: unknown): boolean {
    return Array.isArray(values) && values.every((v) => typeof v === 'string' && v.length <= 512 && isValidRedirectPattern(v));
  }
  defaultMessage(): string {
    return 'each redirect URI must be an https URL (or loopback http), without fragment, optionally ending in /* for one path segment';
  }
}

export class ClientPolicyDto {
  @ApiPropertyOptional({ type: [String], example: ['https://chatgpt.com/connector_platform_oauth_redirect', 'https://chatgpt.com/connector/oauth/*'] })
  @Optional()
  @IsArray()
  @ArrayMaxSize(50)
  @Validate(RedirectPatternsConstraint)
  redirectUris?: string[];

  @ApiPropertyOptional({ description: 'RFC 8252 loopback redirects for local clients' })
  @Optional()
  @IsBoolean()
  allowLoopbackRedirects?: boolean;

  @ApiPropertyOptional({ description: 'Clients registered through Dynamic Client Registration (RFC 7591)' })
  @Optional()
  @IsBoolean()
  allowDynamicRegistration?: boolean;

  @ApiPropertyOptional({ description: 'Clients identified by a Client ID Metadata Document URL (ChatGPT)' })
  @Optional()
  @IsBoolean()
  allowMetadataDocuments?: boolean;
}

export class QueryGuardDto {
  @ApiPropertyOptional({ enum: ['block', 'strip', 'allow'], description: 'What search does with queries that look like smuggled data (default block)' })
  @Optional()
  @IsIn(['block', 'strip', 'allow'])
  mode?: 'block' | 'strip' | 'allow';

  @ApiPropertyOptional({ minimum: 64, maximum: MAX_QUERY_CHARS_LIMIT, description: 'Hard cap on query length (default 4096)' })
  @Optional()
  @IsInt()
  @Min(64)
  @Max(MAX_QUERY_CHARS_LIMIT)
  maxQueryChars?: number;
}

export class RateLimitsDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 1_000_000, description: 'Requests per minute at the connector, all callers (default 6000)' })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  workspacePerMinute?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 1_000_000, description: 'Per token or OAuth grant (default 600)' })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  principalPerMinute?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 1_000_000, description: 'Per OAuth client, all its users (default 3000)' })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  clientPerMinute?: number;
}

export class QueryLogDto {
  @ApiPropertyOptional({ description: 'Keep raw search queries in the audit log (default false: only a keyed hash and the length)' })
  @Optional()
  @IsBoolean()
  store?: boolean;

  @ApiPropertyOptional({ minimum: 1, maximum: 90, description: 'Days before stored queries are removed (default 7)' })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(90)
  retentionDays?: number;
}

export class MembershipDto {
  @ApiPropertyOptional({ type: [String], example: ['Engineering'], description: 'Members of these SCIM groups (display names) are members of the workspace; [] for none' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Length(1, 256, { each: true })
  scimGroups?: string[];
}

export class UpdateWorkspaceDto {
  @ApiPropertyOptional()
  @Optional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_SEARCH_RESULT_LIMIT, description: 'Results per search (default 10)' })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(MAX_SEARCH_RESULT_LIMIT)
  searchResultLimit?: number;

  @ApiPropertyOptional({ type: ClientPolicyDto })
  @Optional()
  @ValidateNested()
  @Type(() => ClientPolicyDto)
  clientPolicy?: ClientPolicyDto;

  @ApiPropertyOptional({ enum: ['serve', 'annotate', 'quarantine'], description: 'Documents with instruction-like text: serve as is, serve with metadata.flags (default), or hold back for review' })
  @Optional()
  @IsIn(['serve', 'annotate', 'quarantine'])
  flaggedDocuments?: 'serve' | 'annotate' | 'quarantine';

  @ApiPropertyOptional({ type: QueryGuardDto })
  @Optional()
  @ValidateNested()
  @Type(() => QueryGuardDto)
  queryGuard?: QueryGuardDto;

  @ApiPropertyOptional({ type: QueryLogDto })
  @Optional()
  @ValidateNested()
  @Type(() => QueryLogDto)
  queryLog?: QueryLogDto;

  @ApiPropertyOptional({ type: RateLimitsDto })
  @Optional()
  @ValidateNested()
  @Type(() => RateLimitsDto)
  rateLimits?: RateLimitsDto;

  @ApiPropertyOptional({ type: MembershipDto, description: 'Who is a member by rule, besides users added one by one' })
  @Optional()
  @ValidateNested()
  @Type(() => MembershipDto)
  membership?: MembershipDto;
}

export class WorkspaceSettingsDto {
  @ApiProperty() searchResultLimit!: number;
  @ApiProperty({ type: ClientPolicyDto }) clientPolicy!: ClientPolicy;
  @ApiProperty({ type: QueryGuardDto }) queryGuard!: QueryGuardPolicy;
  @ApiProperty({ enum: ['serve', 'annotate', 'quarantine'] }) flaggedDocuments!: FlaggedDocumentPolicy;
  @ApiProperty({ type: RateLimitsDto }) rateLimits!: WorkspaceRateLimits;
  @ApiProperty({ type: QueryLogDto }) queryLog!: QueryLogPolicy;
  @ApiProperty({ type: MembershipDto }) membership!: { scimGroups: string[] };
}

export function effectiveSettings(workspace: WorkspaceEntity): WorkspaceSettingsDto {
  const settings = { ...DEFAULT_WORKSPACE_SETTINGS, ...workspace.settings };
  return {
    searchResultLimit: settings.searchResultLimit,
    clientPolicy: { ...DEFAULT_CLIENT_POLICY, redirectUris: [...DEFAULT_CLIENT_POLICY.redirectUris], ...(settings.clientPolicy ?? {}) },
    queryGuard: queryGuardPolicy(settings),
    flaggedDocuments: settings.flaggedDocuments ?? DEFAULT_FLAGGED_DOCUMENT_POLICY,
    rateLimits: rateLimitsOf(settings),
    queryLog: queryLogPolicy(settings),
    membership: { scimGroups: [...(settings.membership?.scimGroups ?? [])] },
  };
}
