import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Small platform-wide facts, such as whether the embedded demo has been seeded. */
@Entity({ name: 'platform_settings' })
export class PlatformSettingEntity {
  @PrimaryColumn({ type: 'text' })
  key!: string;

  @Column({ type: 'jsonb' })
  value!: unknown;
}
