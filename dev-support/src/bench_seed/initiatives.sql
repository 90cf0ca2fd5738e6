-- One year's initiatives for the benchmark, generated in the database.
-- $1 year, $2 how many (exactly), $3 share of the units expected to register that do
-- register this year, $4 today, $5 the author (the bench admin), $6 whether $1 is the
-- current year, $7 the share of a past year still unsettled, $8 over how many days from
-- 1 January the initiatives start.
--
-- Each registering unit gets one initiative, and the rest are spread over them by a
-- random weight (committees weigh more than cells); the floor differences of the running
-- weight add up to exactly $2. The rows go in by start date, as registrations would.
WITH eligible AS (
    SELECT u.id,
           (1 + floor(random() * CASE u.kind WHEN 'grassroots_committee' THEN 6
                                             WHEN 'grassroots_cell' THEN 4
                                             WHEN 'mass_organization' THEN 3
                                             ELSE 2 END))::bigint AS weight,
           random() AS draw,
           random() AS shuffle
      FROM units u
     WHERE u.expected_to_register AND u.active
),
registering AS (
    SELECT id, weight FROM eligible WHERE draw < $3 ORDER BY shuffle LIMIT $2
),
spread AS (
    SELECT id, weight,
           (sum(weight) OVER (ORDER BY id))::bigint AS upto,
           (sum(weight) OVER ())::bigint AS total,
           count(*) OVER () AS units
      FROM registering
),
plan AS (
    SELECT id AS unit_id,
           (1 + ($2 - units) * upto / total - ($2 - units) * (upto - weight) / total)::int AS n
      FROM spread
),
drawn AS (
    SELECT p.unit_id,
           random() AS k, random() AS f, random() AS t, random() AS c, random() AS s,
           random() AS st, random() AS du, random() AS co, random() AS v
      FROM plan p, generate_series(1, p.n)
),
shaped AS (
    SELECT d.*,
           CASE WHEN d.k < 0.68 THEN 'model' ELSE 'work' END AS kind,
           CASE WHEN d.k < 0.68 THEN
                    CASE WHEN d.f < 0.30 THEN 'professional' WHEN d.f < 0.55 THEN 'admin_reform'
                         WHEN d.f < 0.75 THEN 'serving_people' WHEN d.f < 0.90 THEN 'cultural_office'
                         WHEN d.f < 0.95 THEN 'social_welfare' ELSE 'other' END
                ELSE
                    CASE WHEN d.f < 0.45 THEN 'social_welfare' WHEN d.f < 0.70 THEN 'cultural_office'
                         WHEN d.f < 0.85 THEN 'serving_people' WHEN d.f < 0.90 THEN 'professional'
                         WHEN d.f < 0.93 THEN 'admin_reform' ELSE 'other' END
           END AS field,
           -- Models cost little (a quarter nothing at all), works from 10 million to 1 billion.
           CASE WHEN d.k < 0.68 THEN
                    CASE WHEN d.c < 0.25 THEN 0
                         ELSE (round(exp(ln(1000000) + (d.c - 0.25) / 0.75 * ln(50)) / 100000) * 100000)::bigint
                    END
                ELSE (round(exp(ln(10000000) + d.c * ln(100)) / 1000000) * 1000000)::bigint
           END AS estimated,
           -- Where it stands: pa pending approval, rr registration returned, ar approved,
           -- ai in progress, pq reported (pending acceptance), rc report returned,
           -- ok accepted (completed), cx cancelled. The current year is mostly under way;
           -- past years are mostly accepted, the older the more settled.
           CASE WHEN $6 THEN
                    CASE WHEN d.st < 0.03 THEN 'pa' WHEN d.st < 0.05 THEN 'rr'
                         WHEN d.st < 0.13 THEN 'ar' WHEN d.st < 0.55 THEN 'ai'
                         WHEN d.st < 0.70 THEN 'pq' WHEN d.st < 0.73 THEN 'rc'
                         WHEN d.st < 0.96 THEN 'ok' ELSE 'cx' END
                ELSE
                    CASE WHEN d.st < $7 * 0.15 THEN 'ar' WHEN d.st < $7 * 0.45 THEN 'ai'
                         WHEN d.st < $7 * 0.85 THEN 'pq' WHEN d.st < $7 THEN 'rc'
                         WHEN d.st < $7 + 0.06 THEN 'cx' ELSE 'ok' END
           END AS state,
           make_date($1, 1, 1) + floor(d.s * $8)::int AS start_date
      FROM drawn d
),
dated AS (
    SELECT x.*,
           least(x.start_date + 60 + floor(x.du * 240)::int, make_date($1, 12, 31)) AS due_date
      FROM shaped x
),
finished AS (
    SELECT y.*,
           CASE WHEN y.state IN ('pq', 'rc', 'ok')
                THEN least(y.start_date + floor(y.co * (y.due_date - y.start_date + 21))::int, $4::date)
           END AS completion_date
      FROM dated y
)
INSERT INTO initiatives (id, reference, year, kind, title, field, description, unit_id, estimated_cost_vnd,
                         actual_value_vnd, status, start_date, due_date, completion_date,
                         created_by, updated_by, created_at, updated_at, version,
                         review, review_changed_at, review_note, result_summary)
SELECT z.new_id, 'MH-' || z.new_id, $1, z.kind, bt.title, z.field, '', z.unit_id, z.estimated,
       CASE WHEN z.state IN ('pq', 'rc', 'ok') THEN
                CASE WHEN z.estimated = 0 THEN (floor(z.v * 40) * 500000)::bigint
                     ELSE (round(z.estimated * (0.8 + z.v * 0.35) / 1000) * 1000)::bigint END
       END,
       CASE z.state WHEN 'pa' THEN 'registered' WHEN 'rr' THEN 'registered'
                    WHEN 'ar' THEN 'registered' WHEN 'ok' THEN 'completed'
                    WHEN 'cx' THEN 'cancelled' ELSE 'in_progress' END,
       z.start_date, z.due_date, z.completion_date,
       $5, $5,
       least((z.start_date - 7)::timestamptz + interval '9 hours', now()),
       least(coalesce(z.completion_date + 3, z.start_date)::timestamptz + interval '15 hours', now()),
       1,
       CASE z.state WHEN 'pa' THEN 'pending_approval' WHEN 'rr' THEN 'returned_registration'
                    WHEN 'pq' THEN 'pending_acceptance' WHEN 'rc' THEN 'returned_completion'
                    WHEN 'ok' THEN 'accepted' ELSE 'approved' END,
       least(coalesce(z.completion_date + 3, z.start_date)::timestamptz + interval '15 hours', now()),
       CASE z.state WHEN 'rr' THEN 'Đề nghị làm rõ nội dung và kinh phí dự kiến.'
                    WHEN 'rc' THEN 'Đề nghị bổ sung hình ảnh, tài liệu minh chứng.' END,
       CASE WHEN z.state IN ('pq', 'rc', 'ok')
            THEN 'Đã hoàn thành theo kế hoạch; kèm báo cáo kết quả và hình ảnh minh chứng.'
            ELSE '' END
  -- The reference is set here: the bulk load runs with the row triggers off.
  FROM (SELECT f.*, nextval('initiatives_id_seq')::int AS new_id FROM finished f) z
  JOIN bench_titles bt ON bt.kind = z.kind AND bt.field = z.field AND bt.idx = floor(z.t * 4)::int
 ORDER BY z.start_date, z.s
