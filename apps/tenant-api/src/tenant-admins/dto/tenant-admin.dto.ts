import { ApiProperty } from '@nestjs/swagger';
import type { TenantAdminRow } from '@tessera/persistence';

export class TenantAdminDto {
  @ApiProperty({ example: 'ada@acme.example' }) email!: string;
  @ApiProperty() createdAt!: string;
}

export class TenantAdminListDto {
  @ApiProperty({ type: [TenantAdminDto] }) admins!: TenantAdminDto[];
}

export function toTenantAdminDto(row: TenantAdminRow): TenantAdminDto {
  return { email: row.email, createdAt: row.createdAt.toISOString() };
}
