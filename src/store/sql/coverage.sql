-- Coverage for the subtree of unit $1 in year $2, from the roll-ups: the units expected
-- to register (active ones, and those since dissolved or merged that registered that
-- year), and how many of them registered at least one initiative.
SELECT (coalesce((SELECT expected_units FROM subtree_units WHERE unit_id = $1), 0)
        + coalesce((SELECT registered_inactive_units FROM subtree_coverage
                     WHERE unit_id = $1 AND year = $2), 0))::bigint AS expected_units,
       coalesce((SELECT registered_units FROM subtree_coverage WHERE unit_id = $1 AND year = $2), 0)::bigint
           AS registered_units
