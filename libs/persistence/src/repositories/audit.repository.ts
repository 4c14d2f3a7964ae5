import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditEventEntity } from '../entities';

export type AuditEventInput = Omit<AuditEventEntity, 'id' | 'occurredAt'>;

@Injectable()
export class AuditRepository {
  constructor(private readonly dataSource: DataSource) {}

  async append(event: AuditEventInput): Promise<void> {
    await this.dataSource.getRepository(AuditEventEntity).save(this.dataSource.getRepository(AuditEventEntity).create(event));
  }

  async appendMany(events: AuditEventInput[]): Promise<void> {
    if (events.length === 0) return;
    const repo = this.dataSource.getRepository(AuditEventEntity);
    await repo.save(events.map((e) => repo.create(e)), { chunk: 500 });
  }

  listForTenant(tenantId: string, limit = 100): Promise<AuditEventEntity[]> {
    return this.dataSource
      .getRepository(AuditEventEntity)
      .find({ where: { tenantId }, order: { occurredAt: 'DESC', id: 'DESC' }, take: limit });
  }
}
