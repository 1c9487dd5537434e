import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The canonical model: alert context fields, indicator provenance, flags and warning-list matches. */
export class CanonicalModel1795854354484 implements MigrationInterface {
  name = 'CanonicalModel1795854354484';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "alerts" ADD "tlp_defaulted" boolean NOT NULL DEFAULT false');
    await queryRunner.query('ALTER TABLE "alerts" ADD "confidence" smallint');
    await queryRunner.query('ALTER TABLE "alerts" ADD "classification_taxonomy" text');
    await queryRunner.query('ALTER TABLE "alerts" ADD "classification_type" text');
    await queryRunner.query('ALTER TABLE "alerts" ADD "sectors" text array NOT NULL DEFAULT \'{}\'');
    await queryRunner.query('ALTER TABLE "alerts" ADD "countries" text array NOT NULL DEFAULT \'{}\'');
    await queryRunner.query('ALTER TABLE "alerts" ADD "first_seen" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query('ALTER TABLE "alerts" ADD "last_seen" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query('ALTER TABLE "alerts" ADD "valid_until" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query('ALTER TABLE "alerts" ADD "references" text array NOT NULL DEFAULT \'{}\'');
    await queryRunner.query('ALTER TABLE "alerts" ADD "unsupported" jsonb NOT NULL DEFAULT \'[]\'');
    await queryRunner.query('ALTER TABLE "alerts" ADD "warning_count" integer NOT NULL DEFAULT \'0\'');
    await queryRunner.query('ALTER TABLE "alerts" ADD "published_at" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query('ALTER TABLE "indicators" ADD "source" text');
    await queryRunner.query('ALTER TABLE "indicators" ADD "comment" text');
    await queryRunner.query('ALTER TABLE "indicators" ADD "actionable" boolean NOT NULL DEFAULT true');
    await queryRunner.query('ALTER TABLE "indicators" ADD "flags" text array NOT NULL DEFAULT \'{}\'');
    await queryRunner.query('ALTER TABLE "indicators" ADD "warning_list" text');
    await queryRunner.query('ALTER TABLE "indicators" ADD "warning_reason" text');
    await queryRunner.query('ALTER TABLE "indicators" ALTER COLUMN "type" DROP NOT NULL');
    await queryRunner.query(
      `ALTER TABLE "alerts" ADD CONSTRAINT "alerts_confidence_check" CHECK ("confidence" BETWEEN 0 AND 100)`,
    );
    await queryRunner.query(
      `ALTER TABLE "alerts" ADD CONSTRAINT "alerts_source_format_check" CHECK ("source_format" IN ('native', 'stix', 'misp', 'csv', 'intelmq'))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "alerts" DROP CONSTRAINT "alerts_source_format_check"`);
    await queryRunner.query(`ALTER TABLE "alerts" DROP CONSTRAINT "alerts_confidence_check"`);
    await queryRunner.query('ALTER TABLE "indicators" ALTER COLUMN "type" SET NOT NULL');
    await queryRunner.query('ALTER TABLE "indicators" DROP COLUMN "warning_reason"');
    await queryRunner.query('ALTER TABLE "indicators" DROP COLUMN "warning_list"');
    await queryRunner.query('ALTER TABLE "indicators" DROP COLUMN "flags"');
    await queryRunner.query('ALTER TABLE "indicators" DROP COLUMN "actionable"');
    await queryRunner.query('ALTER TABLE "indicators" DROP COLUMN "comment"');
    await queryRunner.query('ALTER TABLE "indicators" DROP COLUMN "source"');
    await queryRunner.query('ALTER TABLE "alerts" DROP COLUMN "published_at"');
    await queryRunner.query('ALTER TABLE "alerts" DROP COLUMN "warning_count"');
    await queryRunner.query('ALTER TABLE "alerts" DROP COLUMN "unsupported"');
    await queryRunner.query('ALTER TABLE "alerts" DROP COLUMN "references"');
    await queryRunner.query('ALTER TABLE "alerts" DROP COLUMN "valid_until"');
    await queryRunner.query('ALTER TABLE "alerts" DROP COLUMN "last_seen"');
    await queryRunner.query('ALTER TABLE "alerts" DROP COLUMN "first_seen"');
    await queryRunner.query('ALTER TABLE "alerts" DROP COLUMN "countries"');
    await queryRunner.query('ALTER TABLE "alerts" DROP COLUMN "sectors"');
    await queryRunner.query('ALTER TABLE "alerts" DROP COLUMN "classification_type"');
    await queryRunner.query('ALTER TABLE "alerts" DROP COLUMN "classification_taxonomy"');
    await queryRunner.query('ALTER TABLE "alerts" DROP COLUMN "confidence"');
    await queryRunner.query('ALTER TABLE "alerts" DROP COLUMN "tlp_defaulted"');
  }
}
