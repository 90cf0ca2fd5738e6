-- Roll-ups at national scale: writers that never deadlock on the roll-ups and do not
-- queue on one national row.
--
-- Before, a row trigger added each changed initiative to the rows of its unit and of every
-- unit above it at once, row by row: every registration in the country waited on the same
-- root rows until it committed, an update subtracted and re-added even what had not
-- changed, and a committee and its cell took the same rows in opposite orders.
--
-- Now:
-- 1. Statement triggers on `initiatives` only note what changed (`rollup_pending`, one
--    row per changed initiative and side) and take a share lock on the units concerned.
-- 2. At commit, a deferred trigger folds the transaction's notes into net changes per
--    (ancestor, year, field…), drops the ones that cancel out, and applies them in one
--    statement per table, in key order, tables always in the same order (unit_registered,
--    rollup_stats, rollup_coverage, rollup_open_due). Every transaction that writes
--    initiatives, however many statements it ran (an import, a merge, a carry-over),
--    takes its roll-up locks once, in one global order: two of them cannot deadlock there.
-- 3. The two busiest levels, the root and the provinces, keep each figure in 16 slots
--    (rollup_apply_pending's `hot`);
--    a transaction adds to the slot of its transaction id, so concurrent writers rarely
--    meet on a row. Readers sum the slots (the `subtree_*` views below).
-- The figures stay exact at every moment a reader can see: the changes apply inside the
-- writer's own transaction, before its commit becomes visible.
--
-- Changes to the tree itself (a unit moved, merged, (de)activated) are noted the same way
-- (`rollup_pending_tree`) by row triggers on `units`, after they have waited for the
-- writers below the unit (rollup_lock_subtree); only the tree's own counts
-- (`subtree_units`, which no initiative touches) are written at once.

DROP TRIGGER initiatives_rollup ON initiatives;
DROP FUNCTION initiatives_rollup();
DROP FUNCTION rollup_initiative(INTEGER, INTEGER, TEXT, TEXT, TEXT, BIGINT, BIGINT, DATE, INTEGER);
DROP TRIGGER units_rollup ON units;
DROP FUNCTION units_rollup();
DROP FUNCTION rollup_flags(INTEGER, INTEGER[], INTEGER, INTEGER, INTEGER);
DROP FUNCTION rollup_move_subtree(INTEGER, INTEGER[], INTEGER[]);
DROP FUNCTION rebuild_rollups();
DROP TABLE subtree_stats, subtree_coverage, subtree_open_due;

-- The roll-up tables have no foreign key to `units`: a key check would share-lock the unit
-- row of every ancestor a commit adds a row for, and so make commits wait on (and
-- deadlock with) an administrator's merge or move. A unit can only be deleted when
-- nothing is under it; its rows go with it (units_rollup).


-- The figures per unit (subtree), year and field, in slots.
CREATE TABLE rollup_stats (
    unit_id             INTEGER NOT NULL,
    year                INTEGER NOT NULL,
    field               TEXT NOT NULL,
    slot                SMALLINT NOT NULL DEFAULT 0,
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
    -- Returned to the secretary for a correction (the secretaries' badge).
    returned            BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (unit_id, year, field, slot)
);

-- How many initiatives each unit registered itself in a year: its first one (or the
-- removal of its last) changes the coverage of everything above it.
CREATE TABLE unit_registered (
    unit_id     INTEGER NOT NULL,
    year        INTEGER NOT NULL,
    initiatives BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (unit_id, year)
);

-- Coverage per unit (subtree) and year, in slots: how many units of the subtree expected
-- to register have registered at least one initiative. A unit that registered in a year
-- and was later dissolved or merged still counts for that year (as expected and
-- registered: `registered_inactive_units`), so a past year's coverage stays as reported.
CREATE TABLE rollup_coverage (
    unit_id                   INTEGER NOT NULL,
    year                      INTEGER NOT NULL,
    slot                      SMALLINT NOT NULL DEFAULT 0,
    registered_units          BIGINT NOT NULL DEFAULT 0,
    registered_inactive_units BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (unit_id, year, slot)
);

-- Unfinished initiatives per unit (subtree), year and due date, in slots, so "overdue
-- today" is a sum over the due dates before today.
CREATE TABLE rollup_open_due (
    unit_id  INTEGER NOT NULL,
    year     INTEGER NOT NULL,
    due_date DATE NOT NULL,
    slot     SMALLINT NOT NULL DEFAULT 0,
    open     BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (unit_id, year, due_date, slot)
);

-- Room on each page, so that the constant updates of these small rows stay HOT (no new
-- index entry): the columns they change are in no index.
ALTER TABLE rollup_stats SET (fillfactor = 70);
ALTER TABLE unit_registered SET (fillfactor = 70);
ALTER TABLE rollup_coverage SET (fillfactor = 70);
ALTER TABLE rollup_open_due SET (fillfactor = 70);

-- What the readers use: the slots summed. A condition on the key columns is pushed
-- down into the view, so a reader still reads only the unit's rows.
CREATE VIEW subtree_stats AS
SELECT unit_id, year, field,
       sum(registered)::bigint          AS registered,
       sum(not_started)::bigint         AS not_started,
       sum(in_progress)::bigint         AS in_progress,
       sum(completed)::bigint           AS completed,
       sum(cancelled)::bigint           AS cancelled,
       sum(estimated_cost_vnd)::bigint  AS estimated_cost_vnd,
       sum(actual_value_vnd)::bigint    AS actual_value_vnd,
       sum(awaiting_approval)::bigint   AS awaiting_approval,
       sum(awaiting_acceptance)::bigint AS awaiting_acceptance,
       sum(awaiting_report)::bigint     AS awaiting_report,
       sum(returned)::bigint            AS returned
  FROM rollup_stats
 GROUP BY unit_id, year, field;

CREATE VIEW subtree_coverage AS
SELECT unit_id, year,
       sum(registered_units)::bigint          AS registered_units,
       sum(registered_inactive_units)::bigint AS registered_inactive_units
  FROM rollup_coverage
 GROUP BY unit_id, year;

CREATE VIEW subtree_open_due AS
SELECT unit_id, year, due_date, sum(open)::bigint AS open
  FROM rollup_open_due
 GROUP BY unit_id, year, due_date;

-- The notes of transactions in flight: each transaction sees only its own (no other
-- transaction ever commits one), and removes them when it applies them at commit.
-- Unlogged: a note never outlives its transaction, so it needs no crash safety.
CREATE UNLOGGED TABLE rollup_pending (
    xact               XID8 NOT NULL DEFAULT pg_current_xact_id(),
    unit_id            INTEGER NOT NULL,
    year               INTEGER NOT NULL,
    field              TEXT NOT NULL,
    status             TEXT NOT NULL,
    review             TEXT NOT NULL,
    estimated_cost_vnd BIGINT NOT NULL,
    actual_value_vnd   BIGINT,
    due_date           DATE NOT NULL,
    -- 1: the initiative's new state counts; -1: its old state no longer does.
    sign               INTEGER NOT NULL
);
CREATE INDEX rollup_pending_xact ON rollup_pending (xact);
-- Every note is deleted at its commit: vacuum the dead ones often. The plans below look
-- units up one by one (OFFSET 0), so that no estimate of how many notes there are (the
-- table looks large while it holds dead rows) makes them read all the units instead.
ALTER TABLE rollup_pending SET (autovacuum_vacuum_threshold = 1000,
                                autovacuum_vacuum_scale_factor = 0,
                                autovacuum_vacuum_cost_delay = 0);

-- Statement triggers: note the changed rows. They take no lock of their own: a change of
-- the tree locks what it needs (rollup_lock_subtree), and the foreign-key check of a new
-- or moved initiative already key-share-locks its unit.
CREATE FUNCTION initiatives_note_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO rollup_pending (unit_id, year, field, status, review, estimated_cost_vnd,
                                actual_value_vnd, due_date, sign)
    SELECT unit_id, year, field, status, review, estimated_cost_vnd, actual_value_vnd,
           due_date, 1
      FROM new_rows;
    RETURN NULL;
END $$;

CREATE FUNCTION initiatives_note_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO rollup_pending (unit_id, year, field, status, review, estimated_cost_vnd,
                                actual_value_vnd, due_date, sign)
    SELECT unit_id, year, field, status, review, estimated_cost_vnd, actual_value_vnd,
           due_date, -1
      FROM old_rows;
    RETURN NULL;
END $$;

-- Only rows whose counted columns changed are noted (a title edit notes nothing).
CREATE FUNCTION initiatives_note_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO rollup_pending (unit_id, year, field, status, review, estimated_cost_vnd,
                                actual_value_vnd, due_date, sign)
    SELECT side.*
      FROM old_rows o
      JOIN new_rows n ON n.id = o.id
     CROSS JOIN LATERAL (VALUES
           (o.unit_id, o.year, o.field, o.status, o.review, o.estimated_cost_vnd,
            o.actual_value_vnd, o.due_date, -1),
           (n.unit_id, n.year, n.field, n.status, n.review, n.estimated_cost_vnd,
            n.actual_value_vnd, n.due_date, 1)) AS side
     WHERE (o.unit_id, o.year, o.field, o.status, o.review, o.estimated_cost_vnd,
            o.actual_value_vnd, o.due_date)
           IS DISTINCT FROM
           (n.unit_id, n.year, n.field, n.status, n.review, n.estimated_cost_vnd,
            n.actual_value_vnd, n.due_date);
    RETURN NULL;
END $$;

CREATE TRIGGER initiatives_note_inserted AFTER INSERT ON initiatives
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION initiatives_note_inserted();
CREATE TRIGGER initiatives_note_updated AFTER UPDATE ON initiatives
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION initiatives_note_updated();
CREATE TRIGGER initiatives_note_deleted AFTER DELETE ON initiatives
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION initiatives_note_deleted();

-- Changes of the tree noted for commit: explicit changes to the rows of `unit_id` (a
-- unit above a moved subtree, or above a unit whose flags changed), in the same shape as
-- the roll-up rows: `kind` says which table ('stats': per field, 'coverage', 'due': per
-- due date).
CREATE UNLOGGED TABLE rollup_pending_tree (
    xact                      XID8 NOT NULL DEFAULT pg_current_xact_id(),
    kind                      TEXT NOT NULL CHECK (kind IN ('stats', 'coverage', 'due')),
    unit_id                   INTEGER NOT NULL,
    year                      INTEGER NOT NULL,
    field                     TEXT,
    due_date                  DATE,
    registered                BIGINT NOT NULL DEFAULT 0,
    not_started               BIGINT NOT NULL DEFAULT 0,
    in_progress               BIGINT NOT NULL DEFAULT 0,
    completed                 BIGINT NOT NULL DEFAULT 0,
    cancelled                 BIGINT NOT NULL DEFAULT 0,
    estimated_cost_vnd        BIGINT NOT NULL DEFAULT 0,
    actual_value_vnd          BIGINT NOT NULL DEFAULT 0,
    awaiting_approval         BIGINT NOT NULL DEFAULT 0,
    awaiting_acceptance       BIGINT NOT NULL DEFAULT 0,
    awaiting_report           BIGINT NOT NULL DEFAULT 0,
    returned                  BIGINT NOT NULL DEFAULT 0,
    registered_units          BIGINT NOT NULL DEFAULT 0,
    registered_inactive_units BIGINT NOT NULL DEFAULT 0,
    open                      BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX rollup_pending_tree_xact ON rollup_pending_tree (xact, kind, unit_id);
ALTER TABLE rollup_pending_tree SET (autovacuum_vacuum_threshold = 1000,
                                     autovacuum_vacuum_scale_factor = 0,
                                     autovacuum_vacuum_cost_delay = 0);

-- Applies this transaction's notes: the net change per key, zero changes dropped, in key
-- order, one statement per table in the one table order. Runs at commit (the deferred
-- triggers below); later firings in the same transaction find nothing left to do.
CREATE FUNCTION rollup_apply_pending() RETURNS void LANGUAGE plpgsql AS $$
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

CREATE FUNCTION rollup_pending_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM rollup_apply_pending();
    RETURN NULL;
END $$;
-- Fire at commit, once per note; the first firing applies them all.
CREATE CONSTRAINT TRIGGER rollup_pending_apply AFTER INSERT ON rollup_pending
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION rollup_pending_apply();
CREATE CONSTRAINT TRIGGER rollup_pending_tree_apply AFTER INSERT ON rollup_pending_tree
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION rollup_pending_apply();

-- Before the tree changes under `p_unit` (a move of its subtree, a change of its flags),
-- waits for every transaction still writing initiatives there, and holds off new ones
-- until this one commits, so that the figures it moves are final and a writer applies
-- its change either before (to the old place) or after (to the new one):
-- the units FOR UPDATE conflict with the key-share lock that registering (or moving an
-- initiative into the subtree) takes; the initiatives FOR SHARE with any update or
-- delete of one. A merge or move takes these locks first of all (store::units), before
-- it holds any roll-up row, so that no writer can be waiting for its rows meanwhile.
CREATE FUNCTION rollup_lock_subtree(p_unit INTEGER, whole_subtree BOOLEAN)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    top LTREE := (SELECT path FROM units WHERE id = p_unit);
BEGIN
    IF whole_subtree THEN
        PERFORM 1 FROM units WHERE path <@ top ORDER BY id FOR UPDATE;
        PERFORM 1 FROM initiatives
         WHERE unit_id IN (SELECT id FROM units WHERE path <@ top)
         ORDER BY id FOR SHARE;
    ELSE
        PERFORM 1 FROM units WHERE id = p_unit FOR UPDATE;
        PERFORM 1 FROM initiatives WHERE unit_id = p_unit ORDER BY id FOR SHARE;
    END IF;
END $$;

-- Moves a unit's whole subtree contribution from the units in `removed` to those in
-- `added` (ancestors it leaves and ancestors it joins), as notes applied at commit with
-- everything else, so that this transaction too takes its roll-up rows once, in order.
-- What moves is what the unit's rows hold plus what this transaction has already noted
-- for them (an earlier move in the same transaction); what it has noted for initiatives
-- below follows the unit's new place at commit by itself.
CREATE FUNCTION rollup_move_subtree(p_unit INTEGER, removed INTEGER[], added INTEGER[])
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    me CONSTANT XID8 := pg_current_xact_id();
BEGIN
    INSERT INTO rollup_pending_tree (kind, unit_id, year, field, registered, not_started,
                                     in_progress, completed, cancelled, estimated_cost_vnd,
                                     actual_value_vnd, awaiting_approval, awaiting_acceptance,
                                     awaiting_report, returned)
    SELECT 'stats', t.a, x.year, x.field, t.sign * sum(x.registered), t.sign * sum(x.not_started),
           t.sign * sum(x.in_progress), t.sign * sum(x.completed), t.sign * sum(x.cancelled),
           t.sign * sum(x.estimated_cost_vnd), t.sign * sum(x.actual_value_vnd),
           t.sign * sum(x.awaiting_approval), t.sign * sum(x.awaiting_acceptance),
           t.sign * sum(x.awaiting_report), t.sign * sum(x.returned)
      FROM (SELECT year, field, registered, not_started, in_progress, completed, cancelled,
                   estimated_cost_vnd, actual_value_vnd, awaiting_approval, awaiting_acceptance,
                   awaiting_report, returned
              FROM rollup_stats WHERE unit_id = p_unit
            UNION ALL
            SELECT year, field, registered, not_started, in_progress, completed, cancelled,
                   estimated_cost_vnd, actual_value_vnd, awaiting_approval, awaiting_acceptance,
                   awaiting_report, returned
              FROM rollup_pending_tree WHERE xact = me AND kind = 'stats' AND unit_id = p_unit) x,
           (SELECT unnest(removed) AS a, -1 AS sign UNION ALL SELECT unnest(added), 1) AS t
     GROUP BY t.a, t.sign, x.year, x.field;

    INSERT INTO rollup_pending_tree (kind, unit_id, year, registered_units,
                                     registered_inactive_units)
    SELECT 'coverage', t.a, x.year, t.sign * sum(x.registered_units),
           t.sign * sum(x.registered_inactive_units)
      FROM (SELECT year, registered_units, registered_inactive_units
              FROM rollup_coverage WHERE unit_id = p_unit
            UNION ALL
            SELECT year, registered_units, registered_inactive_units
              FROM rollup_pending_tree WHERE xact = me AND kind = 'coverage' AND unit_id = p_unit) x,
           (SELECT unnest(removed) AS a, -1 AS sign UNION ALL SELECT unnest(added), 1) AS t
     GROUP BY t.a, t.sign, x.year;

    INSERT INTO rollup_pending_tree (kind, unit_id, year, due_date, open)
    SELECT 'due', t.a, x.year, x.due_date, t.sign * sum(x.open)
      FROM (SELECT year, due_date, open FROM rollup_open_due WHERE unit_id = p_unit
            UNION ALL
            SELECT year, due_date, open
              FROM rollup_pending_tree WHERE xact = me AND kind = 'due' AND unit_id = p_unit) x,
           (SELECT unnest(removed) AS a, -1 AS sign UNION ALL SELECT unnest(added), 1) AS t
     GROUP BY t.a, t.sign, x.year, x.due_date;

    -- The tree's own counts change only with the tree: written at once.
    INSERT INTO subtree_units AS u (unit_id, units, expected_units)
    SELECT t.a, t.sign * x.units, t.sign * x.expected_units
      FROM subtree_units x,
           (SELECT unnest(removed) AS a, -1 AS sign UNION ALL SELECT unnest(added), 1) AS t
     WHERE x.unit_id = p_unit
     ORDER BY t.a
    ON CONFLICT (unit_id) DO UPDATE SET units = u.units + excluded.units,
                                        expected_units = u.expected_units + excluded.expected_units;
END $$;

-- A unit's flags changed: coverage counts, for every year the unit registered in, the
-- expected ones (and among them the inactive ones), noted for commit; `expected_units`
-- counts the active units expected to register.
CREATE FUNCTION rollup_flags(p_unit INTEGER, lineage INTEGER[], d_expected INTEGER,
                             d_registered INTEGER, d_inactive INTEGER)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF d_registered <> 0 OR d_inactive <> 0 THEN
        INSERT INTO rollup_pending_tree (kind, unit_id, year, registered_units,
                                         registered_inactive_units)
        SELECT 'coverage', a, own.year, d_registered, d_inactive
          FROM unit_registered own, unnest(lineage) AS a
         WHERE own.unit_id = p_unit AND own.initiatives > 0;
    END IF;
    IF d_expected <> 0 THEN
        UPDATE subtree_units SET expected_units = expected_units + d_expected
         WHERE unit_id IN (SELECT unnest(lineage) ORDER BY 1);
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
        DELETE FROM rollup_stats WHERE unit_id = OLD.id;
        DELETE FROM unit_registered WHERE unit_id = OLD.id;
        DELETE FROM rollup_coverage WHERE unit_id = OLD.id;
        DELETE FROM rollup_open_due WHERE unit_id = OLD.id;
        UPDATE subtree_units
           SET units = units - 1,
               expected_units = expected_units - (OLD.expected_to_register AND OLD.active)::int
         WHERE unit_id = ANY (path_ids(OLD.path)) AND unit_id <> OLD.id;
        RETURN NULL;
    END IF;
    -- A move: the unit itself changes parent (its descendants only change path).
    IF NEW.parent_id IS DISTINCT FROM OLD.parent_id THEN
        PERFORM rollup_lock_subtree(NEW.id, TRUE);
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
        PERFORM rollup_lock_subtree(NEW.id, FALSE);
        PERFORM rollup_flags(
            NEW.id, path_ids(NEW.path),
            (NEW.expected_to_register AND NEW.active)::int - (OLD.expected_to_register AND OLD.active)::int,
            NEW.expected_to_register::int - OLD.expected_to_register::int,
            (NEW.expected_to_register AND NOT NEW.active)::int
                - (OLD.expected_to_register AND NOT OLD.active)::int);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER units_rollup AFTER INSERT OR DELETE OR UPDATE OF parent_id, expected_to_register, active
    ON units FOR EACH ROW EXECUTE FUNCTION units_rollup();

-- Recounts every roll-up from the raw rows (after a bulk load with triggers off, or to
-- repair), into slot 0. Takes a lock so that no change runs meanwhile.
CREATE FUNCTION rebuild_rollups() RETURNS void LANGUAGE plpgsql AS $$
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
         GROUP BY unit_id, year, due_date
    )
    INSERT INTO rollup_open_due (unit_id, year, due_date, open)
    SELECT a, own.year, own.due_date, sum(own.open)
      FROM own JOIN units u ON u.id = own.unit_id, unnest(path_ids(u.path)) AS a
     GROUP BY a, own.year, own.due_date;
END $$;

SELECT rebuild_rollups();
