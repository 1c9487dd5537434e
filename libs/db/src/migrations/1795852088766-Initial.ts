import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The foundation schema: orgs and keys, alerts and indicators, the publish log and the outbox. */
export class Initial1795852088766 implements MigrationInterface {
  name = 'Initial1795852088766';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "orgs" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "name" text NOT NULL,
      "country" character(2),
      "sector" text,
      "trust_level" smallint NOT NULL,
      "is_hub" boolean NOT NULL DEFAULT false,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_9eed8bfad4c9e0dc8648e090efe" PRIMARY KEY ("id"),
      CONSTRAINT "orgs_trust_level_check" CHECK ("trust_level" BETWEEN 0 AND 4),
      CONSTRAINT "orgs_country_check" CHECK ("is_hub" OR "country" IS NOT NULL))`);
    await q.query(`CREATE UNIQUE INDEX "orgs_name_lower_key" ON "orgs" (lower("name"))`);
    await q.query(`CREATE UNIQUE INDEX "orgs_one_hub_key" ON "orgs" ("is_hub") WHERE "is_hub"`);

    await q.query(`CREATE TABLE "api_keys" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "org_id" uuid NOT NULL,
      "role" text NOT NULL,
      "lookup_id" text NOT NULL,
      "key_hash" bytea NOT NULL,
      "label" text,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "revoked_at" TIMESTAMP WITH TIME ZONE,
      CONSTRAINT "PK_5c8a79801b44bd27b79228e1dad" PRIMARY KEY ("id"),
      CONSTRAINT "api_keys_role_check" CHECK ("role" IN ('admin', 'vetter', 'operator', 'reader')))`);
    await q.query(`CREATE INDEX "IDX_ba7f5748f500d24aa18041d043" ON "api_keys" ("org_id")`);
    await q.query(`CREATE UNIQUE INDEX "IDX_e8828b4a713978adb8d6cf0487" ON "api_keys" ("lookup_id")`);
    await q.query(`ALTER TABLE "api_keys" ADD CONSTRAINT "FK_ba7f5748f500d24aa18041d0439"
      FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);

    await q.query(`CREATE TABLE "alerts" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "source_org_id" uuid NOT NULL,
      "title" text NOT NULL,
      "description" text,
      "severity" text NOT NULL,
      "tlp" text NOT NULL,
      "recipients" uuid array NOT NULL DEFAULT '{}',
      "status" text NOT NULL,
      "status_reason" text,
      "approved" boolean NOT NULL DEFAULT false,
      "source_format" text NOT NULL,
      "indicator_count" integer NOT NULL DEFAULT '0',
      "rejected_count" integer NOT NULL DEFAULT '0',
      "published_seq" bigint,
      "request_id" text,
      "submitted_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_60f895662df096bfcdfab7f4b96" PRIMARY KEY ("id"),
      CONSTRAINT "alerts_tlp_check" CHECK ("tlp" IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
      CONSTRAINT "alerts_severity_check" CHECK ("severity" IN ('low', 'medium', 'high', 'critical')),
      CONSTRAINT "alerts_status_check" CHECK ("status" IN ('queued', 'normalized', 'pending_review', 'published', 'rejected')))`);
    await q.query(`CREATE INDEX "IDX_c9b66e026899af125b07d45542" ON "alerts" ("source_org_id")`);
    await q.query(`CREATE INDEX "IDX_db2f8516e5379beaf408418839" ON "alerts" ("status", "updated_at")`);
    await q.query(`ALTER TABLE "alerts" ADD CONSTRAINT "FK_c9b66e026899af125b07d45542c"
      FOREIGN KEY ("source_org_id") REFERENCES "orgs"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);

    await q.query(`CREATE TABLE "indicators" (
      "alert_id" uuid NOT NULL,
      "position" integer NOT NULL,
      "type" text NOT NULL,
      "raw_value" text NOT NULL,
      "canonical_value" text,
      "rejection" text,
      CONSTRAINT "PK_b5d7a86736fc7eb50369b17afad" PRIMARY KEY ("alert_id", "position"))`);
    await q.query(`ALTER TABLE "indicators" ADD CONSTRAINT "FK_6d9019e4355588f62783984d299"
      FOREIGN KEY ("alert_id") REFERENCES "alerts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);

    await q.query(`CREATE TABLE "publish_log" (
      "seq" bigint NOT NULL,
      "event" text NOT NULL,
      "alert_id" uuid NOT NULL,
      "tlp" text NOT NULL,
      "source_org_id" uuid NOT NULL,
      "recipients" uuid array NOT NULL DEFAULT '{}',
      "payload" jsonb NOT NULL,
      "published_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_207a3b149ef052e066f9506b577" PRIMARY KEY ("seq"))`);
    await q.query(`CREATE INDEX "IDX_fa6faa812f8f95e25be42ec7e1" ON "publish_log" ("alert_id")`);

    await q.query(`CREATE TABLE "outbox" (
      "id" BIGSERIAL NOT NULL,
      "queue" text NOT NULL,
      "job_name" text NOT NULL,
      "job_id" text NOT NULL,
      "payload" jsonb NOT NULL,
      "attempts" integer NOT NULL DEFAULT '0',
      "last_error" text,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_340ab539f309f03bdaa14aa7649" PRIMARY KEY ("id"))`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "outbox"`);
    await q.query(`DROP TABLE "publish_log"`);
    await q.query(`DROP TABLE "indicators"`);
    await q.query(`DROP TABLE "alerts"`);
    await q.query(`DROP TABLE "api_keys"`);
    await q.query(`DROP TABLE "orgs"`);
  }
}
