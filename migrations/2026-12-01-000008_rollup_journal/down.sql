-- Back to the row triggers of 2026-11-27-000003_rollups: drop this migration's objects,
-- then let that migration's down and up run again.
DROP TRIGGER units_rollup ON units;
DROP FUNCTION units_rollup();
DROP FUNCTION rebuild_rollups();
DROP FUNCTION rollup_flags(INTEGER, INTEGER[], INTEGER, INTEGER, INTEGER);
DROP FUNCTION rollup_move_subtree(INTEGER, INTEGER[], INTEGER[]);
DROP FUNCTION rollup_lock_subtree(INTEGER, BOOLEAN);
DROP TRIGGER initiatives_note_inserted ON initiatives;
DROP TRIGGER initiatives_note_updated ON initiatives;
DROP TRIGGER initiatives_note_deleted ON initiatives;
DROP FUNCTION initiatives_note_inserted();
DROP FUNCTION initiatives_note_updated();
DROP FUNCTION initiatives_note_deleted();
DROP TABLE rollup_pending, rollup_pending_tree;
DROP FUNCTION rollup_pending_apply();
DROP FUNCTION rollup_apply_pending();
DROP VIEW subtree_stats, subtree_coverage, subtree_open_due;
DROP TABLE rollup_stats, unit_registered, rollup_coverage, rollup_open_due;
DROP TABLE subtree_units;
DROP FUNCTION path_ids(LTREE);
-- Roll-ups: the dashboard's figures for every unit's whole subtree and every year, kept
-- up to date by triggers in the same transaction as each change, so that a dashboard
-- reads a few rows per unit shown instead of counting initiatives over a subtree.
--
-- Each row holds the figures of a unit together with everything below it. A change to
-- one initiative adds its contribution to (or takes it from) the rows of its unit and of
-- every unit above it; a unit that moves takes its subtree's rows from its old ancestors
-- to its new ones. `rebuild_rollups()` recounts everything from the raw rows.

-- The figures per unit (subtree), year and field.
CREATE TABLE subtree_stats (
    unit_id             INTEGER NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    year                INTEGER NOT NULL,
    field               TEXT NOT NULL,
    registered          BIGINT NOT NULL DEFAULT 0,
    not_started         BIGINT NOT NULL DEFAULT 0,
    in_progress         BIGINT NOT NULL DEFAULT 0,
    completed           BIGINT NOT NULL DEFAULT 0,
    cancelled           BIGINT NOT NULL DEFAULT 0,
    estimated_cost_vnd  BIGINT NOT NULL DEFAULT 0,
    -- Of completed (accepted) initiatives only.
    actual_value_vnd    BIGINT NOT NULL DEFAULT 0,
    awaiting_approval   BIGINT NOT NULL DEFAULT 0,
    awaiting_acceptance BIGINT NOT NULL DEFAULT 0,
    -- Approved (or completion returned), not yet completed or cancelled: a report is owed.
    awaiting_report     BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (unit_id, year, field)
);

-- Coverage per unit (subtree) and year: how many initiatives the unit registered itself,
-- and how many units of its subtree expected to register have registered at least one.
-- A unit that registered in a year and was later dissolved or merged still counts for
-- that year (as expected and registered: `registered_inactive_units`), so a past year's
-- coverage stays as it was reported.
CREATE TABLE subtree_coverage (
    unit_id                   INTEGER NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    year                      INTEGER NOT NULL,
    own_registered            BIGINT NOT NULL DEFAULT 0,
    registered_units          BIGINT NOT NULL DEFAULT 0,
    registered_inactive_units BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (unit_id, year)
);

-- The size of each unit's subtree, and how many of its units are expected to register
-- (active and expected). Not per year: it is the tree as it stands.
CREATE TABLE subtree_units (
    unit_id        INTEGER PRIMARY KEY REFERENCES units (id) ON DELETE CASCADE,
    units          BIGINT NOT NULL DEFAULT 0,
    expected_units BIGINT NOT NULL DEFAULT 0
);

-- Unfinished initiatives per unit (subtree), year and due date, so "overdue today" is a
-- sum over the due dates before today.
CREATE TABLE subtree_open_due (
    unit_id  INTEGER NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    year     INTEGER NOT NULL,
    due_date DATE NOT NULL,
    open     BIGINT NOT NULL DEFAULT 0,
    -- Covering: "overdue today" sums `open` straight from the index.
    PRIMARY KEY (unit_id, year, due_date) INCLUDE (open)
);

-- The ids from the root down to the unit, from its path ("1.4.17" → {1,4,17}).
CREATE FUNCTION path_ids(path LTREE) RETURNS INTEGER[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT string_to_array(ltree2text(path), '.')::integer[]
$$;

-- Adds (sign 1) or takes away (sign -1) one initiative's contribution.
CREATE FUNCTION rollup_initiative(p_unit INTEGER, p_year INTEGER, p_field TEXT, p_status TEXT,
                                  p_review TEXT, p_estimated BIGINT, p_actual BIGINT,
                                  p_due DATE, p_sign INTEGER)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    lineage INTEGER[];
    expected BOOLEAN;
    is_active BOOLEAN;
    own BIGINT;
BEGIN
    -- The share lock makes a concurrent move or (de)activation of the unit wait for this
    -- transaction, and this one wait for it: each sees the other's committed result.
    SELECT path_ids(path), expected_to_register, active INTO lineage, expected, is_active
      FROM units WHERE id = p_unit FOR SHARE;

    INSERT INTO subtree_stats AS s (unit_id, year, field, registered, not_started, in_progress,
                                    completed, cancelled, estimated_cost_vnd, actual_value_vnd,
                                    awaiting_approval, awaiting_acceptance, awaiting_report)
    SELECT a, p_year, p_field, p_sign,
           p_sign * (p_status = 'registered')::int,
           p_sign * (p_status = 'in_progress')::int,
           p_sign * (p_status = 'completed')::int,
           p_sign * (p_status = 'cancelled')::int,
           p_sign * p_estimated,
           CASE WHEN p_status = 'completed' THEN p_sign * coalesce(p_actual, 0) ELSE 0 END,
           p_sign * (p_review = 'pending_approval')::int,
           p_sign * (p_review = 'pending_acceptance')::int,
           p_sign * (p_review IN ('approved', 'returned_completion')
                     AND p_status IN ('registered', 'in_progress'))::int
      FROM unnest(lineage) AS a
    ON CONFLICT (unit_id, year, field) DO UPDATE SET
        registered          = s.registered          + excluded.registered,
        not_started         = s.not_started         + excluded.not_started,
        in_progress         = s.in_progress         + excluded.in_progress,
        completed           = s.completed           + excluded.completed,
        cancelled           = s.cancelled           + excluded.cancelled,
        estimated_cost_vnd  = s.estimated_cost_vnd  + excluded.estimated_cost_vnd,
        actual_value_vnd    = s.actual_value_vnd    + excluded.actual_value_vnd,
        awaiting_approval   = s.awaiting_approval   + excluded.awaiting_approval,
        awaiting_acceptance = s.awaiting_acceptance + excluded.awaiting_acceptance,
        awaiting_report     = s.awaiting_report     + excluded.awaiting_report;

    INSERT INTO subtree_coverage AS c (unit_id, year, own_registered)
    VALUES (p_unit, p_year, p_sign)
    ON CONFLICT (unit_id, year) DO UPDATE SET own_registered = c.own_registered + excluded.own_registered
    RETURNING c.own_registered INTO own;
    -- The unit's first initiative of the year (or the removal of its last) changes coverage.
    IF expected AND ((p_sign = 1 AND own = 1) OR (p_sign = -1 AND own = 0)) THEN
        INSERT INTO subtree_coverage AS c (unit_id, year, registered_units, registered_inactive_units)
        SELECT a, p_year, p_sign, CASE WHEN is_active THEN 0 ELSE p_sign END FROM unnest(lineage) AS a
        ON CONFLICT (unit_id, year) DO UPDATE SET
            registered_units = c.registered_units + excluded.registered_units,
            registered_inactive_units = c.registered_inactive_units + excluded.registered_inactive_units;
    END IF;

    IF p_status IN ('registered', 'in_progress') THEN
        INSERT INTO subtree_open_due AS o (unit_id, year, due_date, open)
        SELECT a, p_year, p_due, p_sign FROM unnest(lineage) AS a
        ON CONFLICT (unit_id, year, due_date) DO UPDATE SET open = o.open + excluded.open;
    END IF;
END $$;

CREATE FUNCTION initiatives_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND (OLD.unit_id, OLD.year, OLD.field, OLD.status, OLD.review, OLD.estimated_cost_vnd,
            OLD.actual_value_vnd, OLD.due_date)
           IS NOT DISTINCT FROM
           (NEW.unit_id, NEW.year, NEW.field, NEW.status, NEW.review, NEW.estimated_cost_vnd,
            NEW.actual_value_vnd, NEW.due_date) THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM rollup_initiative(OLD.unit_id, OLD.year, OLD.field, OLD.status, OLD.review,
                                  OLD.estimated_cost_vnd, OLD.actual_value_vnd, OLD.due_date, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM rollup_initiative(NEW.unit_id, NEW.year, NEW.field, NEW.status, NEW.review,
                                  NEW.estimated_cost_vnd, NEW.actual_value_vnd, NEW.due_date, 1);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER initiatives_rollup AFTER INSERT OR UPDATE OR DELETE ON initiatives
    FOR EACH ROW EXECUTE FUNCTION initiatives_rollup();

-- Moves a unit's whole subtree contribution from the units in `removed` to those in
-- `added` (ancestors it leaves and ancestors it joins).
CREATE FUNCTION rollup_move_subtree(p_unit INTEGER, removed INTEGER[], added INTEGER[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO subtree_stats AS s (unit_id, year, field, registered, not_started, in_progress,
                                    completed, cancelled, estimated_cost_vnd, actual_value_vnd,
                                    awaiting_approval, awaiting_acceptance, awaiting_report)
    SELECT t.a, x.year, x.field, t.sign * x.registered, t.sign * x.not_started,
           t.sign * x.in_progress, t.sign * x.completed, t.sign * x.cancelled,
           t.sign * x.estimated_cost_vnd, t.sign * x.actual_value_vnd,
           t.sign * x.awaiting_approval, t.sign * x.awaiting_acceptance, t.sign * x.awaiting_report
      FROM subtree_stats x,
           (SELECT unnest(removed) AS a, -1 AS sign UNION ALL SELECT unnest(added), 1) AS t
     WHERE x.unit_id = p_unit
    ON CONFLICT (unit_id, year, field) DO UPDATE SET
        registered          = s.registered          + excluded.registered,
        not_started         = s.not_started         + excluded.not_started,
        in_progress         = s.in_progress         + excluded.in_progress,
        completed           = s.completed           + excluded.completed,
        cancelled           = s.cancelled           + excluded.cancelled,
        estimated_cost_vnd  = s.estimated_cost_vnd  + excluded.estimated_cost_vnd,
        actual_value_vnd    = s.actual_value_vnd    + excluded.actual_value_vnd,
        awaiting_approval   = s.awaiting_approval   + excluded.awaiting_approval,
        awaiting_acceptance = s.awaiting_acceptance + excluded.awaiting_acceptance,
        awaiting_report     = s.awaiting_report     + excluded.awaiting_report;

    INSERT INTO subtree_coverage AS c (unit_id, year, registered_units, registered_inactive_units)
    SELECT t.a, x.year, t.sign * x.registered_units, t.sign * x.registered_inactive_units
      FROM subtree_coverage x,
           (SELECT unnest(removed) AS a, -1 AS sign UNION ALL SELECT unnest(added), 1) AS t
     WHERE x.unit_id = p_unit AND (x.registered_units <> 0 OR x.registered_inactive_units <> 0)
    ON CONFLICT (unit_id, year) DO UPDATE SET
        registered_units = c.registered_units + excluded.registered_units,
        registered_inactive_units = c.registered_inactive_units + excluded.registered_inactive_units;

    INSERT INTO subtree_open_due AS o (unit_id, year, due_date, open)
    SELECT t.a, x.year, x.due_date, t.sign * x.open
      FROM subtree_open_due x,
           (SELECT unnest(removed) AS a, -1 AS sign UNION ALL SELECT unnest(added), 1) AS t
     WHERE x.unit_id = p_unit AND x.open <> 0
    ON CONFLICT (unit_id, year, due_date) DO UPDATE SET open = o.open + excluded.open;

    INSERT INTO subtree_units AS u (unit_id, units, expected_units)
    SELECT t.a, t.sign * x.units, t.sign * x.expected_units
      FROM subtree_units x,
           (SELECT unnest(removed) AS a, -1 AS sign UNION ALL SELECT unnest(added), 1) AS t
     WHERE x.unit_id = p_unit
    ON CONFLICT (unit_id) DO UPDATE SET units = u.units + excluded.units,
                                        expected_units = u.expected_units + excluded.expected_units;
END $$;

-- A unit's flags changed: `expected_units` counts the active units expected to register;
-- coverage counts, for every year the unit registered in, the expected ones (and among
-- them the inactive ones).
CREATE FUNCTION rollup_flags(p_unit INTEGER, lineage INTEGER[], d_expected INTEGER,
                             d_registered INTEGER, d_inactive INTEGER)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF d_expected <> 0 THEN
        UPDATE subtree_units SET expected_units = expected_units + d_expected
         WHERE unit_id = ANY (lineage);
    END IF;
    IF d_registered <> 0 OR d_inactive <> 0 THEN
        INSERT INTO subtree_coverage AS c (unit_id, year, registered_units, registered_inactive_units)
        SELECT a, own.year, d_registered, d_inactive
          FROM subtree_coverage own, unnest(lineage) AS a
         WHERE own.unit_id = p_unit AND own.own_registered > 0
        ON CONFLICT (unit_id, year) DO UPDATE SET
            registered_units = c.registered_units + excluded.registered_units,
            registered_inactive_units = c.registered_inactive_units + excluded.registered_inactive_units;
    END IF;
END $$;

CREATE FUNCTION units_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_ids INTEGER[];
    new_ids INTEGER[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO subtree_units (unit_id) VALUES (NEW.id);
        UPDATE subtree_units
           SET units = units + 1,
               expected_units = expected_units + (NEW.expected_to_register AND NEW.active)::int
         WHERE unit_id = ANY (path_ids(NEW.path));
        RETURN NULL;
    END IF;
    IF TG_OP = 'DELETE' THEN
        -- Only a unit with nothing under it and no initiative can be deleted.
        UPDATE subtree_units
           SET units = units - 1,
               expected_units = expected_units - (OLD.expected_to_register AND OLD.active)::int
         WHERE unit_id = ANY (path_ids(OLD.path)) AND unit_id <> OLD.id;
        RETURN NULL;
    END IF;
    -- A move: the unit itself changes parent (its descendants only change path).
    IF NEW.parent_id IS DISTINCT FROM OLD.parent_id THEN
        old_ids := path_ids(OLD.path);
        new_ids := path_ids(NEW.path);
        PERFORM rollup_move_subtree(
            NEW.id,
            ARRAY(SELECT unnest(old_ids[1:cardinality(old_ids) - 1])
                  EXCEPT SELECT unnest(new_ids[1:cardinality(new_ids) - 1])),
            ARRAY(SELECT unnest(new_ids[1:cardinality(new_ids) - 1])
                  EXCEPT SELECT unnest(old_ids[1:cardinality(old_ids) - 1])));
    END IF;
    IF (OLD.expected_to_register, OLD.active) IS DISTINCT FROM (NEW.expected_to_register, NEW.active) THEN
        PERFORM rollup_flags(
            NEW.id, path_ids(NEW.path),
            (NEW.expected_to_register AND NEW.active)::int - (OLD.expected_to_register AND OLD.active)::int,
            NEW.expected_to_register::int - OLD.expected_to_register::int,
            (NEW.expected_to_register AND NOT NEW.active)::int
                - (OLD.expected_to_register AND NOT OLD.active)::int);
    END IF;
    RETURN NULL;
END $$;
-- Named to run after units_move_subtree (triggers fire in name order), so that a move has
-- waited for any transaction still writing initiatives under the unit.
CREATE TRIGGER units_rollup AFTER INSERT OR DELETE OR UPDATE OF parent_id, expected_to_register, active
    ON units FOR EACH ROW EXECUTE FUNCTION units_rollup();

-- Recounts every roll-up from the raw rows (after a bulk load with triggers off, or to
-- repair). Takes a lock so that no change runs meanwhile.
CREATE FUNCTION rebuild_rollups() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    LOCK TABLE units, initiatives IN SHARE MODE;
    TRUNCATE subtree_stats, subtree_coverage, subtree_units, subtree_open_due;

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
                                  AND i.status IN ('registered', 'in_progress')) AS awaiting_report
          FROM initiatives i
         GROUP BY i.unit_id, i.year, i.field
    )
    INSERT INTO subtree_stats (unit_id, year, field, registered, not_started, in_progress,
                               completed, cancelled, estimated_cost_vnd, actual_value_vnd,
                               awaiting_approval, awaiting_acceptance, awaiting_report)
    SELECT a, own.year, own.field, sum(registered), sum(not_started), sum(in_progress),
           sum(completed), sum(cancelled), sum(estimated_cost_vnd), sum(actual_value_vnd),
           sum(awaiting_approval), sum(awaiting_acceptance), sum(awaiting_report)
      FROM own JOIN units u ON u.id = own.unit_id, unnest(path_ids(u.path)) AS a
     GROUP BY a, own.year, own.field;

    WITH own AS (
        SELECT unit_id, year, count(*) AS registered FROM initiatives GROUP BY unit_id, year
    ),
    spread AS (
        SELECT a, own.year, count(*) AS registered_units,
               count(*) FILTER (WHERE NOT u.active) AS registered_inactive_units
          FROM own JOIN units u ON u.id = own.unit_id, unnest(path_ids(u.path)) AS a
         WHERE u.expected_to_register
         GROUP BY a, own.year
    )
    INSERT INTO subtree_coverage (unit_id, year, own_registered, registered_units,
                                  registered_inactive_units)
    SELECT coalesce(own.unit_id, spread.a), coalesce(own.year, spread.year),
           coalesce(own.registered, 0), coalesce(spread.registered_units, 0),
           coalesce(spread.registered_inactive_units, 0)
      FROM own FULL JOIN spread ON spread.a = own.unit_id AND spread.year = own.year;

    WITH own AS (
        SELECT unit_id, year, due_date, count(*) AS open
          FROM initiatives
         WHERE status IN ('registered', 'in_progress')
         GROUP BY unit_id, year, due_date
    )
    INSERT INTO subtree_open_due (unit_id, year, due_date, open)
    SELECT a, own.year, own.due_date, sum(own.open)
      FROM own JOIN units u ON u.id = own.unit_id, unnest(path_ids(u.path)) AS a
     GROUP BY a, own.year, own.due_date;
END $$;

SELECT rebuild_rollups();
