-- What the sign-in throttle needs for one attempt (src/store/sign_ins.rs): the database's
-- clock, and for the account ($1, window $2 seconds) and the address ($3, window $4
-- seconds) the failures that still count, the last of them, and the last throttled
-- attempt logged. Each side is a short range of its (key, at) index.
SELECT now() AS now,
       account.failures AS account_failures,
       account.last_failure AS account_last_failure,
       account.last_throttled AS account_last_throttled,
       address.failures AS address_failures,
       address.last_failure AS address_last_failure,
       address.last_throttled AS address_last_throttled
  FROM (SELECT count(*) FILTER (WHERE outcome = 'failure' AND NOT cleared) AS failures,
               max(at) FILTER (WHERE outcome = 'failure' AND NOT cleared) AS last_failure,
               max(at) FILTER (WHERE outcome = 'throttled') AS last_throttled
          FROM sign_in_events
         WHERE username = $1 AND at > now() - make_interval(secs => $2)) AS account,
       (SELECT count(*) FILTER (WHERE outcome = 'failure') AS failures,
               max(at) FILTER (WHERE outcome = 'failure') AS last_failure,
               max(at) FILTER (WHERE outcome = 'throttled') AS last_throttled
          FROM sign_in_events
         WHERE address_key = $3 AND at > now() - make_interval(secs => $4)) AS address
