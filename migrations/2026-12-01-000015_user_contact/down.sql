DROP INDEX users_search_idx;
ALTER TABLE users DROP COLUMN email, DROP COLUMN phone;
