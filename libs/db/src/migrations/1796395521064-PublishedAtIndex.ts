import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An index on publish_log.published_at (strictly increasing with seq): TAXII's `added_after` finds where to start in
 * O(log n) instead of scanning the log. On a large existing log, building it blocks writes to the log for the time
 * it takes (seconds per few million rows); run the migration in a quiet moment.
 */
export class PublishedAtIndex1796395521064 implements MigrationInterface {
  name = 'PublishedAtIndex1796395521064';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE INDEX "IDX_064edc8b722e14d71676f77a04" ON "publish_log" ("published_at") ');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."IDX_064edc8b722e14d71676f77a04"');
  }
}
