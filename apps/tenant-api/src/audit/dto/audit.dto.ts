import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsInt, IsString, Length, Matches, Max, Min } from 'class-validator';
import { SLUG_PATTERN } from '@tessera/domain';
import type { AuditEventEntity } from '@tessera/persistence';
import { Optional } from '../../common-dto';

export class AuditQueryDto {
  @ApiPropertyOptional({ description: 'Workspace slug' })
  @Optional()
  @Matches(SLUG_PATTERN, { message: 'must be a workspace slug' })
  workspace?: string;

  @ApiPropertyOptional({ example: 'tool.search', description: 'An action, or a family such as "tool" or "oauth"' })
  @Optional()
  @IsString()
  @Matches(/^[a-z_]+(\.[a-z_]+)?$/, { message: 'must be an action such as tool.search, or a family such as tool' })
  action?: string;

  @ApiPropertyOptional({ example: 'blocked' })
  @Optional()
  @IsString()
  @Length(1, 32)
  outcome?: string;

  @ApiPropertyOptional({ description: 'Who acted: a subject, user id or token actor' })
  @Optional()
  @IsString()
  @Length(1, 320)
  actor?: string;

  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @Optional()
  @Type(() => Date)
  @IsDate({ message: 'must be an ISO 8601 date-time' })
  since?: Date;

  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @Optional()
  @Type(() => Date)
  @IsDate({ message: 'must be an ISO 8601 date-time' })
  until?: Date;

  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 500 })
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor from the previous page' })
  @Optional()
  // Event ids are bigints: 18 digits stay below its maximum, so a cursor never overflows the comparison.
  @Matches(/^\d{1,18}$/, { message: 'must be a cursor returned by a previous page' })
  cursor?: string;

}

export class AuditEventDto {
  @ApiProperty() id!: string;
  @ApiProperty() occurredAt!: string;
  @ApiProperty({ nullable: true, type: String }) workspaceId!: string | null;
  @ApiProperty() actorKind!: string;
  @ApiProperty() actorId!: string;
  @ApiProperty() action!: string;
  @ApiProperty() outcome!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Never holds secrets or raw queries (queries appear as queryHash and queryLength)' })
  details!: Record<string, unknown>;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditEventDto] }) events!: AuditEventDto[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as cursor for the next (older) page' }) nextCursor!: string | null;
}

export function toAuditEventDto(event: AuditEventEntity): AuditEventDto {
  return {
    id: String(event.id),
    occurredAt: event.occurredAt.toISOString(),
    workspaceId: event.workspaceId,
    actorKind: event.actorKind,
    actorId: event.actorId,
    action: event.action,
    outcome: event.outcome,
    details: event.details,
  };
}
