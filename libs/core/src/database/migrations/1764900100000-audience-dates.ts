import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `optline_try_timestamptz` as a plain SQL function: validated by pattern and calendar instead
 * of an exception block. The PL/pgSQL version opened a subtransaction per row (five seconds over
 * a million contacts) and cannot run in parallel workers at all.
 */
export class AudienceDates1764900100000 implements MigrationInterface {
  name = 'AudienceDates1764900100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION optline_try_timestamptz(text)`);
    await q.query(`
      CREATE FUNCTION optline_try_timestamptz(value text) RETURNS timestamptz
        LANGUAGE sql STABLE PARALLEL SAFE AS $$
        SELECT CASE
          WHEN value ~ '^[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])([T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]{1,6})?)?(Z|[+-](0[0-9]|1[0-4])(:?[0-5][0-9])?)?)?$'
          THEN CASE
            WHEN substr(value, 9, 2)::int <= extract(day FROM (substr(value, 1, 7) || '-01')::date + interval '1 month' - interval '1 day')
            THEN value::timestamptz
          END
        END
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION optline_try_timestamptz(text)`);
    await q.query(`
      CREATE FUNCTION optline_try_timestamptz(value text) RETURNS timestamptz
        LANGUAGE plpgsql STABLE AS $$
      BEGIN
        IF value IS NULL OR value !~ '^\\d{4}-\\d{2}-\\d{2}' THEN RETURN NULL; END IF;
        RETURN value::timestamptz;
      EXCEPTION WHEN others THEN
        RETURN NULL;
      END $$`);
  }
}
