-- One workflow step on a random initiative, as store::initiatives::take_step writes it:
-- the actor named, then the review state (and status, report figures) moved one step
-- along the workflow, in one transaction. From each state the step taken is one the
-- workflow allows (src/domain/workflow.rs):
--   pending_approval      → approved             (Duyệt đăng ký)
--   returned_registration → pending_approval     (Gửi lại)
--   approved              → pending_acceptance   (Báo cáo hoàn thành: in progress, value, date)
--   returned_completion   → pending_acceptance   (Báo cáo hoàn thành again)
--   pending_acceptance    → accepted             (Nghiệm thu: completed)
--   accepted              → returned_completion  (Mở lại: in progress again)
-- so every change moves some roll-up figure. @TABLE@ (initiatives or initiatives_bare)
-- and @PICK@ (bench_status_pick or bench_hot_pick) are filled in by bench/writes.sh.
\set k random(1, :npick)
BEGIN;
SELECT set_config('lamtheobac.actor_id', CAST(:actor AS text), true), set_config('lamtheobac.reason', '', true);
UPDATE @TABLE@ SET
       review = CASE review WHEN 'pending_approval' THEN 'approved'
                            WHEN 'returned_registration' THEN 'pending_approval'
                            WHEN 'approved' THEN 'pending_acceptance'
                            WHEN 'returned_completion' THEN 'pending_acceptance'
                            WHEN 'pending_acceptance' THEN 'accepted'
                            ELSE 'returned_completion' END,
       status = CASE review WHEN 'pending_acceptance' THEN 'completed'
                            WHEN 'approved' THEN 'in_progress'
                            WHEN 'returned_completion' THEN 'in_progress'
                            WHEN 'accepted' THEN 'in_progress'
                            ELSE status END,
       actual_value_vnd = CASE WHEN review IN ('approved', 'returned_completion')
                               THEN coalesce(actual_value_vnd, estimated_cost_vnd)
                               ELSE actual_value_vnd END,
       completion_date = CASE WHEN review IN ('approved', 'returned_completion')
                              THEN coalesce(completion_date, greatest(start_date, least(due_date, current_date)))
                              ELSE completion_date END,
       result_summary = CASE WHEN review IN ('approved', 'returned_completion')
                             THEN 'Đã hoàn thành theo kế hoạch; kèm báo cáo kết quả và hình ảnh minh chứng.'
                             ELSE result_summary END,
       review_note = CASE WHEN review = 'accepted' THEN 'Mở lại để bổ sung minh chứng.' END,
       review_changed_at = now(), updated_by = :actor::int, updated_at = now(),
       version = version + 1
 WHERE id = (SELECT id FROM @PICK@ WHERE n = :k::int);
COMMIT;
