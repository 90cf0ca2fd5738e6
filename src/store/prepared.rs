//! Hand-written SQL that stays prepared on each connection.
//!
//! `diesel::sql_query` plans its SQL again on every call (diesel cannot know the text is
//! fixed). The dashboard runs a dozen such queries per page, and at the root of a
//! national tree planning them cost more than running them. [`prepared`] takes SQL fixed
//! at compile time, so diesel keeps one prepared statement per connection for it.
//!
//! Parameters are written `$1`, `$2`… as in psql; a parameter may appear several times.
//! Comments (`-- …`) are left out of the statement.

use chrono::NaiveDate;
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::{Date, Integer, Untyped};
use diesel::{QueryResult, RunQueryDsl};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Param {
    Integer(i32),
    Date(NaiveDate),
}

/// A piece of the statement: SQL text, or the number of a parameter (from 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece<'a> {
    Sql(&'a str),
    Param(usize),
}

/// SQL fixed at compile time with its parameters, run like `diesel::sql_query`.
#[derive(Debug, Clone)]
#[must_use = "a query runs only with load, get_result or execute"]
pub struct Prepared {
    pieces: Vec<Piece<'static>>,
    params: Vec<Param>,
}

pub fn prepared(sql: &'static str) -> Prepared {
    Prepared {
        pieces: pieces(sql),
        params: Vec::new(),
    }
}

impl Prepared {
    /// The next parameter, an INTEGER.
    pub fn int(mut self, value: i32) -> Self {
        self.params.push(Param::Integer(value));
        self
    }

    /// The next parameter, a DATE.
    pub fn date(mut self, value: NaiveDate) -> Self {
        self.params.push(Param::Date(value));
        self
    }
}

/// Splits SQL into text and parameter references, dropping `--` comments. Quoted text
/// ('…' and "…") is copied as it is.
fn pieces(sql: &str) -> Vec<Piece<'_>> {
    let bytes = sql.as_bytes();
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            quote @ (b'\'' | b'"') => {
                i += 1;
                while i < bytes.len() && bytes[i] != quote {
                    i += 1;
                }
                i += 1;
            }
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                pieces.push(Piece::Sql(&sql[start..i]));
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                start = i;
            }
            b'$' if bytes.get(i + 1).is_some_and(u8::is_ascii_digit) => {
                pieces.push(Piece::Sql(&sql[start..i]));
                let digits = bytes[i + 1..]
                    .iter()
                    .take_while(|byte| byte.is_ascii_digit())
                    .count();
                let number = sql[i + 1..i + 1 + digits].parse().unwrap_or(0);
                pieces.push(Piece::Param(number));
                i += 1 + digits;
                start = i;
            }
            _ => i += 1,
        }
    }
    pieces.push(Piece::Sql(&sql[start.min(sql.len())..]));
    pieces.retain(|piece| *piece != Piece::Sql("") && *piece != Piece::Sql("\n"));
    pieces
}

impl QueryFragment<Pg> for Prepared {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        for piece in &self.pieces {
            match *piece {
                Piece::Sql(sql) => out.push_sql(sql),
                Piece::Param(number) => {
                    match number.checked_sub(1).and_then(|i| self.params.get(i)) {
                        Some(Param::Integer(value)) => out.push_bind_param::<Integer, _>(value)?,
                        Some(Param::Date(value)) => out.push_bind_param::<Date, _>(value)?,
                        None => {
                            return Err(diesel::result::Error::QueryBuilderError(
                                format!("no value for parameter ${number}").into(),
                            ));
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

impl QueryId for Prepared {
    type QueryId = ();
    // Not static, but safe to cache: diesel then keys its statement cache on the SQL.
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl Query for Prepared {
    type SqlType = Untyped;
}

impl<Conn> RunQueryDsl<Conn> for Prepared {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_found_and_comments_dropped() {
        let sql = "-- the unit $1\nSELECT a FROM t WHERE id = $1 AND year = $2 -- $3\n  AND x = $1";
        assert_eq!(
            pieces(sql),
            vec![
                Piece::Sql("\nSELECT a FROM t WHERE id = "),
                Piece::Param(1),
                Piece::Sql(" AND year = "),
                Piece::Param(2),
                Piece::Sql(" "),
                Piece::Sql("\n  AND x = "),
                Piece::Param(1),
            ]
        );
    }

    #[test]
    fn quoted_text_and_casts_are_kept() {
        let sql = "SELECT '$1 -- not a comment', \"a$1\", $2::integer";
        assert_eq!(
            pieces(sql),
            vec![
                Piece::Sql("SELECT '$1 -- not a comment', \"a$1\", "),
                Piece::Param(2),
                Piece::Sql("::integer"),
            ]
        );
    }

    #[test]
    fn a_missing_value_is_an_error_not_a_panic() {
        use diesel::query_builder::QueryBuilder;
        let query = prepared("SELECT $2").int(1);
        let mut builder = diesel::pg::PgQueryBuilder::default();
        let built = query.to_sql(&mut builder, &Pg);
        assert!(built.is_err());
        let _ = builder.finish();
    }
}
