-- How to reach an account's holder (the notifications of a later change write to the e-mail).
-- Both optional; stored as domain::account normalizes them, and checked again here so an
-- import or a script cannot store another form. E-mail is not unique: a unit's code is its
-- secretary's username, so one person holding two posts has two accounts and one address.
ALTER TABLE users
    ADD COLUMN phone TEXT CHECK (phone ~ '^\+?[0-9]{9,15}$'),
    ADD COLUMN email TEXT CHECK (
        length(email) <= 254
        AND email = lower(email)
        AND email ~ '^[^@[:space:]]+@[^@[:space:].]+(\.[^@[:space:].]+)+$'
    );

-- The admin list finds an account by any part of its holder's name or its username, typed
-- with or without diacritics, through a trigram index (as units_search_idx for units).
CREATE INDEX users_search_idx ON users USING GIN (search_key(display_name || ' ' || username) gin_trgm_ops);
