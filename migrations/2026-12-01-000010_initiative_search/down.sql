-- search_key() and the extensions belong to the unit search's migration as well: kept.
CREATE INDEX initiatives_review_idx ON initiatives (review, review_changed_at)
    WHERE review IN ('pending_approval', 'returned_registration',
                     'pending_acceptance', 'returned_completion');
DROP INDEX initiatives_review_unit_idx;
DROP INDEX initiatives_review_keyset_idx;
CREATE INDEX initiatives_unit_idx ON initiatives (unit_id);
DROP INDEX initiatives_unit_list_idx;
DROP INDEX initiatives_search_idx;
