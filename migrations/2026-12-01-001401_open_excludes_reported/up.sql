-- Work that has been reported and waits for acceptance is no longer "open": the
-- dashboard does not call it overdue while a reviewer has it (issue 14). What is open,
-- counted in rollup_open_due, is now an initiative neither completed nor cancelled
-- whose completion report is not waiting for acceptance; it is open again when the
-- report is returned (review 'returned_completion'). The statement triggers already
-- note every change of `review`, so only the two functions that decide what is open
-- change: rollup_apply_pending (step 4) and rebuild_rollups. The roll-ups are rebuilt
-- here, in the migration's own transaction, so that they are exact from the moment the
-- change is visible.

CREATE OR REPLACE FUNCTION rollup_apply_pending() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    -- The slot this transaction writes at the root and the provinces (depth 1 and 2):
    -- one of 16, from the transaction id, so that concurrent writers rarely share one.
    hot CONSTANT SMALLINT := (pg_current_xact_id()::text::bigint % 16)::smallint;
    me CONSTANT XID8 := pg_current_xact_id();
    tree_changed CONSTANT BOOLEAN := EXISTS (SELECT 1 FROM rollup_pending_tree WHERE xact = me);
    first_units INTEGER[];
    first_years INTEGER[];
    first_signs INTEGER[];
BEGIN
    IF NOT tree_changed AND NOT EXISTS (SELECT 1 FROM rollup_pending WHERE xact = me) THEN
        RETURN;
    END IF;

    -- 1. Each unit's own count per year; a count that leaves or reaches zero is the
    --    unit's first registration of the year (or the removal of its last).
    WITH delta AS (
        SELECT unit_id, year, sum(sign) AS d
          FROM rollup_pending
         WHERE xact = me
         GROUP BY unit_id, year
        HAVING sum(sign) <> 0
    ),
    counted AS (
        INSERT INTO unit_registered AS r (unit_id, year, initiatives)
        SELECT unit_id, year, d FROM delta ORDER BY unit_id, year
        ON CONFLICT (unit_id, year) DO UPDATE SET initiatives = r.initiatives + excluded.initiatives
        RETURNING r.unit_id, r.year, r.initiatives
    ),
    crossed AS (
        SELECT c.unit_id, c.year,
               (c.initiatives > 0)::int - (c.initiatives - d.d > 0)::int AS crossing
          FROM counted c JOIN delta d USING (unit_id, year)
    )
    SELECT array_agg(unit_id), array_agg(year), array_agg(crossing)
      INTO first_units, first_years, first_signs
      FROM crossed
     WHERE crossing <> 0;

    -- 2. The figures: each noted initiative over its unit and every unit above it, and
    --    the tree's changes.
    INSERT INTO rollup_stats AS s (unit_id, year, field, slot, registered, not_started,
                                   in_progress, completed, cancelled, estimated_cost_vnd,
                                   actual_value_vnd, awaiting_approval, awaiting_acceptance,
                                   awaiting_report, returned)
    SELECT * FROM (
        SELECT unit_id, year, field, slot, sum(registered), sum(not_started), sum(in_progress),
               sum(completed), sum(cancelled), sum(estimated_cost_vnd), sum(actual_value_vnd),
               sum(awaiting_approval), sum(awaiting_acceptance), sum(awaiting_report),
               sum(returned)
          FROM (
            SELECT a.id AS unit_id, p.year, p.field,
                   CASE WHEN a.depth <= 2 THEN hot ELSE 0 END AS slot,
                   p.sign AS registered,
                   p.sign * (p.status = 'registered')::int AS not_started,
                   p.sign * (p.status = 'in_progress')::int AS in_progress,
                   p.sign * (p.status = 'completed')::int AS completed,
                   p.sign * (p.status = 'cancelled')::int AS cancelled,
                   p.sign * p.estimated_cost_vnd AS estimated_cost_vnd,
                   CASE WHEN p.status = 'completed' THEN p.sign * coalesce(p.actual_value_vnd, 0)
                        ELSE 0 END AS actual_value_vnd,
                   p.sign * (p.review = 'pending_approval')::int AS awaiting_approval,
                   p.sign * (p.review = 'pending_acceptance')::int AS awaiting_acceptance,
                   p.sign * (p.review IN ('approved', 'returned_completion')
                             AND p.status IN ('registered', 'in_progress'))::int AS awaiting_report,
                   p.sign * (p.review IN ('returned_registration', 'returned_completion'))::int
                       AS returned
              FROM rollup_pending p
             CROSS JOIN LATERAL (SELECT path FROM units WHERE id = p.unit_id OFFSET 0) AS u
             CROSS JOIN LATERAL unnest(path_ids(u.path)) WITH ORDINALITY AS a(id, depth)
             WHERE p.xact = me
            UNION ALL
            SELECT unit_id, year, field, 0, registered, not_started, in_progress, completed,
                   cancelled, estimated_cost_vnd, actual_value_vnd, awaiting_approval,
                   awaiting_acceptance, awaiting_report, returned
              FROM rollup_pending_tree
             WHERE tree_changed AND xact = me AND kind = 'stats'
          ) AS change
         GROUP BY unit_id, year, field, slot
    ) AS net (unit_id, year, field, slot, registered, not_started, in_progress, completed,
              cancelled, estimated_cost_vnd, actual_value_vnd, awaiting_approval,
              awaiting_acceptance, awaiting_report, returned)
     WHERE (registered, not_started, in_progress, completed, cancelled, estimated_cost_vnd,
            actual_value_vnd, awaiting_approval, awaiting_acceptance, awaiting_report, returned)
           <> (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
     ORDER BY unit_id, year, field, slot
    ON CONFLICT (unit_id, year, field, slot) DO UPDATE SET
        registered          = s.registered          + excluded.registered,
        not_started         = s.not_started         + excluded.not_started,
        in_progress         = s.in_progress         + excluded.in_progress,
        completed           = s.completed           + excluded.completed,
        cancelled           = s.cancelled           + excluded.cancelled,
        estimated_cost_vnd  = s.estimated_cost_vnd  + excluded.estimated_cost_vnd,
        actual_value_vnd    = s.actual_value_vnd    + excluded.actual_value_vnd,
        awaiting_approval   = s.awaiting_approval   + excluded.awaiting_approval,
        awaiting_acceptance = s.awaiting_acceptance + excluded.awaiting_acceptance,
        awaiting_report     = s.awaiting_report     + excluded.awaiting_report,
        returned            = s.returned            + excluded.returned;

    -- 3. Coverage: the units expected to register whose first registration of a year
    --    came (or whose last went), for them and every unit above them; and the tree's
    --    changes.
    IF first_units IS NOT NULL OR tree_changed THEN
        INSERT INTO rollup_coverage AS c (unit_id, year, slot, registered_units,
                                          registered_inactive_units)
        SELECT * FROM (
            SELECT unit_id, year, slot, sum(registered_units), sum(registered_inactive_units)
              FROM (
                SELECT a.id AS unit_id, f.year, CASE WHEN a.depth <= 2 THEN hot ELSE 0 END AS slot,
                       f.crossing AS registered_units,
                       CASE WHEN u.active THEN 0 ELSE f.crossing END AS registered_inactive_units
                  FROM unnest(first_units, first_years, first_signs) AS f(unit_id, year, crossing)
                 CROSS JOIN LATERAL (SELECT path, active FROM units
                                      WHERE id = f.unit_id AND expected_to_register
                                     OFFSET 0) AS u
                 CROSS JOIN LATERAL unnest(path_ids(u.path)) WITH ORDINALITY AS a(id, depth)
                UNION ALL
                SELECT unit_id, year, 0, registered_units, registered_inactive_units
                  FROM rollup_pending_tree
                 WHERE tree_changed AND xact = me AND kind = 'coverage'
              ) AS change
             GROUP BY unit_id, year, slot
        ) AS net (unit_id, year, slot, registered_units, registered_inactive_units)
         WHERE (registered_units, registered_inactive_units) <> (0, 0)
         ORDER BY unit_id, year, slot
        ON CONFLICT (unit_id, year, slot) DO UPDATE SET
            registered_units = c.registered_units + excluded.registered_units,
            registered_inactive_units = c.registered_inactive_units + excluded.registered_inactive_units;
    END IF;

    -- 4. What is still open, by due date.
    INSERT INTO rollup_open_due AS o (unit_id, year, due_date, slot, open)
    SELECT * FROM (
        SELECT unit_id, year, due_date, slot, sum(open)
          FROM (
            SELECT a.id AS unit_id, p.year, p.due_date,
                   CASE WHEN a.depth <= 2 THEN hot ELSE 0 END AS slot, p.sign AS open
              FROM rollup_pending p
             CROSS JOIN LATERAL (SELECT path FROM units WHERE id = p.unit_id OFFSET 0) AS u
             CROSS JOIN LATERAL unnest(path_ids(u.path)) WITH ORDINALITY AS a(id, depth)
             WHERE p.xact = me AND p.status IN ('registered', 'in_progress')
               AND p.review <> 'pending_acceptance'
            UNION ALL
            SELECT unit_id, year, due_date, 0, open
              FROM rollup_pending_tree
             WHERE tree_changed AND xact = me AND kind = 'due'
          ) AS change
         GROUP BY unit_id, year, due_date, slot
    ) AS net (unit_id, year, due_date, slot, open)
     WHERE open <> 0
     ORDER BY unit_id, year, due_date, slot
    ON CONFLICT (unit_id, year, due_date, slot) DO UPDATE SET open = o.open + excluded.open;

    DELETE FROM rollup_pending WHERE xact = me;
    IF tree_changed THEN
        DELETE FROM rollup_pending_tree WHERE xact = me;
    END IF;
END $$;

CREATE OR REPLACE FUNCTION rebuild_rollups() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    LOCK TABLE units, initiatives IN SHARE MODE;
    -- Applies what this transaction has noted first, so the notes cannot count twice.
    PERFORM rollup_apply_pending();
    TRUNCATE rollup_stats, unit_registered, rollup_coverage, rollup_open_due, subtree_units;

    INSERT INTO subtree_units (unit_id, units, expected_units)
    SELECT a, count(*), count(*) FILTER (WHERE u.expected_to_register AND u.active)
      FROM units u, unnest(path_ids(u.path)) AS a
     GROUP BY a;

    -- Each unit's own figures first, then spread over the ancestors.
    WITH own AS (
        SELECT i.unit_id, i.year, i.field,
               count(*) AS registered,
               count(*) FILTER (WHERE i.status = 'registered') AS not_started,
               count(*) FILTER (WHERE i.status = 'in_progress') AS in_progress,
               count(*) FILTER (WHERE i.status = 'completed') AS completed,
               count(*) FILTER (WHERE i.status = 'cancelled') AS cancelled,
               sum(i.estimated_cost_vnd) AS estimated_cost_vnd,
               coalesce(sum(i.actual_value_vnd) FILTER (WHERE i.status = 'completed'), 0) AS actual_value_vnd,
               count(*) FILTER (WHERE i.review = 'pending_approval') AS awaiting_approval,
               count(*) FILTER (WHERE i.review = 'pending_acceptance') AS awaiting_acceptance,
               count(*) FILTER (WHERE i.review IN ('approved', 'returned_completion')
                                  AND i.status IN ('registered', 'in_progress')) AS awaiting_report,
               count(*) FILTER (WHERE i.review IN ('returned_registration', 'returned_completion'))
                   AS returned
          FROM initiatives i
         GROUP BY i.unit_id, i.year, i.field
    )
    INSERT INTO rollup_stats (unit_id, year, field, registered, not_started, in_progress,
                              completed, cancelled, estimated_cost_vnd, actual_value_vnd,
                              awaiting_approval, awaiting_acceptance, awaiting_report, returned)
    SELECT a, own.year, own.field, sum(registered), sum(not_started), sum(in_progress),
           sum(completed), sum(cancelled), sum(estimated_cost_vnd), sum(actual_value_vnd),
           sum(awaiting_approval), sum(awaiting_acceptance), sum(awaiting_report), sum(returned)
      FROM own JOIN units u ON u.id = own.unit_id, unnest(path_ids(u.path)) AS a
     GROUP BY a, own.year, own.field;

    INSERT INTO unit_registered (unit_id, year, initiatives)
    SELECT unit_id, year, count(*) FROM initiatives GROUP BY unit_id, year;

    INSERT INTO rollup_coverage (unit_id, year, registered_units, registered_inactive_units)
    SELECT a, r.year, count(*), count(*) FILTER (WHERE NOT u.active)
      FROM unit_registered r JOIN units u ON u.id = r.unit_id, unnest(path_ids(u.path)) AS a
     WHERE u.expected_to_register
     GROUP BY a, r.year;

    WITH own AS (
        SELECT unit_id, year, due_date, count(*) AS open
          FROM initiatives
         WHERE status IN ('registered', 'in_progress')
           AND review <> 'pending_acceptance'
         GROUP BY unit_id, year, due_date
    )
    INSERT INTO rollup_open_due (unit_id, year, due_date, open)
    SELECT a, own.year, own.due_date, sum(own.open)
      FROM own JOIN units u ON u.id = own.unit_id, unnest(path_ids(u.path)) AS a
     GROUP BY a, own.year, own.due_date;
END $$;

SELECT rebuild_rollups();
