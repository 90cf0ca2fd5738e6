-- Every initiative of year $2 in the subtree of unit $1 (which must lie under unit $3,
-- the scope's top: the unit itself when the scope is everything), in the annual
-- summary's order: the children of a unit in the order of by_child.sql (kind, then name
-- without diacritics, then id), each child's subtree together and depth first, a unit's
-- own initiatives after its children's (its "(trực tiếp)" row comes last in the
-- summary), and within a unit by reference with its number read as a number (MH-3
-- before MH-12).
--
-- Each unit's place is the chain of its ancestors' positions among their siblings, as
-- bytes (big-endian, so they compare as numbers), ended by a mark above any position so
-- that the unit's own rows follow its children's; the units are numbered in that order
-- once. The walk costs the subtree's units (times its depth), never the initiatives;
-- the one sort of initiatives is of the rows exported, by that number and the reference.
WITH RECURSIVE ranked AS MATERIALIZED (
    SELECT u.id, u.parent_id, u.code, u.name,
           int4send(row_number() OVER (
               PARTITION BY u.parent_id
               ORDER BY CASE u.kind
                            WHEN 'province_committee' THEN 1 WHEN 'bloc_committee' THEN 2
                            WHEN 'grassroots_committee' THEN 3 WHEN 'grassroots_cell' THEN 4
                            WHEN 'attached_cell' THEN 5 ELSE 6 END,
                        lower(unaccent(u.name)), u.id
           )::integer) AS position
      FROM units u
     WHERE u.path <@ (SELECT path FROM units WHERE id = $1)
), tree AS (
    SELECT u.id, u.code, u.name, ''::bytea AS place
      FROM units u
     WHERE u.id = $1
       AND u.path <@ (SELECT path FROM units WHERE id = $3)
    UNION ALL
    SELECT r.id, r.code, r.name, t.place || r.position
      FROM tree t
      JOIN ranked r ON r.parent_id = t.id
), ordered AS (
    SELECT id, code, name, row_number() OVER (ORDER BY place || int4send(2147483647)) AS ordinal
      FROM tree
)
SELECT i.id, i.year, i.kind, i.title, i.field, i.description, i.unit_id,
       i.estimated_cost_vnd, i.actual_value_vnd, i.status, i.start_date, i.due_date,
       i.completion_date, i.created_by, i.updated_by, i.created_at, i.updated_at,
       i.version, i.review, i.review_changed_at, i.review_note, i.result_summary,
       i.carried_from_id, i.reference,
       t.code AS unit_code,
       t.name AS unit_name
  FROM ordered t
  JOIN initiatives i ON i.unit_id = t.id AND i.year = $2
 ORDER BY t.ordinal,
          substring(i.reference FROM '^\D*'),
          length(substring(i.reference FROM '\d+')),
          substring(i.reference FROM '\d+'),
          i.reference,
          i.id
