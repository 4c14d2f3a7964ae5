import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches, ValidateIf } from 'class-validator';
import { SLUG_PATTERN, SLUG_RULE } from '@tessera/domain';

export class SlugAndNameDto {
  @ApiProperty({ example: 'acme', pattern: SLUG_PATTERN.source })
  @IsString()
  @Matches(SLUG_PATTERN, { message: `must be ${SLUG_RULE}` })
  slug!: string;

  @ApiProperty({ example: 'Acme Corp' })
  @IsString()
  @Length(1, 200)
  name!: string;
}

export class ErrorDto {
  @ApiProperty({ example: 'validation_failed' })
  code!: string;

  @ApiProperty({ example: 'slug: must be lowercase letters, digits and inner hyphens' })
  message!: string;
}

/**
 * The field may be left out; when it is sent, `null` included, it must pass the field's other rules.
 * (class-validator's IsOptional lets `null` through unchecked, which a PATCH would then store.)
 */
export function Optional(): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined);
}
