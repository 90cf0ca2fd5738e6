-- The headline figures and coverage of the subtree of unit $1 for each year from $2 to
-- $3 (every year, with zeros where nothing was registered), from the roll-ups; $4 is
-- today, for what is overdue (counted for the last year only: the one the page is about).
-- One query for the dashboard's year, comparison and trend.
SELECT y.year,
       coalesce(s.registered, 0)::bigint          AS registered,
       coalesce(s.not_started, 0)::bigint         AS not_started,
       coalesce(s.in_progress, 0)::bigint         AS in_progress,
       coalesce(s.completed, 0)::bigint           AS completed,
       coalesce(s.cancelled, 0)::bigint           AS cancelled,
       coalesce(s.estimated_cost_vnd, 0)::bigint  AS estimated_cost_vnd,
       coalesce(s.actual_value_vnd, 0)::bigint    AS actual_value_vnd,
       coalesce(s.awaiting_approval, 0)::bigint   AS awaiting_approval,
       coalesce(s.awaiting_acceptance, 0)::bigint AS awaiting_acceptance,
       coalesce(s.awaiting_report, 0)::bigint     AS awaiting_report,
       coalesce(o.overdue, 0)::bigint             AS overdue,
       (su.expected_units + coalesce(cv.registered_inactive_units, 0))::bigint AS expected_units,
       coalesce(cv.registered_units, 0)::bigint   AS registered_units
  FROM generate_series($2::integer, $3::integer) AS y(year)
  CROSS JOIN (SELECT coalesce((SELECT expected_units FROM subtree_units WHERE unit_id = $1), 0)
                     AS expected_units) su
  LEFT JOIN LATERAL (
        SELECT sum(registered) AS registered, sum(not_started) AS not_started,
               sum(in_progress) AS in_progress, sum(completed) AS completed,
               sum(cancelled) AS cancelled, sum(estimated_cost_vnd) AS estimated_cost_vnd,
               sum(actual_value_vnd) AS actual_value_vnd,
               sum(awaiting_approval) AS awaiting_approval,
               sum(awaiting_acceptance) AS awaiting_acceptance,
               sum(awaiting_report) AS awaiting_report
          FROM subtree_stats
         WHERE unit_id = $1 AND year = y.year
       ) s ON TRUE
  LEFT JOIN LATERAL (
        SELECT sum(open) AS overdue
          FROM subtree_open_due
         WHERE unit_id = $1 AND year = y.year AND y.year = $3 AND due_date < $4
       ) o ON TRUE
  LEFT JOIN subtree_coverage cv ON cv.unit_id = $1 AND cv.year = y.year
 ORDER BY y.year
