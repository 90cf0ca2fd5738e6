-- The initiatives list sorted on any column (issue 14), read by keyset one year at a
-- time: each sort reads one range of its (year, column, id) index for a page over the
-- whole tree, and stops after the page. Inside a subtree the list reads the subtree's own
-- rows (initiatives_unit_list_idx, initiatives_year_unit_idx) and sorts them, so these
-- indexes serve the whole tree. The value sorts as the list shows it: none yet below 0.
CREATE INDEX initiatives_list_newest_idx ON initiatives (year, id);
CREATE INDEX initiatives_list_title_idx ON initiatives (year, title, id);
CREATE INDEX initiatives_list_cost_idx ON initiatives (year, estimated_cost_vnd, id);
CREATE INDEX initiatives_list_value_idx ON initiatives (year, (COALESCE(actual_value_vnd, -1)), id);
CREATE INDEX initiatives_list_status_idx ON initiatives (year, status, id);
CREATE INDEX initiatives_list_due_idx ON initiatives (year, due_date, id);
CREATE INDEX initiatives_list_updated_idx ON initiatives (year, updated_at, id);
-- In unit order the units are walked by name and each one's initiatives of the year
-- taken from initiatives_year_unit_idx.
CREATE INDEX units_name_idx ON units (name, id);
