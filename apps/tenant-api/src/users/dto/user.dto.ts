import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsEmail, IsString, Length, Matches } from 'class-validator';
import type { WorkspaceUser } from '@tessera/persistence';
import { Optional } from '../../common-dto';

export const GROUP_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,127}$/;

export class CreateUserDto {
  @ApiProperty({ example: 'ana@acme.example' })
  @IsEmail({}, { message: 'must be an email address' })
  @Length(3, 320)
  email!: string;

  @ApiProperty({ example: 'Ana Costa' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({ description: 'For local sign-in; at least 12 characters. Omit for IdP-only users.' })
  @Optional()
  @IsString()
  @Length(12, 256, { message: 'must be 12–256 characters' })
  password?: string;

  @ApiPropertyOptional({ type: [String], example: ['people-ops'] })
  @Optional()
  @IsArray()
  @ArrayMaxSize(200)
  @Matches(GROUP_PATTERN, { each: true, message: 'each group must be 1–128 letters, digits or . _ : @ / -' })
  groups?: string[];
}

export class UserDto {
  @ApiProperty() id!: string;
  @ApiProperty() email!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: [String] }) groups!: string[];
  @ApiProperty({ description: 'Whether the user can sign in with a password' }) hasPassword!: boolean;
}

export class UserListDto {
  @ApiProperty({ type: [UserDto] }) users!: UserDto[];
}

export function toUserDto(member: WorkspaceUser): UserDto {
  return {
    id: member.user.id,
    email: member.user.email,
    name: member.user.name,
    groups: member.groups,
    hasPassword: member.user.passwordHash !== null,
  };
}
