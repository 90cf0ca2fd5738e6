-- The headline figures for the subtree of unit $1 in year $2, read from the roll-ups;
-- $3 is today, for what is overdue. Completed means accepted by a reviewer.
SELECT coalesce(sum(s.registered), 0)::bigint          AS registered,
       coalesce(sum(s.not_started), 0)::bigint         AS not_started,
       coalesce(sum(s.in_progress), 0)::bigint         AS in_progress,
       coalesce(sum(s.completed), 0)::bigint           AS completed,
       coalesce(sum(s.cancelled), 0)::bigint           AS cancelled,
       coalesce(sum(s.estimated_cost_vnd), 0)::bigint  AS estimated_cost_vnd,
       coalesce(sum(s.actual_value_vnd), 0)::bigint    AS actual_value_vnd,
       coalesce(sum(s.awaiting_approval), 0)::bigint   AS awaiting_approval,
       coalesce(sum(s.awaiting_acceptance), 0)::bigint AS awaiting_acceptance,
       coalesce(sum(s.awaiting_report), 0)::bigint     AS awaiting_report,
       (SELECT coalesce(sum(o.open), 0)::bigint
          FROM subtree_open_due o
         WHERE o.unit_id = $1 AND o.year = $2 AND o.due_date < $3) AS overdue
  FROM subtree_stats s
 WHERE s.unit_id = $1
   AND s.year = $2
