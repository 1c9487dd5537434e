import type { MigrationInterface, QueryRunner } from 'typeorm';

/** First answers to submissions sent with an Idempotency-Key, per organisation and key, kept 24 h. */
export class IdempotencyKeys1796357729108 implements MigrationInterface {
  name = 'IdempotencyKeys1796357729108';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "idempotency_keys" ("org_id" uuid NOT NULL, "key" text NOT NULL, "fingerprint" text NOT NULL, "response" json NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_b82c9639429bd505548fc6da188" PRIMARY KEY ("org_id", "key"))',
    );
    await queryRunner.query('CREATE INDEX "idempotency_keys_expires_at" ON "idempotency_keys" ("expires_at") ');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."idempotency_keys_expires_at"');
    await queryRunner.query('DROP TABLE "idempotency_keys"');
  }
}
