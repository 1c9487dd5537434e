import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Revisions and revocation: an alert's revision number, when and why it was revoked, the revoked status. */
export class AlertLifecycle1795856460477 implements MigrationInterface {
  name = 'AlertLifecycle1795856460477';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "alerts" ADD "revision" integer NOT NULL DEFAULT \'1\'');
    await queryRunner.query('ALTER TABLE "alerts" ADD "revoked_at" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query('ALTER TABLE "alerts" ADD "revoke_reason" text');
    await queryRunner.query('ALTER TABLE "alerts" DROP CONSTRAINT "alerts_status_check"');
    await queryRunner.query(
      `ALTER TABLE "alerts" ADD CONSTRAINT "alerts_status_check" CHECK ("status" IN ('queued', 'normalized', 'pending_review', 'published', 'rejected', 'revoked'))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "alerts" DROP CONSTRAINT "alerts_status_check"');
    await queryRunner.query(
      `ALTER TABLE "alerts" ADD CONSTRAINT "alerts_status_check" CHECK ("status" IN ('queued', 'normalized', 'pending_review', 'published', 'rejected'))`,
    );
    await queryRunner.query('ALTER TABLE "alerts" DROP COLUMN "revoke_reason"');
    await queryRunner.query('ALTER TABLE "alerts" DROP COLUMN "revoked_at"');
    await queryRunner.query('ALTER TABLE "alerts" DROP COLUMN "revision"');
  }
}
