-- One registration as the form writes it (store::initiatives::insert): the actor named
-- for the audit trail, then the row, in one transaction. @TABLE@ (initiatives or
-- initiatives_bare) and @UNITS@ (bench_reg_units or bench_hot_units) are filled in by
-- bench/writes.sh; :year, :actor, :nunits come from pgbench -D.
\set u random(1, :nunits)
\set k random(0, 99)
\set f random(1, 6)
\set t random(1, 8)
\set c random(0, 99)
\set s random(0, 89)
\set du random(0, 240)
BEGIN;
SELECT set_config('lamtheobac.actor_id', CAST(:actor AS text), true), set_config('lamtheobac.reason', '', true);
INSERT INTO @TABLE@ (year, kind, title, field, description, unit_id, estimated_cost_vnd,
                     actual_value_vnd, status, start_date, due_date, completion_date,
                     created_by, updated_by)
VALUES (:year::int,
        CASE WHEN :k::int < 68 THEN 'model' ELSE 'work' END,
        (ARRAY['Mô hình dân vận khéo trong cải cách hành chính',
               'Công trình thắp sáng đường quê',
               'Mô hình tiếp công dân một cửa, tận tình, đúng hẹn',
               'Công trình sửa chữa nhà văn hóa khu dân cư',
               'Mô hình chi bộ mẫu mực, đảng viên tiên phong',
               'Công trình nhà tình nghĩa cho gia đình chính sách',
               'Mô hình số hóa hồ sơ lưu trữ của cơ quan',
               'Mô hình tủ sách Bác Hồ tại cơ sở'])[:t::int],
        (ARRAY['professional', 'admin_reform', 'serving_people', 'cultural_office',
               'social_welfare', 'other'])[:f::int],
        'Đăng ký trong đợt thi đua đầu năm theo nghị quyết của chi bộ: nội dung, người phụ trách, kinh phí và tiến độ thực hiện.',
        (SELECT id FROM @UNITS@ WHERE n = :u::int),
        CASE WHEN :k::int < 68 THEN :c::bigint * 500000 ELSE 10000000 + :c::bigint * 10000000 END,
        NULL, 'registered',
        make_date(:year::int, 1, 1) + :s::int,
        least(make_date(:year::int, 1, 1) + :s::int + 60 + :du::int, make_date(:year::int, 12, 31)),
        NULL, :actor::int, :actor::int)
RETURNING id;
COMMIT;
