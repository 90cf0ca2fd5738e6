//! The review workflow as a table of allowed steps: who may take which step from which
//! state. Handlers ask [`check`] before touching anything; the store repeats the
//! expected state in its UPDATE, so a step taken twice at once succeeds only once.

use crate::domain::carry_over::{ALREADY_CARRIED, REPORT_IN_NEXT_YEAR, is_carriable};
use crate::domain::text::{HiddenCharacter, hidden_character};
use crate::domain::{Role, Status};

text_enum! {
    /// Where an initiative stands with the bloc committee.
    Review {
        PendingApproval = "pending_approval", "Chờ duyệt đăng ký";
        ReturnedRegistration = "returned_registration", "Đăng ký bị trả lại";
        Approved = "approved", "Đã duyệt đăng ký";
        PendingAcceptance = "pending_acceptance", "Chờ nghiệm thu";
        ReturnedCompletion = "returned_completion", "Kết quả bị trả lại";
        Accepted = "accepted", "Đã nghiệm thu";
    }
}

impl Review {
    /// States that wait for a reviewer.
    pub const AWAITING_REVIEW: &'static [Review] =
        &[Review::PendingApproval, Review::PendingAcceptance];
    /// States that wait for the secretary to correct something.
    pub const RETURNED: &'static [Review] =
        &[Review::ReturnedRegistration, Review::ReturnedCompletion];

    /// The state as the exported list names it ("Tình trạng xem xét"): shorter than
    /// [`Review::label_vi`], and a return reads "Bị trả lại" whichever step it undid,
    /// because the list's other columns (dates, value) already say how far it got.
    pub fn report_label_vi(self) -> &'static str {
        match self {
            Review::PendingApproval => "Chờ duyệt đăng ký",
            Review::Approved => "Đã duyệt",
            Review::PendingAcceptance => "Chờ nghiệm thu",
            Review::Accepted => "Đã nghiệm thu",
            Review::ReturnedRegistration | Review::ReturnedCompletion => "Bị trả lại",
        }
    }
}

/// Where an initiative stands, in one label a person understands: the review state,
/// and the progress where the review leaves it open (an approved registration is not
/// started, under way or given up). Never two labels side by side.
pub fn progress_label_vi(review: Review, status: Status) -> &'static str {
    match (review, status) {
        (Review::PendingApproval, _) => "Đã đăng ký – chờ duyệt",
        (Review::ReturnedRegistration, _) => "Đăng ký bị trả lại – cần sửa",
        (Review::Approved, Status::InProgress) => "Đã duyệt – đang thực hiện",
        (Review::Approved, Status::Cancelled) => "Không thực hiện",
        (Review::Approved, Status::Completed) => "Hoàn thành",
        (Review::Approved, Status::Registered) => "Đã duyệt – chưa triển khai",
        (Review::PendingAcceptance, _) => "Đã báo cáo hoàn thành – chờ nghiệm thu",
        (Review::ReturnedCompletion, _) => "Báo cáo hoàn thành bị trả lại – cần bổ sung",
        (Review::Accepted, _) => "Hoàn thành – đã nghiệm thu",
    }
}

/// Whether a returned registration is about to be sent again exactly as it was
/// returned: nothing saved since the return (a step stamps both times alike, an edit
/// only the first). The page warns, and still lets it go.
pub fn unchanged_since_return(
    review: Review,
    updated_at: chrono::DateTime<chrono::Utc>,
    review_changed_at: chrono::DateTime<chrono::Utc>,
) -> bool {
    review == Review::ReturnedRegistration && updated_at <= review_changed_at
}

/// A step someone asks to take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Duyệt đăng ký.
    Approve,
    /// Trả lại, with a reason: a registration or a completion report.
    Return,
    /// Gửi lại a corrected registration.
    Resubmit,
    /// Báo cáo hoàn thành, with value, date, summary and evidence.
    Report,
    /// Nghiệm thu.
    Accept,
    /// Mở lại an accepted initiative for correction.
    Reopen,
    /// Change the registration's details or progress.
    Edit,
    /// Add or remove evidence files.
    ChangeEvidence,
    /// Chuyển tiếp sang năm sau: register the unfinished initiative again for the next year.
    CarryOver,
}

/// Who is asking, and about what.
#[derive(Debug, Clone, Copy)]
pub struct Request {
    pub role: Role,
    pub actor_id: i32,
    pub created_by: i32,
    pub review: Review,
    pub status: Status,
    /// It has already been carried into the next year (it stays in its year, unfinished).
    pub carried_over: bool,
}

/// What the step does: the state it leaves from (checked again when saving), the
/// state it reaches, and the status that goes with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    pub from: Review,
    pub to: Review,
    pub status: Option<Status>,
}

/// Why a step is refused, in Vietnamese, and whether it is about the role (403) or
/// about the state (409).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    NotYourRole(&'static str),
    NotNow(&'static str),
}

impl Refusal {
    pub fn message_vi(self) -> &'static str {
        match self {
            Refusal::NotYourRole(message) | Refusal::NotNow(message) => message,
        }
    }
}

/// The longest reason a return, a reopening or a carry-over takes.
pub const REASON_MAX_CHARS: usize = 2000;

/// What is wrong with a reason (the web says it in Vietnamese).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReasonProblem {
    /// A return or a reopening must say what to correct.
    Missing,
    /// Longer than [`REASON_MAX_CHARS`].
    TooLong,
    /// It holds a character no one types (see `domain::text`).
    HiddenCharacter(HiddenCharacter),
}

/// Why a reason (already normalized) cannot be stored; `required` for the steps that
/// send an initiative back to its unit. Several lines are allowed.
pub fn reason_problem(reason: &str, required: bool) -> Option<ReasonProblem> {
    if required && reason.is_empty() {
        Some(ReasonProblem::Missing)
    } else if reason.chars().count() > REASON_MAX_CHARS {
        Some(ReasonProblem::TooLong)
    } else {
        hidden_character(reason, true).map(ReasonProblem::HiddenCharacter)
    }
}

/// Whether a step sends the initiative back with a reason that must be given.
pub fn needs_reason(step: Step) -> bool {
    matches!(step, Step::Return | Step::Reopen)
}

fn is_reviewer(role: Role) -> bool {
    matches!(role, Role::Reviewer | Role::Admin)
}

fn is_editor(role: Role) -> bool {
    matches!(role, Role::Secretary | Role::Admin)
}

/// Is this step allowed now, and where does it lead?
pub fn check(step: Step, request: Request) -> Result<Transition, Refusal> {
    use Review::*;
    let review = request.review;
    let stay = |status| Transition {
        from: review,
        to: review,
        status,
    };
    let go = |to, status| Transition {
        from: review,
        to,
        status,
    };
    match step {
        Step::Approve | Step::Accept | Step::Return | Step::Reopen
            if !is_reviewer(request.role) =>
        {
            Err(Refusal::NotYourRole(
                "Chỉ cấp ủy cấp trên mới duyệt, nghiệm thu hoặc trả lại mô hình, công trình.",
            ))
        }
        Step::Resubmit | Step::Report | Step::Edit | Step::ChangeEvidence
            if !is_editor(request.role) =>
        {
            Err(Refusal::NotYourRole(
                "Chỉ bí thư của đơn vị mới cập nhật, báo cáo mô hình, công trình.",
            ))
        }
        Step::Approve | Step::Accept if request.actor_id == request.created_by => {
            Err(Refusal::NotYourRole(
                "Người đăng ký không thể tự duyệt hoặc nghiệm thu mô hình, công trình của mình.",
            ))
        }
        Step::Approve => match review {
            PendingApproval => Ok(go(Approved, None)),
            _ => Err(Refusal::NotNow("Chỉ duyệt được đăng ký đang chờ duyệt.")),
        },
        Step::Return => match review {
            PendingApproval => Ok(go(ReturnedRegistration, None)),
            PendingAcceptance => Ok(go(ReturnedCompletion, None)),
            _ => Err(Refusal::NotNow(
                "Chỉ trả lại được đăng ký hoặc báo cáo đang chờ xem xét.",
            )),
        },
        Step::Resubmit => match review {
            ReturnedRegistration => Ok(go(PendingApproval, None)),
            _ => Err(Refusal::NotNow("Chỉ gửi lại được đăng ký đã bị trả lại.")),
        },
        Step::Report => match review {
            // The work goes on in the next year; its report belongs there, or the
            // same work would count twice.
            _ if request.carried_over => Err(Refusal::NotNow(REPORT_IN_NEXT_YEAR)),
            _ if request.status == Status::Cancelled => Err(Refusal::NotNow(
                "Mô hình, công trình đã ghi “Không thực hiện” nên không báo cáo hoàn thành được.",
            )),
            Approved | ReturnedCompletion => Ok(go(PendingAcceptance, Some(Status::InProgress))),
            PendingApproval | ReturnedRegistration => Err(Refusal::NotNow(
                "Đăng ký cần được duyệt trước khi báo cáo hoàn thành.",
            )),
            PendingAcceptance => Err(Refusal::NotNow("Báo cáo hoàn thành đang chờ nghiệm thu.")),
            Accepted => Err(Refusal::NotNow("Mô hình, công trình đã được nghiệm thu.")),
        },
        Step::Accept => match review {
            PendingAcceptance => Ok(go(Accepted, Some(Status::Completed))),
            Accepted => Err(Refusal::NotNow(
                "Mô hình, công trình đã được nghiệm thu rồi.",
            )),
            _ => Err(Refusal::NotNow(
                "Chưa có báo cáo hoàn thành nào chờ nghiệm thu cho mô hình, công trình này.",
            )),
        },
        Step::Reopen => match review {
            Accepted => Ok(go(ReturnedCompletion, Some(Status::InProgress))),
            _ => Err(Refusal::NotNow(
                "Chỉ mở lại được mô hình, công trình đã nghiệm thu.",
            )),
        },
        // Anyone whose scope includes it (secretary, reviewer, admin) may carry it over.
        Step::CarryOver => {
            if request.carried_over {
                Err(Refusal::NotNow(ALREADY_CARRIED))
            } else if is_carriable(request.status, review) {
                Ok(stay(None))
            } else {
                Err(Refusal::NotNow(carry_over_refusal(request.status, review)))
            }
        }
        Step::Edit | Step::ChangeEvidence => match review {
            PendingAcceptance => Err(Refusal::NotNow(
                "Báo cáo hoàn thành đang chờ nghiệm thu: chưa sửa được cho đến khi cấp ủy cấp trên xem xét xong.",
            )),
            Accepted => Err(Refusal::NotNow(
                "Mô hình, công trình đã được nghiệm thu: cần cấp ủy cấp trên mở lại trước khi sửa.",
            )),
            _ => Ok(stay(None)),
        },
    }
}

/// Why an initiative in this state cannot be carried over.
fn carry_over_refusal(status: Status, review: Review) -> &'static str {
    use Review::*;
    match (status, review) {
        (Status::Completed, _) | (_, Accepted) => {
            "Mô hình, công trình đã hoàn thành nên không cần chuyển tiếp."
        }
        (Status::Cancelled, _) => {
            "Mô hình, công trình đã ghi “Không thực hiện” nên không chuyển tiếp được."
        }
        (_, PendingApproval | ReturnedRegistration) => {
            "Đăng ký chưa được duyệt nên chưa chuyển tiếp được: chỉ chuyển tiếp mô hình, công trình đã được cấp ủy cấp trên duyệt đăng ký."
        }
        (_, PendingAcceptance) => {
            "Báo cáo hoàn thành đang chờ nghiệm thu nên chưa chuyển tiếp được."
        }
        _ => "Mô hình, công trình này không chuyển tiếp được.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(role: Role, review: Review) -> Request {
        Request {
            role,
            actor_id: 2,
            created_by: 1,
            review,
            status: Status::InProgress,
            carried_over: false,
        }
    }

    #[test]
    fn one_label_says_where_an_initiative_stands() {
        assert_eq!(
            progress_label_vi(Review::PendingAcceptance, Status::InProgress),
            "Đã báo cáo hoàn thành – chờ nghiệm thu"
        );
        assert_eq!(
            progress_label_vi(Review::Approved, Status::InProgress),
            "Đã duyệt – đang thực hiện"
        );
        assert_eq!(
            progress_label_vi(Review::Accepted, Status::Completed),
            "Hoàn thành – đã nghiệm thu"
        );
    }

    #[test]
    fn the_list_names_five_review_states_and_both_returns_alike() {
        let named: Vec<&str> = Review::ALL.iter().map(|r| r.report_label_vi()).collect();
        assert_eq!(
            named,
            [
                "Chờ duyệt đăng ký",
                "Bị trả lại",
                "Đã duyệt",
                "Chờ nghiệm thu",
                "Bị trả lại",
                "Đã nghiệm thu"
            ]
        );
    }

    #[test]
    fn a_reason_is_required_only_to_send_back_and_is_typed_text() {
        assert_eq!(reason_problem("", true), Some(ReasonProblem::Missing));
        assert_eq!(reason_problem("", false), None);
        assert_eq!(
            reason_problem(&"ý".repeat(REASON_MAX_CHARS + 1), false),
            Some(ReasonProblem::TooLong)
        );
        assert_eq!(reason_problem(&"ý".repeat(REASON_MAX_CHARS), true), None);
        assert!(matches!(
            reason_problem("hai\ndòng\u{202E}", true),
            Some(ReasonProblem::HiddenCharacter(found)) if found.position == 9
        ));
        assert!(needs_reason(Step::Return) && needs_reason(Step::Reopen));
        assert!(!needs_reason(Step::CarryOver));
    }

    #[test]
    fn the_happy_path_reaches_completed_only_through_acceptance() {
        let approve = check(
            Step::Approve,
            request(Role::Reviewer, Review::PendingApproval),
        );
        assert_eq!(approve.map(|t| t.to), Ok(Review::Approved));
        let report = check(Step::Report, request(Role::Secretary, Review::Approved));
        assert_eq!(
            report.map(|t| (t.to, t.status)),
            Ok((Review::PendingAcceptance, Some(Status::InProgress)))
        );
        let accept = check(
            Step::Accept,
            request(Role::Reviewer, Review::PendingAcceptance),
        );
        assert_eq!(
            accept.map(|t| (t.to, t.status)),
            Ok((Review::Accepted, Some(Status::Completed)))
        );
    }

    #[test]
    fn every_state_and_role_answers_without_panicking_and_secretaries_never_review() {
        for review in Review::ALL {
            for step in [Step::Approve, Step::Accept, Step::Return, Step::Reopen] {
                assert!(matches!(
                    check(step, request(Role::Secretary, *review)),
                    Err(Refusal::NotYourRole(_))
                ));
            }
            for step in [
                Step::Resubmit,
                Step::Report,
                Step::Edit,
                Step::ChangeEvidence,
            ] {
                assert!(matches!(
                    check(step, request(Role::Reviewer, *review)),
                    Err(Refusal::NotYourRole(_))
                ));
            }
        }
    }

    #[test]
    fn no_one_reviews_their_own_registration() {
        let mut own = request(Role::Admin, Review::PendingApproval);
        own.actor_id = own.created_by;
        assert!(matches!(
            check(Step::Approve, own),
            Err(Refusal::NotYourRole(_))
        ));
        own.review = Review::PendingAcceptance;
        assert!(matches!(
            check(Step::Accept, own),
            Err(Refusal::NotYourRole(_))
        ));
    }

    #[test]
    fn accepted_initiatives_are_locked_until_reopened() {
        assert!(matches!(
            check(Step::Edit, request(Role::Secretary, Review::Accepted)),
            Err(Refusal::NotNow(_))
        ));
        assert!(matches!(
            check(Step::Accept, request(Role::Reviewer, Review::Approved)),
            Err(Refusal::NotNow(_))
        ));
        let reopen = check(Step::Reopen, request(Role::Reviewer, Review::Accepted));
        assert_eq!(reopen.map(|t| t.to), Ok(Review::ReturnedCompletion));
        assert!(
            check(
                Step::Edit,
                request(Role::Secretary, Review::ReturnedCompletion)
            )
            .is_ok()
        );
    }

    #[test]
    fn cancelled_initiatives_cannot_be_reported() {
        let mut cancelled = request(Role::Secretary, Review::Approved);
        cancelled.status = Status::Cancelled;
        assert!(matches!(
            check(Step::Report, cancelled),
            Err(Refusal::NotNow(_))
        ));
    }

    #[test]
    fn every_role_carries_over_approved_unfinished_initiatives_once() {
        for role in [Role::Secretary, Role::Reviewer, Role::Admin] {
            for review in [Review::Approved, Review::ReturnedCompletion] {
                for status in [Status::Registered, Status::InProgress] {
                    let mut asking = request(role, review);
                    asking.status = status;
                    assert_eq!(
                        check(Step::CarryOver, asking).map(|t| (t.from, t.to, t.status)),
                        Ok((review, review, None))
                    );
                    asking.carried_over = true;
                    assert!(matches!(
                        check(Step::CarryOver, asking),
                        Err(Refusal::NotNow(_))
                    ));
                }
            }
        }
        for review in [
            Review::PendingApproval,
            Review::ReturnedRegistration,
            Review::PendingAcceptance,
        ] {
            assert!(matches!(
                check(Step::CarryOver, request(Role::Secretary, review)),
                Err(Refusal::NotNow(_))
            ));
        }
        let mut cancelled = request(Role::Reviewer, Review::Approved);
        cancelled.status = Status::Cancelled;
        assert!(matches!(
            check(Step::CarryOver, cancelled),
            Err(Refusal::NotNow(message)) if message.contains("Không thực hiện")
        ));
        let mut completed = request(Role::Reviewer, Review::Accepted);
        completed.status = Status::Completed;
        assert!(matches!(
            check(Step::CarryOver, completed),
            Err(Refusal::NotNow(message)) if message.contains("hoàn thành")
        ));
    }

    #[test]
    fn a_carried_over_initiative_is_reported_in_its_new_year_only() {
        let mut carried = request(Role::Secretary, Review::Approved);
        assert!(check(Step::Report, carried).is_ok());
        carried.carried_over = true;
        assert!(matches!(
            check(Step::Report, carried),
            Err(Refusal::NotNow(_))
        ));
        assert!(check(Step::Edit, carried).is_ok());
    }
}
