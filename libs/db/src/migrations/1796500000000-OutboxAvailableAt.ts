import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * outbox.available_at: when the relay may take a row. A row the api hands to BullMQ itself right after the commit
 * (a small alert's one-hop job) is written due a grace period later, so the relay sends it only when that hand-over
 * did not happen (the api died, Redis was away) and the job has not deleted it meanwhile. The relay's claim reads
 * the due rows in (available_at, id) order by index, however many rows are not yet due.
 */
export class OutboxAvailableAt1796500000000 implements MigrationInterface {
  name = 'OutboxAvailableAt1796500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "outbox" ADD "available_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()`);
    await queryRunner.query(`CREATE INDEX "outbox_available_idx" ON "outbox" ("available_at", "id")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."outbox_available_idx"');
    await queryRunner.query(`ALTER TABLE "outbox" DROP COLUMN "available_at"`);
  }
}
