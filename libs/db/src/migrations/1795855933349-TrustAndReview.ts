import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The append-only audit trail (enforced by a trigger) and reviewers' decisions on alerts. */
export class TrustAndReview1795855933349 implements MigrationInterface {
  name = 'TrustAndReview1795855933349';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "audit_log" ("id" BIGSERIAL NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "action" text NOT NULL, "actor_org_id" uuid NOT NULL, "actor_key_id" uuid NOT NULL, "subject_org_id" uuid NOT NULL, "old_value" jsonb NOT NULL, "new_value" jsonb NOT NULL, "reason" text NOT NULL, CONSTRAINT "PK_07fefa57f7f5ab8fc3f52b3ed0b" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_ba27cef5b8b2b1a756e06ebcc5" ON "audit_log" ("at") ');
    await queryRunner.query('CREATE INDEX "IDX_2a3c94ec67aaf46d6ccaed593f" ON "audit_log" ("subject_org_id") ');
    await queryRunner.query('ALTER TABLE "alerts" ADD "review_decision" text');
    await queryRunner.query('ALTER TABLE "alerts" ADD "review_reason" text');
    await queryRunner.query('ALTER TABLE "alerts" ADD "reviewed_at" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query('ALTER TABLE "alerts" ADD "reviewed_by_org_id" uuid');
    await queryRunner.query('ALTER TABLE "alerts" ADD "reviewed_by_key_id" uuid');
    // Append-only for every role, the hub's own included: grants alone would not stop the table's owner.
    await queryRunner.query(`CREATE FUNCTION "audit_log_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the audit trail is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END
    $$`);
    await queryRunner.query(`CREATE TRIGGER "audit_log_no_update_delete" BEFORE UPDATE OR DELETE ON "audit_log"
      FOR EACH ROW EXECUTE FUNCTION "audit_log_append_only"()`);
    await queryRunner.query(`CREATE TRIGGER "audit_log_no_truncate" BEFORE TRUNCATE ON "audit_log"
      FOR EACH STATEMENT EXECUTE FUNCTION "audit_log_append_only"()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER "audit_log_no_truncate" ON "audit_log"');
    await queryRunner.query('DROP TRIGGER "audit_log_no_update_delete" ON "audit_log"');
    await queryRunner.query('DROP FUNCTION "audit_log_append_only"()');
    await queryRunner.query('ALTER TABLE "alerts" DROP COLUMN "reviewed_by_key_id"');
    await queryRunner.query('ALTER TABLE "alerts" DROP COLUMN "reviewed_by_org_id"');
    await queryRunner.query('ALTER TABLE "alerts" DROP COLUMN "reviewed_at"');
    await queryRunner.query('ALTER TABLE "alerts" DROP COLUMN "review_reason"');
    await queryRunner.query('ALTER TABLE "alerts" DROP COLUMN "review_decision"');
    await queryRunner.query('DROP INDEX "public"."IDX_2a3c94ec67aaf46d6ccaed593f"');
    await queryRunner.query('DROP INDEX "public"."IDX_ba27cef5b8b2b1a756e06ebcc5"');
    await queryRunner.query('DROP TABLE "audit_log"');
  }
}
