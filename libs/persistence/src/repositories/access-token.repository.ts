import { Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { AccessTokenEntity } from '../entities';

@Injectable()
export class AccessTokenRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get repo() {
    return this.dataSource.getRepository(AccessTokenEntity);
  }

  create(input: Omit<AccessTokenEntity, 'id' | 'createdAt' | 'revokedAt'>): Promise<AccessTokenEntity> {
    return this.repo.save(this.repo.create({ ...input, revokedAt: null }));
  }

  /** The token with this hash if it is neither revoked nor expired. */
  async findActiveByHash(tokenHash: string, now = new Date()): Promise<AccessTokenEntity | null> {
    const token = await this.repo.findOneBy({ tokenHash, revokedAt: IsNull() });
    if (!token) return null;
    if (token.expiresAt && token.expiresAt.getTime() <= now.getTime()) return null;
    return token;
  }

  listByWorkspace(workspaceId: string): Promise<AccessTokenEntity[]> {
    return this.repo.find({ where: { workspaceId }, order: { createdAt: 'DESC' } });
  }

  /** Returns the revoked token's hash, or null when no active token has that id in the workspace. */
  async revoke(workspaceId: string, id: string): Promise<string | null> {
    const token = await this.repo.findOneBy({ id, workspaceId, revokedAt: IsNull() });
    if (!token) return null;
    await this.repo.update({ id, workspaceId }, { revokedAt: new Date() });
    return token.tokenHash;
  }
}
