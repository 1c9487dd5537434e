import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * People of member organisations (issue 15): users (one org, one role; e-mail unique hub-wide, stored lower-cased;
 * argon2id password; invite token and TOTP secret), their one-time recovery codes (SHA-256 only) and their
 * server-side sessions (token SHA-256 only, CSRF token, idle and absolute expiry). The audit trail names the user that
 * acted (actor_user_id) and then no key.
 */
export class Users1796395079586 implements MigrationInterface {
  name = 'Users1796395079586';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "audit_log" ADD "actor_user_id" uuid');
    await queryRunner.query('ALTER TABLE "audit_log" ALTER COLUMN "actor_key_id" DROP NOT NULL');
    await queryRunner.query(
      'CREATE TABLE "users" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "org_id" uuid NOT NULL, "email" text NOT NULL, "name" text, "role" text NOT NULL, "password_hash" text, "invite_hash" bytea, "invite_expires_at" TIMESTAMP WITH TIME ZONE, "totp_secret" text, "totp_pending_secret" text, "totp_last_step" bigint, "disabled_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "users_role_check" CHECK ("role" IN (\'admin\', \'vetter\', \'operator\', \'reader\')), CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_0a13270cd3101fd16b8000e00d" ON "users" ("org_id") ');
    await queryRunner.query('CREATE UNIQUE INDEX "IDX_97672ac88f789774dd47f7c8be" ON "users" ("email") ');
    await queryRunner.query('CREATE UNIQUE INDEX "IDX_9ddc289bf059d246da24dc2083" ON "users" ("invite_hash") ');
    await queryRunner.query(
      'CREATE TABLE "recovery_codes" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "code_hash" bytea NOT NULL, CONSTRAINT "PK_0723b9e53961e799027d7f7ba32" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_fb82b2ac740ca095b617afad03" ON "recovery_codes" ("user_id") ');
    await queryRunner.query(
      'CREATE TABLE "sessions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "token_hash" bytea NOT NULL, "user_id" uuid NOT NULL, "csrf_token" text NOT NULL, "enrolment_only" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_3238ef96f18b355b671619111bc" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "IDX_abaa9e068cdd390bc5210f7988" ON "sessions" ("token_hash") ');
    await queryRunner.query('CREATE INDEX "IDX_085d540d9f418cfbdc7bd55bb1" ON "sessions" ("user_id") ');
    await queryRunner.query('CREATE INDEX "IDX_9cfe37d28c3b229a350e086d94" ON "sessions" ("expires_at") ');
    await queryRunner.query(
      'ALTER TABLE "users" ADD CONSTRAINT "FK_0a13270cd3101fd16b8000e00d4" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "recovery_codes" ADD CONSTRAINT "FK_fb82b2ac740ca095b617afad031" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "sessions" ADD CONSTRAINT "FK_085d540d9f418cfbdc7bd55bb19" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "sessions" DROP CONSTRAINT "FK_085d540d9f418cfbdc7bd55bb19"');
    await queryRunner.query('ALTER TABLE "recovery_codes" DROP CONSTRAINT "FK_fb82b2ac740ca095b617afad031"');
    await queryRunner.query('ALTER TABLE "users" DROP CONSTRAINT "FK_0a13270cd3101fd16b8000e00d4"');
    await queryRunner.query('DROP INDEX "public"."IDX_9cfe37d28c3b229a350e086d94"');
    await queryRunner.query('DROP INDEX "public"."IDX_085d540d9f418cfbdc7bd55bb1"');
    await queryRunner.query('DROP INDEX "public"."IDX_abaa9e068cdd390bc5210f7988"');
    await queryRunner.query('DROP TABLE "sessions"');
    await queryRunner.query('DROP INDEX "public"."IDX_fb82b2ac740ca095b617afad03"');
    await queryRunner.query('DROP TABLE "recovery_codes"');
    await queryRunner.query('DROP INDEX "public"."IDX_9ddc289bf059d246da24dc2083"');
    await queryRunner.query('DROP INDEX "public"."IDX_97672ac88f789774dd47f7c8be"');
    await queryRunner.query('DROP INDEX "public"."IDX_0a13270cd3101fd16b8000e00d"');
    await queryRunner.query('DROP TABLE "users"');
    await queryRunner.query('ALTER TABLE "audit_log" ALTER COLUMN "actor_key_id" SET NOT NULL');
    await queryRunner.query('ALTER TABLE "audit_log" DROP COLUMN "actor_user_id"');
  }
}
