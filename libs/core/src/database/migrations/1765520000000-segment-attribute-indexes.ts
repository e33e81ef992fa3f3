import { MigrationInterface, QueryRunner } from 'typeorm';

/** The commerce facts plugins keep on contacts, and what segments compare them as. */
const NUMBER_FACTS = ['ordersCount', 'totalSpent'];
const INSTANT_FACTS = ['lastOrderAt', 'customerSince', 'lastAppointmentAt'];

const indexName = (key: string) => `IDX_contact_fact_${key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`;

/**
 * Segment rules over attributes read each contact's JSON: a million contacts cost seconds. The
 * values are now read through two IMMUTABLE functions — a number (an inlined SQL expression) or
 * an instant (an ISO date; one without an offset is UTC) — which the segment compiler emits with
 * the key bound as a parameter; an expression index on each commerce fact then answers a range
 * such as "ordersCount >= 3" or "lastOrderAt in the last 90 days" from the index instead of the
 * table (decision 0205). Other attributes use the same functions, unindexed.
 */
export class SegmentAttributeIndexes1765520000000 implements MigrationInterface {
  name = 'SegmentAttributeIndexes1765520000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION optline_attr_number(attributes jsonb, key text) RETURNS numeric
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT CASE WHEN attributes->>key ~ '^-?[0-9]+(\\.[0-9]+)?$' THEN (attributes->>key)::numeric END
      $$`);
    // IMMUTABLE (an index needs it) and true to it: the pattern admits only ISO 8601, which every
    // DateStyle reads alike, and a value without an offset is read as UTC, never in the
    // session's zone. PL/pgSQL because an IMMUTABLE SQL function that casts text is not inlined,
    // and a SQL function called per row costs far more (measured: minutes over a million rows).
    await q.query(`
      CREATE FUNCTION optline_attr_instant(attributes jsonb, key text) RETURNS timestamptz
        LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 20 AS $$
      DECLARE
        v text := attributes->>key;
      BEGIN
        IF v IS NULL OR v !~ '^[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])([T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]{1,6})?)?(Z|[+-](0[0-9]|1[0-4])(:?[0-5][0-9])?)?)?$' THEN
          RETURN NULL;
        END IF;
        -- An impossible day (30 February) is not a date.
        IF substr(v, 9, 2)::int > extract(day FROM make_date(substr(v, 1, 4)::int, substr(v, 6, 2)::int, 1) + interval '1 month' - interval '1 day') THEN
          RETURN NULL;
        END IF;
        IF length(v) = 10 THEN
          RETURN (v || 'T00:00:00Z')::timestamptz;
        END IF;
        IF v ~ '(Z|[+-][0-9]{2}(:?[0-9]{2})?)$' THEN
          RETURN v::timestamptz;
        END IF;
        RETURN (v || 'Z')::timestamptz;
      END
      $$`);
    for (const key of NUMBER_FACTS) {
      await q.query(`CREATE INDEX "${indexName(key)}" ON "contact" ("workspace_id", optline_attr_number("attributes", '${key}')) WHERE "erased_at" IS NULL`);
    }
    for (const key of INSTANT_FACTS) {
      await q.query(`CREATE INDEX "${indexName(key)}" ON "contact" ("workspace_id", optline_attr_instant("attributes", '${key}')) WHERE "erased_at" IS NULL`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const key of [...NUMBER_FACTS, ...INSTANT_FACTS]) await q.query(`DROP INDEX "${indexName(key)}"`);
    await q.query(`DROP FUNCTION optline_attr_instant(jsonb, text)`);
    await q.query(`DROP FUNCTION optline_attr_number(jsonb, text)`);
  }
}
