import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Subscriptions: several per organisation, each with its filters and its server-kept cursor (acked seq). */
export class Subscriptions1796359382510 implements MigrationInterface {
  name = 'Subscriptions1796359382510';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "subscriptions" ("id" uuid NOT NULL, "org_id" uuid NOT NULL, "name" text, "filters" jsonb NOT NULL DEFAULT \'{}\', "acked_seq" bigint NOT NULL DEFAULT \'0\', "acked_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a87248d73155605cf782be9ee5e" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "subscriptions_org_id_created_at" ON "subscriptions" ("org_id", "created_at") ',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."subscriptions_org_id_created_at"');
    await queryRunner.query('DROP TABLE "subscriptions"');
  }
}
