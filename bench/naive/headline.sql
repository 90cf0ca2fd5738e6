-- The pre-roll-up query, as of commit 43e733f (src/store/sql/headline.sql): counted from the raw
-- rows over the subtree on every request. Kept here for bench/run.sh to compare against.
-- The headline figures for the subtree of unit $1 in year $2; $3 is today (for overdue).
-- Completed means accepted by a reviewer (the database keeps the two together).
SELECT count(*)::bigint                                                      AS registered,
       count(*) FILTER (WHERE i.status = 'registered')::bigint               AS not_started,
       count(*) FILTER (WHERE i.status = 'in_progress')::bigint              AS in_progress,
       count(*) FILTER (WHERE i.status = 'completed')::bigint                AS completed,
       count(*) FILTER (WHERE i.status = 'cancelled')::bigint                AS cancelled,
       coalesce(sum(i.estimated_cost_vnd), 0)::bigint                        AS estimated_cost_vnd,
       coalesce(sum(i.actual_value_vnd) FILTER (WHERE i.status = 'completed'), 0)::bigint
                                                                             AS actual_value_vnd,
       count(*) FILTER (WHERE i.review = 'pending_approval')::bigint         AS awaiting_approval,
       count(*) FILTER (WHERE i.review = 'pending_acceptance')::bigint       AS awaiting_acceptance,
       count(*) FILTER (WHERE i.due_date < $3
                          AND i.status IN ('registered', 'in_progress'))::bigint AS overdue
  FROM initiatives i
  JOIN units u ON u.id = i.unit_id
 WHERE i.year = $2
   AND u.path <@ (SELECT path FROM units WHERE id = $1)
