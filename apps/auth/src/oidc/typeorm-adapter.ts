import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { OidcModelRepository } from '@tessera/persistence';

/** oidc-provider's storage interface over PostgreSQL, so every replica can serve every step of a flow. */
export function typeormAdapterFactory(repository: OidcModelRepository, onGrantRevoked: (grantId: string) => void) {
  return class TypeormAdapter implements Adapter {
    constructor(private readonly kind: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      await repository.upsert(this.kind, id, payload as Record<string, unknown>, expiresIn || undefined);
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      return this.toPayload(await repository.find(this.kind, id));
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      return this.toPayload(await repository.findByUserCode(this.kind, userCode));
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      return this.toPayload(await repository.findByUid(this.kind, uid));
    }

    async consume(id: string): Promise<void> {
      await repository.consume(this.kind, id);
    }

    async destroy(id: string): Promise<void> {
      await repository.destroy(this.kind, id);
      if (this.kind === 'Grant') onGrantRevoked(id);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await repository.revokeByGrantId(grantId);
      onGrantRevoked(grantId);
    }

    private toPayload(row: Awaited<ReturnType<OidcModelRepository['find']>>): AdapterPayload | undefined {
      if (!row) return undefined;
      return { ...(row.payload as AdapterPayload), ...(row.consumed_at ? { consumed: Math.floor(row.consumed_at.getTime() / 1000) } : {}) };
    }
  };
}
