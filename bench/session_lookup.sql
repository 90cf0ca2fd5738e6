-- The per-request session lookup before and after server-side sessions, on 10,000
-- accounts and 100,000 sessions. Run on a freshly migrated, EMPTY scratch database
-- (it adds rows and does not remove them):
--   lamtheobac migrate && psql "$DATABASE_URL" -f bench/session_lookup.sql
-- The statements are the ones diesel sends (prepared; run 6 times first so the plan
-- is the one a pooled connection keeps).
\set ON_ERROR_STOP on
INSERT INTO units (code, name, kind, path, expected_to_register, active)
    VALUES ('DO', 'Đơn vị đo', 'province_committee', '1', false, true);
INSERT INTO users (username, display_name, password_hash, role, unit_id, active)
    SELECT 'user' || g, 'Người dùng ' || g, '$argon2id$x', 'secretary',
           (SELECT min(id) FROM units), g % 50 <> 0
      FROM generate_series(1, 10000) g;
-- Last seen 0–119 minutes ago (a quarter of them alive), begun 6–12 hours ago.
INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, user_agent, ip)
    SELECT sha256(('token-' || g)::bytea), (SELECT min(id) FROM users) + (g % 10000),
           now() - interval '6 hours' - (g % 360) * interval '1 minute',
           now() - (g % 120) * interval '1 minute',
           'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0', '10.0.' || (g % 250) || '.' || (g % 200)
      FROM generate_series(1, 100000) g;
VACUUM ANALYZE users;
VACUUM ANALYZE sessions;

PREPARE before_q(int, bool) AS
    SELECT "users"."id", "users"."username", "users"."display_name", "users"."password_hash",
           "users"."role", "users"."unit_id", "users"."active"
      FROM "users" WHERE (("users"."id" = $1) AND ("users"."active" = $2)) LIMIT 1;
PREPARE after_q(bytea, bool, timestamptz, timestamptz) AS
    SELECT "sessions"."id", "sessions"."last_seen_at", "users"."id", "users"."username",
           "users"."display_name", "users"."role", "users"."unit_id", "users"."must_change_password"
      FROM ("sessions" INNER JOIN "users" ON ("sessions"."user_id" = "users"."id"))
     WHERE (((("sessions"."token_hash" = $1) AND ("users"."active" = $2))
             AND ("sessions"."last_seen_at" > $3)) AND ("sessions"."created_at" > $4)) LIMIT 1;
PREPARE touch_q(timestamptz, bigint) AS
    UPDATE "sessions" SET "last_seen_at" = $1 WHERE ("sessions"."id" = $2);

\o /dev/null
EXECUTE before_q(4201, true); EXECUTE before_q(4202, true); EXECUTE before_q(4203, true);
EXECUTE before_q(4204, true); EXECUTE before_q(4205, true); EXECUTE before_q(4206, true);
EXECUTE after_q(sha256('token-4201'::bytea), true, now() - interval '30 minutes', now() - interval '12 hours');
EXECUTE after_q(sha256('token-4202'::bytea), true, now() - interval '30 minutes', now() - interval '12 hours');
EXECUTE after_q(sha256('token-4203'::bytea), true, now() - interval '30 minutes', now() - interval '12 hours');
EXECUTE after_q(sha256('token-4204'::bytea), true, now() - interval '30 minutes', now() - interval '12 hours');
EXECUTE after_q(sha256('token-4205'::bytea), true, now() - interval '30 minutes', now() - interval '12 hours');
EXECUTE after_q(sha256('token-4206'::bytea), true, now() - interval '30 minutes', now() - interval '12 hours');
\o
\echo '=== before: the user by primary key (store::users::find_active) ==='
EXPLAIN (ANALYZE, BUFFERS) EXECUTE before_q(4210, true);
\echo '=== after: the live session by its token hash, joined with its user ==='
EXPLAIN (ANALYZE, BUFFERS) EXECUTE after_q(sha256('token-4210'::bytea), true, now() - interval '30 minutes', now() - interval '12 hours');
\echo '=== after: an unknown token (forged, or signed out) ==='
EXPLAIN (ANALYZE, BUFFERS) EXECUTE after_q(sha256('nope'::bytea), true, now() - interval '30 minutes', now() - interval '12 hours');
\echo '=== the refresh of last_seen_at (at most once a minute per session) ==='
SELECT id AS live_id FROM sessions WHERE token_hash = sha256('token-4210'::bytea) \gset
BEGIN;
EXPLAIN (ANALYZE, BUFFERS) EXECUTE touch_q(now(), :live_id);
ROLLBACK;
\echo '=== at sign-in: the account''s dead sessions, then a batch of 100 idle ones ==='
BEGIN;
EXPLAIN (ANALYZE, BUFFERS) DELETE FROM sessions WHERE user_id = (SELECT min(id) FROM users) + 4210
    AND (last_seen_at <= now() - interval '30 minutes' OR created_at <= now() - interval '12 hours');
EXPLAIN (ANALYZE, BUFFERS) DELETE FROM sessions WHERE id IN
    (SELECT id FROM sessions WHERE last_seen_at <= now() - interval '30 minutes' ORDER BY last_seen_at LIMIT 100);
ROLLBACK;
