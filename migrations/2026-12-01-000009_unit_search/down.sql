DROP INDEX units_parent_name_idx;
DROP INDEX units_search_idx;
-- search_key and the extensions stay: the initiatives' search index uses them too.
