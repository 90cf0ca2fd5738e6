//! Values that cannot be invalid: kinds, fields, statuses, roles, years and money.
//! Input is parsed into these once, at the edge; everything after works with them.

pub mod account;
pub mod carry_over;
pub mod cursor;
pub mod format;
pub mod initiative;
pub mod list_sort;
pub mod money;
pub mod registration;
pub mod scope;
pub mod search;
pub mod text;
pub mod throttle;
pub mod unit;

use std::fmt;

pub use money::Vnd;
pub use scope::Scope;

/// Declares a closed set of values stored as TEXT, with its code name (used in URLs,
/// forms and the database) and its Vietnamese label (what the interface shows).
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $code:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, diesel::AsExpression, diesel::FromSqlRow)]
        #[diesel(sql_type = diesel::sql_types::Text)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The code name stored in the database and sent in forms.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The Vietnamese label shown to people.
            pub fn label_vi(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// Parses a code name; `None` for anything else.
            pub fn parse(code: &str) -> Option<$name> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }

            /// Parses a code name or a Vietnamese label as people type them in a
            /// spreadsheet: case, diacritics and punctuation do not matter.
            pub fn parse_loose(text: &str) -> Option<$name> {
                let wanted = crate::domain::format::loose_key(text);
                if wanted.is_empty() {
                    return None;
                }
                $name::ALL.iter().copied().find(|value| {
                    crate::domain::format::loose_key(value.as_str()) == wanted
                        || crate::domain::format::loose_key(value.label_vi()) == wanted
                })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl diesel::serialize::ToSql<diesel::sql_types::Text, diesel::pg::Pg> for $name {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, diesel::pg::Pg>,
            ) -> diesel::serialize::Result {
                use std::io::Write;
                out.write_all(self.as_str().as_bytes())?;
                Ok(diesel::serialize::IsNull::No)
            }
        }

        impl diesel::deserialize::FromSql<diesel::sql_types::Text, diesel::pg::Pg> for $name {
            fn from_sql(value: diesel::pg::PgValue<'_>) -> diesel::deserialize::Result<Self> {
                let code = std::str::from_utf8(value.as_bytes())?;
                $name::parse(code).ok_or_else(|| {
                    format!(concat!("unknown ", stringify!($name), " {:?}"), code).into()
                })
            }
        }
    };
}

pub mod report;
pub mod workflow;
pub use workflow::Review;

text_enum! {
    /// Mô hình (a way of working) or công trình (a physical work).
    InitiativeKind {
        Model = "model", "Mô hình";
        Work = "work", "Công trình";
    }
}

text_enum! {
    /// Lĩnh vực: the area an initiative improves.
    Field {
        Professional = "professional", "Chuyên môn, nghiệp vụ";
        AdminReform = "admin_reform", "Cải cách hành chính";
        ServingPeople = "serving_people", "Phục vụ Nhân dân";
        CulturalOffice = "cultural_office", "Văn hóa công sở \"sáng – xanh – sạch – đẹp\"";
        SocialWelfare = "social_welfare", "An sinh xã hội";
        Other = "other", "Khác";
    }
}

text_enum! {
    /// Where an initiative stands.
    Status {
        Registered = "registered", "Đã đăng ký";
        InProgress = "in_progress", "Đang thực hiện";
        Completed = "completed", "Hoàn thành";
        Cancelled = "cancelled", "Không thực hiện";
    }
}

text_enum! {
    /// Loại tổ chức: the kind of a node in the organisation tree.
    UnitKind {
        CentralCommittee = "central_committee", "Trung ương";
        ProvinceCommittee = "province_committee", "Tỉnh ủy";
        BlocCommittee = "bloc_committee", "Đảng ủy Khối";
        // Since 2025 the blocs gave way, in each province, to these two committees; the
        // districts' to the communes' and wards'.
        ProvinceAgenciesCommittee = "province_agencies_committee", "Đảng ủy các cơ quan Đảng tỉnh";
        ProvinceGovernmentCommittee = "province_government_committee", "Đảng ủy UBND tỉnh";
        CommuneCommittee = "commune_committee", "Đảng ủy xã/phường";
        GrassrootsCommittee = "grassroots_committee", "Đảng bộ cơ sở";
        GrassrootsCell = "grassroots_cell", "Chi bộ cơ sở";
        AttachedCell = "attached_cell", "Chi bộ trực thuộc";
        MassOrganization = "mass_organization", "Tổ chức chính trị – xã hội";
    }
}

/// What a reviewer attached to a unit of `kind` is called: the standing committee of
/// that committee ("Ban Thường vụ Khối" for a bloc, as offices say it, and as
/// [`Role::Reviewer`]'s own label, which imports read).
pub fn reviewer_label(kind: UnitKind) -> &'static str {
    match kind {
        UnitKind::BlocCommittee => Role::Reviewer.label_vi(),
        UnitKind::ProvinceAgenciesCommittee => "Ban Thường vụ Đảng ủy các cơ quan Đảng tỉnh",
        UnitKind::ProvinceGovernmentCommittee => "Ban Thường vụ Đảng ủy UBND tỉnh",
        UnitKind::CommuneCommittee => "Ban Thường vụ Đảng ủy xã/phường",
        UnitKind::ProvinceCommittee => "Ban Thường vụ Tỉnh ủy",
        UnitKind::CentralCommittee => "Ban Bí thư",
        UnitKind::GrassrootsCommittee => "Ban Thường vụ Đảng ủy",
        UnitKind::GrassrootsCell | UnitKind::AttachedCell | UnitKind::MassOrganization => {
            "Cấp ủy cấp trên"
        }
    }
}

/// Who reviews a unit's work where no unit is at hand to name its committee (a role's
/// description, a rule of the workflow), or where no reviewer sits above the unit.
pub const NEUTRAL_REVIEWER: &str = "cấp ủy cấp trên";

/// The body that reviews the work of a unit, named after the kind of the nearest unit
/// at or above it that has reviewers (a reviewer's scope is their unit's subtree);
/// `None` (no reviewer above it) or a cell gives [`NEUTRAL_REVIEWER`].
pub fn reviewing_body(kind: Option<UnitKind>) -> &'static str {
    match kind {
        Some(UnitKind::GrassrootsCell | UnitKind::AttachedCell | UnitKind::MassOrganization)
        | None => NEUTRAL_REVIEWER,
        Some(kind) => reviewer_label(kind),
    }
}

/// A text written with [`NEUTRAL_REVIEWER`], naming `reviewer` instead.
pub fn naming_reviewer(text: &str, reviewer: &str) -> String {
    text.replace(NEUTRAL_REVIEWER, reviewer)
}

text_enum! {
    /// What a user may do; reviewers and secretaries are limited to their unit's subtree.
    Role {
        Admin = "admin", "Quản trị";
        Reviewer = "reviewer", "Ban Thường vụ Khối";
        Secretary = "secretary", "Bí thư";
    }
}

text_enum! {
    /// What a spreadsheet import brings in.
    ImportKind {
        Units = "units", "Đơn vị";
        Users = "users", "Tài khoản";
        Initiatives = "initiatives", "Mô hình, công trình";
    }
}

/// Today's date in Vietnam (UTC+7), which decides deadlines and overdue work.
pub fn today_in_vietnam() -> chrono::NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive()
}

/// How many calendar days (in Vietnam) have passed since `moment`: 0 the same day.
pub fn days_since_in_vietnam(moment: chrono::DateTime<chrono::Utc>) -> i64 {
    let day = (moment + chrono::Duration::hours(7)).date_naive();
    (today_in_vietnam() - day).num_days().max(0)
}

/// A registration year, 2000–2100 (the database checks the same range).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct Year(i32);

impl Year {
    pub const MIN: i32 = 2000;
    pub const MAX: i32 = 2100;

    pub fn new(year: i32) -> Option<Year> {
        (Year::MIN..=Year::MAX)
            .contains(&year)
            .then_some(Year(year))
    }

    /// Parses a year typed in a form or a query string.
    pub fn parse(input: &str) -> Option<Year> {
        input.trim().parse().ok().and_then(Year::new)
    }

    /// The current year in Vietnam time (UTC+7).
    pub fn current() -> Year {
        use chrono::Datelike;
        Year(today_in_vietnam().year().clamp(Year::MIN, Year::MAX))
    }

    pub fn get(self) -> i32 {
        self.0
    }
}

impl fmt::Display for Year {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reviewing_body_is_named_after_the_committee_or_neutrally() {
        assert_eq!(
            reviewing_body(Some(UnitKind::BlocCommittee)),
            "Ban Thường vụ Khối"
        );
        assert_eq!(
            reviewing_body(Some(UnitKind::CommuneCommittee)),
            "Ban Thường vụ Đảng ủy xã/phường"
        );
        assert_eq!(reviewing_body(None), NEUTRAL_REVIEWER);
        assert_eq!(
            reviewing_body(Some(UnitKind::AttachedCell)),
            NEUTRAL_REVIEWER
        );
        assert_eq!(
            naming_reviewer("Chỉ cấp ủy cấp trên mới duyệt.", "Ban Thường vụ Tỉnh ủy"),
            "Chỉ Ban Thường vụ Tỉnh ủy mới duyệt."
        );
    }

    #[test]
    fn codes_round_trip_and_unknown_codes_are_refused() {
        for field in Field::ALL {
            assert_eq!(Field::parse(field.as_str()), Some(*field));
        }
        for status in Status::ALL {
            assert_eq!(Status::parse(status.as_str()), Some(*status));
        }
        assert_eq!(Status::parse("done"), None);
        assert_eq!(InitiativeKind::parse("Model"), None);
        assert_eq!(UnitKind::ALL.len(), 10);
    }

    #[test]
    fn spreadsheet_cells_read_as_labels_or_codes() {
        assert_eq!(Status::parse_loose("Hoàn thành"), Some(Status::Completed));
        assert_eq!(Status::parse_loose(" HOAN THANH "), Some(Status::Completed));
        assert_eq!(Status::parse_loose("in_progress"), Some(Status::InProgress));
        assert_eq!(
            Field::parse_loose("Văn hóa công sở sáng - xanh - sạch - đẹp"),
            Some(Field::CulturalOffice)
        );
        assert_eq!(
            Field::parse_loose(Field::CulturalOffice.label_vi()),
            Some(Field::CulturalOffice)
        );
        assert_eq!(Role::parse_loose("bí thư"), Some(Role::Secretary));
        assert_eq!(
            UnitKind::parse_loose("Tổ chức chính trị – xã hội"),
            Some(UnitKind::MassOrganization)
        );
        assert_eq!(
            InitiativeKind::parse_loose("công trình"),
            Some(InitiativeKind::Work)
        );
        assert_eq!(Status::parse_loose(""), None);
        assert_eq!(Status::parse_loose("xong"), None);
    }

    #[test]
    fn years_outside_the_range_are_refused() {
        assert_eq!(Year::parse("2022").map(Year::get), Some(2022));
        assert_eq!(Year::parse(" 2100 ").map(Year::get), Some(2100));
        assert!(Year::parse("1999").is_none());
        assert!(Year::parse("2101").is_none());
        assert!(Year::parse("năm").is_none());
    }
}
