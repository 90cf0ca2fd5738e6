CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;
-- Lower-case text without diacritics, for search indexes (unaccent itself is only STABLE).
CREATE OR REPLACE FUNCTION search_key(t TEXT) RETURNS TEXT
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, t)) $$;

-- Unit pickers, the admin tree and the API find a unit by any part of its name or code,
-- typed with or without diacritics ("dang uy" finds "Đảng ủy"): a trigram index over the
-- folded text answers `search_key(name || ' ' || code) LIKE '%…%'` without reading the
-- whole table. unaccent folds đ/Đ to d, as Vietnamese readers expect.
CREATE INDEX units_search_idx ON units USING GIN (search_key(name || ' ' || code) gin_trgm_ops);

-- Children of one unit in folded-name order (Đ next to D), for drilling down one level at a
-- time with keyset pages.
CREATE INDEX units_parent_name_idx ON units (parent_id, search_key(name), id);

-- Statistics of the indexed expression, so the planner can tell a common word ("chi bo",
-- read in id order until a page is full) from a rare one (read through the index).
ANALYZE units;
