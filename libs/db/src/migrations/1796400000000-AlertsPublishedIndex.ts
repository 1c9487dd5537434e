import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A partial index on alerts.published_at for published alerts: GET /api/v1/stats counts the last 24 hours' published
 * alerts, so it reads that window by index instead of scanning every alert.
 */
export class AlertsPublishedIndex1796400000000 implements MigrationInterface {
  name = 'AlertsPublishedIndex1796400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "alerts_published_at_idx" ON "alerts" ("published_at") WHERE "status" = 'published'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."alerts_published_at_idx"');
  }
}
