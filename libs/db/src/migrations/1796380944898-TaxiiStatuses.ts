import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Status resources of TAXII 2.1 "add objects" requests (one row per POSTed envelope: the sender's org, the alert it
 * became, each object's id, version and refusal), kept 7 days. The GIN index finds the rows holding an object id
 * (a TAXII DELETE of that object).
 */
export class TaxiiStatuses1796380944898 implements MigrationInterface {
  name = 'TaxiiStatuses1796380944898';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "taxii_statuses" ("id" uuid NOT NULL, "org_id" uuid NOT NULL, "alert_id" uuid, "request_timestamp" TIMESTAMP WITH TIME ZONE NOT NULL, "total_count" integer NOT NULL, "objects" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_51b5e75225e583f989171bf04df" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "taxii_statuses_expires_at" ON "taxii_statuses" ("expires_at") ');
    await queryRunner.query(
      'CREATE INDEX "taxii_statuses_objects_idx" ON "taxii_statuses" USING gin ("objects" jsonb_path_ops)',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."taxii_statuses_objects_idx"');
    await queryRunner.query('DROP INDEX "public"."taxii_statuses_expires_at"');
    await queryRunner.query('DROP TABLE "taxii_statuses"');
  }
}
