-- The walk down the subtree of unit $1 that the dashboard's follow-up lists take
-- (store::stats puts this text before missing_units.sql, not_reported.sql or
-- overdue.sql). It goes from a unit down to each child `c` for which the list's
-- condition holds, so that its cost follows what is owed, not the size of the tree.
-- The list's file goes on from here: its WHERE on `c` (a scalar sum over the child's
-- roll-up slots read by the child's key: an EXISTS over the summing view would be
-- planned as a join with every unit's sums), `)` to close the walk, then its SELECT
-- over the units walked (`walk`).
WITH RECURSIVE walk AS (
    SELECT u.id FROM units u WHERE u.id = $1
    UNION ALL
    SELECT c.id
      FROM walk w
      JOIN units c ON c.parent_id = w.id
