import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import { OPTIONAL_DOCUMENT_FIELD_NAMES, OPTIONAL_DOCUMENT_FIELDS, optionalFieldsOf, type DocumentSummary, type OptionalDocumentFields, type StoredDocument } from '@tessera/domain';
import { Optional } from '../../common-dto';

/** For the OpenAPI document only; bodies are validated by validateDocumentInput (shared with NDJSON lines). */
export class DocumentAclDto {
  @ApiPropertyOptional({ type: [String], description: 'User emails or subjects that may read the document' })
  users?: string[];
  @ApiPropertyOptional({ type: [String], description: 'Groups whose members may read the document' })
  groups?: string[];
}

export class PutDocumentDto {
  @ApiPropertyOptional({ description: 'Required with text; derived from <title> or the first heading with html' })
  title?: string;
  @ApiPropertyOptional({ description: 'Plain text or Markdown (exactly one of text and html)' })
  text?: string;
  @ApiPropertyOptional({ description: 'HTML; converted to its visible text and sanitized' })
  html?: string;
  @ApiPropertyOptional({ description: 'Where a reader can open the original' })
  url?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  metadata?: Record<string, unknown>;
  @ApiPropertyOptional({ type: DocumentAclDto, description: 'Empty or absent: everyone in the workspace' })
  acl?: DocumentAclDto;
  // The optional fields (lastModified, …) are added to the schema below, from OPTIONAL_DOCUMENT_FIELDS.
}

export class DocumentDto {
  @ApiProperty() id!: string;
  @ApiProperty() title!: string;
  @ApiProperty() text!: string;
  @ApiProperty({ nullable: true, type: String }) url!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) metadata!: Record<string, unknown>;
  @ApiProperty({ type: DocumentAclDto }) acl!: DocumentAclDto;
  @ApiProperty() contentHash!: string;
  @ApiProperty() updatedAt!: string;
  @ApiProperty({ type: [String] }) flags!: string[];
  @ApiProperty() quarantined!: boolean;
  // And the optional fields, null when not given (toDocumentDto; schema below).
}

// The OpenAPI schema of the optional fields, from their one definition.
for (const name of OPTIONAL_DOCUMENT_FIELD_NAMES) {
  const { description, example } = OPTIONAL_DOCUMENT_FIELDS[name];
  ApiPropertyOptional({ type: String, description, example })(PutDocumentDto.prototype, name);
  ApiProperty({ type: String, nullable: true, description, example })(DocumentDto.prototype, name);
}

export class QuarantineListDto {
  @ApiProperty({ type: [DocumentDto] }) documents!: DocumentDto[];
}

export class UpsertResultDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['created', 'updated', 'unchanged'] }) status!: string;
  @ApiPropertyOptional({ type: [String], description: 'Instruction-like text found at ingestion' }) flags?: string[];
  @ApiPropertyOptional({ description: 'Held back from search and fetch until released' }) quarantined?: boolean;
}

export class BulkLineResultDto {
  @ApiProperty({ description: '1-based line number in the request body' }) line!: number;
  @ApiPropertyOptional() id?: string;
  @ApiProperty({ enum: ['created', 'updated', 'unchanged', 'deleted', 'failed'], description: 'deleted: a tombstone line ({"id", "deleted": true}) removed the document' }) status!: string;
  @ApiPropertyOptional({ type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } } })
  error?: { code: string; message: string };
  @ApiPropertyOptional({ type: [String] }) flags?: string[];
  @ApiPropertyOptional() quarantined?: boolean;
}

export class BulkSummaryDto {
  @ApiProperty() received!: number;
  @ApiProperty() created!: number;
  @ApiProperty() updated!: number;
  @ApiProperty() unchanged!: number;
  @ApiProperty() deleted!: number;
  @ApiProperty() failed!: number;
}

export class BulkResultDto {
  @ApiProperty({ type: BulkSummaryDto }) summary!: BulkSummaryDto;
  @ApiProperty({ type: [BulkLineResultDto] }) results!: BulkLineResultDto[];
  /** Internal: every line failed because the search backend is unavailable (answered as 503). */
  unavailable?: true;
}

export function toDocumentDto(document: StoredDocument): DocumentDto & OptionalDocumentFields {
  return {
    id: document.id,
    title: document.title,
    text: document.text,
    url: document.url,
    metadata: document.metadata,
    acl: { users: [...document.acl.users], groups: [...document.acl.groups] },
    contentHash: document.contentHash,
    updatedAt: new Date(document.updatedAt).toISOString(),
    flags: [...document.flags],
    quarantined: document.quarantined,
    ...optionalFieldsOf(document),
  };
}

export const DOCUMENT_LIST_LIMITS = { defaultLimit: 50, maxLimit: 200, maxFilterChars: 200 } as const;

export class DocumentListQueryDto {
  @ApiPropertyOptional({
    maxLength: DOCUMENT_LIST_LIMITS.maxFilterChars,
    description: 'Only documents whose id or title contains this text, case-insensitively (a substring; no pattern syntax)',
  })
  @Optional()
  @IsString()
  @MaxLength(DOCUMENT_LIST_LIMITS.maxFilterChars)
  q?: string;

  @ApiPropertyOptional({ default: DOCUMENT_LIST_LIMITS.defaultLimit, minimum: 1, maximum: DOCUMENT_LIST_LIMITS.maxLimit })
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(DOCUMENT_LIST_LIMITS.maxLimit)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor from the previous page (opaque)' })
  @Optional()
  @IsString()
  cursor?: string;
}

export class DocumentSummaryDto {
  @ApiProperty() id!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ nullable: true, type: String }) url!: string | null;
  @ApiProperty({ description: 'Length of the stored text in characters (Unicode code points)' }) size!: number;
  @ApiProperty() updatedAt!: string;
  @ApiProperty({ type: [String], description: 'Instruction-like text found at ingestion' }) flags!: string[];
  @ApiProperty({ description: 'Held back from search and fetch until released' }) quarantined!: boolean;
  // And the optional fields, null when not given (schema below).
}

export class DocumentListDto {
  @ApiProperty({ type: [DocumentSummaryDto], description: 'In id order (by code point)' }) documents!: DocumentSummaryDto[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as cursor for the next page; null on the last' }) nextCursor!: string | null;
}

for (const name of OPTIONAL_DOCUMENT_FIELD_NAMES) {
  const { description, example } = OPTIONAL_DOCUMENT_FIELDS[name];
  ApiProperty({ type: String, nullable: true, description, example })(DocumentSummaryDto.prototype, name);
}

export function toDocumentSummaryDto(document: DocumentSummary): DocumentSummaryDto & OptionalDocumentFields {
  return {
    id: document.id,
    title: document.title,
    url: document.url,
    size: document.size,
    updatedAt: document.updatedAt.toISOString(),
    flags: [...document.flags],
    quarantined: document.quarantined,
    ...optionalFieldsOf(document),
  };
}
