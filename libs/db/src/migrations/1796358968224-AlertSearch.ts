import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Finding alerts and indicators: newest-first paging over alerts, free text on title and description, and the
 * warning-listed values that the correlation index leaves out (so the two partial indexes hold every accepted one).
 */
export class AlertSearch1796358968224 implements MigrationInterface {
  name = 'AlertSearch1796358968224';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE INDEX "alerts_submitted_idx" ON "alerts" ("submitted_at", "id")');
    // The expression must stay the one AlertSearchRepository matches on ('simple': no stemming, no stop words).
    await queryRunner.query(
      `CREATE INDEX "alerts_search_idx" ON "alerts" USING gin (to_tsvector('simple'::regconfig, "title" || ' ' || coalesce("description", '')))`,
    );
    await queryRunner.query(
      'CREATE INDEX "indicators_warned_lookup_idx" ON "indicators" ("type", "canonical_value") INCLUDE ("alert_id") WHERE "canonical_value" IS NOT NULL AND "warning_list" IS NOT NULL',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."indicators_warned_lookup_idx"');
    await queryRunner.query('DROP INDEX "public"."alerts_search_idx"');
    await queryRunner.query('DROP INDEX "public"."alerts_submitted_idx"');
  }
}
