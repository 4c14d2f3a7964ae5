import { Injectable } from '@nestjs/common';
import { DataSource, QueryFailedError } from 'typeorm';
import { TenantEntity } from '../entities';

@Injectable()
export class TenantRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get repo() {
    return this.dataSource.getRepository(TenantEntity);
  }

  /** Returns null when the slug is taken. */
  async create(input: { slug: string; name: string; apiKeyHash: string }): Promise<TenantEntity | null> {
    try {
      return await this.repo.save(this.repo.create(input));
    } catch (error) {
      if (isUniqueViolation(error)) return null;
      throw error;
    }
  }

  findBySlug(slug: string): Promise<TenantEntity | null> {
    return this.repo.findOneBy({ slug });
  }

  findById(id: string): Promise<TenantEntity | null> {
    return this.repo.findOneBy({ id });
  }

  findByApiKeyHash(apiKeyHash: string): Promise<TenantEntity | null> {
    return this.repo.findOneBy({ apiKeyHash });
  }

  async count(): Promise<number> {
    return this.repo.count();
  }
}

export function isUniqueViolation(error: unknown): boolean {
  return error instanceof QueryFailedError && (error.driverError as { code?: string })?.code === '23505';
}
