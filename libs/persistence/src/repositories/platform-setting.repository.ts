import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PlatformSettingEntity } from '../entities';

@Injectable()
export class PlatformSettingRepository {
  constructor(private readonly dataSource: DataSource) {}

  async get<T>(key: string): Promise<T | undefined> {
    const row = await this.dataSource.getRepository(PlatformSettingEntity).findOneBy({ key });
    return row?.value as T | undefined;
  }

  /** Sets the key only if it is unset; returns whether this call set it. */
  async setOnce(key: string, value: unknown): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO platform_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING RETURNING key`,
      [key, JSON.stringify(value)],
    );
    return rows.length > 0;
  }
}
