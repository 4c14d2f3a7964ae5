import { AccessTokenEntity } from './access-token.entity';
import { AuditEventEntity } from './audit-event.entity';
import { PlatformSettingEntity } from './platform-setting.entity';
import { PostingBlockEntity } from './posting-block.entity';
import { WorkspaceSearchStatsEntity } from './search-stats.entity';
import { TenantEntity } from './tenant.entity';
import { UserEntity } from './user.entity';
import { WorkspaceMemberEntity } from './workspace-member.entity';
import { WorkspaceEntity } from './workspace.entity';

export {
  AccessTokenEntity,
  AuditEventEntity,
  PlatformSettingEntity,
  PostingBlockEntity,
  WorkspaceSearchStatsEntity,
  TenantEntity,
  UserEntity,
  WorkspaceMemberEntity,
  WorkspaceEntity,
};

export const ENTITIES = [
  TenantEntity,
  WorkspaceEntity,
  PostingBlockEntity,
  WorkspaceSearchStatsEntity,
  UserEntity,
  WorkspaceMemberEntity,
  AccessTokenEntity,
  AuditEventEntity,
  PlatformSettingEntity,
];
