import { ApiProperty } from '@nestjs/swagger';
import type { TenantEntity } from '@tessera/persistence';
import { SlugAndNameDto } from '../../common-dto';

export class CreateTenantDto extends SlugAndNameDto {}

export class TenantDto {
  @ApiProperty() id!: string;
  @ApiProperty() slug!: string;
  @ApiProperty() name!: string;
  @ApiProperty() createdAt!: string;
}

export class CreatedTenantDto extends TenantDto {
  @ApiProperty({ description: 'The tenant API key. Shown once; store it now.' })
  apiKey!: string;
}

export function toTenantDto(tenant: TenantEntity): TenantDto {
  return { id: tenant.id, slug: tenant.slug, name: tenant.name, createdAt: tenant.createdAt.toISOString() };
}
