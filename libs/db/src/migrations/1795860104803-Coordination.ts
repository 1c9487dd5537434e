import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Correlation and coordinated alerts: an index for looking up canonical values, links between alerts of different
 * organisations, coordinated alerts and their reports, and publish-log entries for coordinated alerts.
 */
export class Coordination1795860104803 implements MigrationInterface {
  name = 'Coordination1795860104803';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "alert_links" ("alert_id" uuid NOT NULL, "linked_alert_id" uuid NOT NULL, "shared_count" integer NOT NULL, "shared_keys" text array NOT NULL, "counted" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_8c8f4bd6f66df2d3e09021b0c8b" PRIMARY KEY ("alert_id", "linked_alert_id"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_68b378081a3d7523fe7c5e83ed" ON "alert_links" ("linked_alert_id") ');
    await queryRunner.query(
      'CREATE TABLE "coordinated_alerts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "status" text NOT NULL, "version" integer NOT NULL, "first_report" TIMESTAMP WITH TIME ZONE NOT NULL, "last_report" TIMESTAMP WITH TIME ZONE NOT NULL, "snapshot" jsonb NOT NULL, "close_reason" text, "closed_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "coordinated_alerts_status_check" CHECK ("status" IN (\'active\', \'closed\')), CONSTRAINT "PK_9c6ba345210f4cc6e2bf8080e39" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_d39356c45144bf1a3aad34107f" ON "coordinated_alerts" ("last_report", "id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "coordinated_alert_parts" ("coordinated_alert_id" uuid NOT NULL, "alert_id" uuid NOT NULL, "joined_version" integer NOT NULL, "left_version" integer, "joined_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_9c42c6d535dfe2cf1764ee493a8" PRIMARY KEY ("coordinated_alert_id", "alert_id"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_31ab64d38a678e8a54d78ce86c" ON "coordinated_alert_parts" ("alert_id") ');
    await queryRunner.query('ALTER TABLE "alerts" ADD "correlated_at" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query('ALTER TABLE "publish_log" ADD "coordinated_alert_id" uuid');
    await queryRunner.query('CREATE INDEX "IDX_625e93ef58bfa5974422ca97c2" ON "publish_log" ("coordinated_alert_id") ');
    await queryRunner.query(
      'ALTER TABLE "alert_links" ADD CONSTRAINT "alert_links_alert_fk" FOREIGN KEY ("alert_id") REFERENCES "alerts"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "alert_links" ADD CONSTRAINT "alert_links_linked_alert_fk" FOREIGN KEY ("linked_alert_id") REFERENCES "alerts"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "coordinated_alert_parts" ADD CONSTRAINT "coordinated_parts_coordinated_fk" FOREIGN KEY ("coordinated_alert_id") REFERENCES "coordinated_alerts"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "coordinated_alert_parts" ADD CONSTRAINT "coordinated_parts_alert_fk" FOREIGN KEY ("alert_id") REFERENCES "alerts"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    // The reconciler looks for published alerts whose correlation job was lost.
    await queryRunner.query(
      'CREATE INDEX "alerts_uncorrelated_idx" ON "alerts" ("updated_at") WHERE "status" = \'published\' AND "correlated_at" IS NULL',
    );
    // Alerts published before this migration were never linked: they take no part in correlation.
    await queryRunner.query('UPDATE "alerts" SET "correlated_at" = now() WHERE "status" = \'published\'');
    // Accepted, not warning-listed values only (the rest never correlate); alert_id included for index-only scans.
    await queryRunner.query(
      'CREATE INDEX "indicators_correlation_idx" ON "indicators" ("type", "canonical_value") INCLUDE ("alert_id") WHERE "canonical_value" IS NOT NULL AND "warning_list" IS NULL',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."indicators_correlation_idx"');
    await queryRunner.query('DROP INDEX "public"."alerts_uncorrelated_idx"');
    await queryRunner.query('ALTER TABLE "coordinated_alert_parts" DROP CONSTRAINT "coordinated_parts_alert_fk"');
    await queryRunner.query('ALTER TABLE "coordinated_alert_parts" DROP CONSTRAINT "coordinated_parts_coordinated_fk"');
    await queryRunner.query('ALTER TABLE "alert_links" DROP CONSTRAINT "alert_links_linked_alert_fk"');
    await queryRunner.query('ALTER TABLE "alert_links" DROP CONSTRAINT "alert_links_alert_fk"');
    await queryRunner.query('DROP INDEX "public"."IDX_625e93ef58bfa5974422ca97c2"');
    await queryRunner.query('ALTER TABLE "publish_log" DROP COLUMN "coordinated_alert_id"');
    await queryRunner.query('ALTER TABLE "alerts" DROP COLUMN "correlated_at"');
    await queryRunner.query('DROP INDEX "public"."IDX_31ab64d38a678e8a54d78ce86c"');
    await queryRunner.query('DROP TABLE "coordinated_alert_parts"');
    await queryRunner.query('DROP INDEX "public"."IDX_d39356c45144bf1a3aad34107f"');
    await queryRunner.query('DROP TABLE "coordinated_alerts"');
    await queryRunner.query('DROP INDEX "public"."IDX_68b378081a3d7523fe7c5e83ed"');
    await queryRunner.query('DROP TABLE "alert_links"');
  }
}
