import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Each organisation's constituency (countries, ASNs, CIDR blocks, domains), for constituency routing. */
export class Constituencies1796358976490 implements MigrationInterface {
  name = 'Constituencies1796358976490';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "constituencies" ("org_id" uuid NOT NULL, "countries" text array NOT NULL DEFAULT \'{}\', "asns" text array NOT NULL DEFAULT \'{}\', "cidrs" text array NOT NULL DEFAULT \'{}\', "domains" text array NOT NULL DEFAULT \'{}\', "version" integer NOT NULL DEFAULT \'1\', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b9704df2a8422a2c1311b681fe0" PRIMARY KEY ("org_id"))',
    );
    await queryRunner.query(
      'ALTER TABLE "constituencies" ADD CONSTRAINT "constituencies_org_fk" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "constituencies" DROP CONSTRAINT "constituencies_org_fk"');
    await queryRunner.query('DROP TABLE "constituencies"');
  }
}
