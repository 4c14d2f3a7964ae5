import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';
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
