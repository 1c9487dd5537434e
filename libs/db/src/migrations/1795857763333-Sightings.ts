import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Recipients' sightings and false-positive reports, counted on the alert. */
export class Sightings1795857763333 implements MigrationInterface {
  name = 'Sightings1795857763333';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "sightings" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "alert_id" uuid NOT NULL, "org_id" uuid NOT NULL, "key_id" uuid NOT NULL, "type" text NOT NULL, "indicator_position" integer NOT NULL DEFAULT \'-1\', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "sightings_type_check" CHECK ("type" IN (\'sighting\', \'false-positive\')), CONSTRAINT "PK_bd31845d3086f8bfdfecd5037ca" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_7225d442c6b6a5babd8c82a634" ON "sightings" ("alert_id") ');
    await queryRunner.query('ALTER TABLE "alerts" ADD "sighting_count" integer NOT NULL DEFAULT \'0\'');
    await queryRunner.query('ALTER TABLE "alerts" ADD "false_positive_count" integer NOT NULL DEFAULT \'0\'');
    await queryRunner.query(
      'CREATE UNIQUE INDEX "sightings_once_key" ON "sightings" ("alert_id", "org_id", "type", "indicator_position")',
    );
    await queryRunner.query(`ALTER TABLE "sightings" ADD CONSTRAINT "sightings_alert_fk"
      FOREIGN KEY ("alert_id") REFERENCES "alerts"("id") ON DELETE CASCADE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "sightings_once_key"');
    await queryRunner.query('ALTER TABLE "alerts" DROP COLUMN "false_positive_count"');
    await queryRunner.query('ALTER TABLE "alerts" DROP COLUMN "sighting_count"');
    await queryRunner.query('DROP INDEX "public"."IDX_7225d442c6b6a5babd8c82a634"');
    await queryRunner.query('DROP TABLE "sightings"');
  }
}
