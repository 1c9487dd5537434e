import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Submitter anonymity: an alert says whether recipients are told which org sent it. Existing alerts stay named. */
export class Attribution1796360074619 implements MigrationInterface {
  name = 'Attribution1796360074619';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "alerts" ADD "attribution" text NOT NULL DEFAULT \'named\'');
    await queryRunner.query(
      `ALTER TABLE "alerts" ADD CONSTRAINT "alerts_attribution_check" CHECK ("attribution" IN ('named', 'anonymous'))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "alerts" DROP CONSTRAINT "alerts_attribution_check"');
    await queryRunner.query('ALTER TABLE "alerts" DROP COLUMN "attribution"');
  }
}
