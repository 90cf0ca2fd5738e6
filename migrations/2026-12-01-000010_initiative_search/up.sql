CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;
-- Lower-case text without diacritics, for search indexes (unaccent itself is only STABLE).
CREATE OR REPLACE FUNCTION search_key(t TEXT) RETURNS TEXT
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, t)) $$;

-- The list's search (src/store/initiative_list.rs): a substring of an initiative's
-- title, description or reference, or of its unit's name or code, with or without
-- diacritics. Trigram indexes answer `search_key(...) LIKE '%…%'` without reading every
-- row; the expressions here must stay the same as the ones the queries use. The units'
-- index is units_search_idx (migration ..._unit_search), shared with the unit pickers.
CREATE INDEX initiatives_search_idx ON initiatives
    USING gin (search_key(title || ' ' || description || ' ' || reference) gin_trgm_ops);

-- A page of a subtree is read through the subtree's units and sorted by id
-- (src/store/initiative_list.rs): this index gives each unit's initiative ids with the
-- columns the list filters on, without reading the table. It replaces the index on
-- unit_id alone, which it covers.
CREATE INDEX initiatives_unit_list_idx ON initiatives (unit_id, id)
    INCLUDE (year, status, field, kind);
DROP INDEX initiatives_unit_idx;

-- The inboxes page by (review_changed_at, id) within one review state: over the whole
-- tree in the order of the first index, inside a subtree through its units with the
-- second. Both hold only the rows that wait for someone.
CREATE INDEX initiatives_review_keyset_idx ON initiatives (review, review_changed_at, id)
    WHERE review IN ('pending_approval', 'returned_registration',
                     'pending_acceptance', 'returned_completion');
CREATE INDEX initiatives_review_unit_idx ON initiatives (unit_id, review, review_changed_at, id)
    WHERE review IN ('pending_approval', 'returned_registration',
                     'pending_acceptance', 'returned_completion');
DROP INDEX initiatives_review_idx;
