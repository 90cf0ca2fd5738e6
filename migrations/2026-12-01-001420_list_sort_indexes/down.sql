DROP INDEX units_name_idx;
DROP INDEX initiatives_list_updated_idx;
DROP INDEX initiatives_list_due_idx;
DROP INDEX initiatives_list_status_idx;
DROP INDEX initiatives_list_value_idx;
DROP INDEX initiatives_list_cost_idx;
DROP INDEX initiatives_list_title_idx;
DROP INDEX initiatives_list_newest_idx;
