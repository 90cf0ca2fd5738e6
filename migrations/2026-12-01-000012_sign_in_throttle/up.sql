-- Failed and throttled sign-ins (src/store/sign_ins.rs): what the sign-in throttle
-- counts, per account and per client address, and what admins read on /admin/sign-ins.
-- Kept in PostgreSQL so that every application node counts the same attempts. The
-- application deletes rows older than a few days as it writes new ones.
CREATE TABLE sign_in_events (
    id          BIGSERIAL PRIMARY KEY,
    at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- The username as typed, trimmed and lower-cased, whether or not an account has it.
    username    TEXT NOT NULL CHECK (char_length(username) <= 100),
    -- The client's address, as the application believes it (see TRUSTED_PROXIES).
    address     TEXT NOT NULL CHECK (char_length(address) <= 64),
    -- What the address throttle counts: the address itself, or its /64 for IPv6 (one
    -- client usually holds a whole /64).
    address_key TEXT NOT NULL CHECK (char_length(address_key) <= 64),
    outcome     TEXT NOT NULL CHECK (outcome IN ('failure', 'throttled')),
    -- The owner signed in afterwards: the account's throttle no longer counts this
    -- failure (the address's still does).
    cleared     BOOLEAN NOT NULL DEFAULT false
);
-- The throttle reads one key's last fifteen minutes or so.
CREATE INDEX sign_in_events_username_idx ON sign_in_events (username, at);
CREATE INDEX sign_in_events_address_idx ON sign_in_events (address_key, at);
-- Old rows are deleted oldest first, a few at a time.
CREATE INDEX sign_in_events_at_idx ON sign_in_events (at);
