//! Tera filters and functions that show money, numbers, percentages and dates the Vietnamese way.
//!
//! Filters: `vnd` (`6.012.500.000 đ`), `vnd_short` (`6,01 tỷ đồng`), `vnd_headline`
//! (`hơn 6 tỷ đồng`), `thousands` (`6.012.500.000`), `date_vi` (`31/12/2022`),
//! `datetime_vi` (`14:05 31/12/2022`, Vietnam time). Functions: `percent(num=, den=)`
//! (`64,9%`) and `percent_value(num=, den=)` (a number 0–100 for bar widths).
//!
//! A `null` input (an absent optional field) renders as an empty string. Any other
//! wrong type returns a `tera::Error` naming the filter, so a template bug shows up as
//! a render error instead of a panic or a silently wrong figure.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use tera::{Error, Result, Tera, Value};

use crate::domain::format;

/// Registers every filter and function of this module on `tera`.
pub fn register_filters(tera: &mut Tera) {
    tera.register_filter("vnd", money_filter("vnd", format::vnd_full));
    tera.register_filter("vnd_short", money_filter("vnd_short", format::vnd_short));
    tera.register_filter(
        "vnd_headline",
        money_filter("vnd_headline", format::vnd_headline),
    );
    tera.register_filter(
        "thousands",
        money_filter("thousands", format::group_thousands),
    );
    tera.register_filter("date_vi", date_vi_filter);
    tera.register_filter("datetime_vi", datetime_vi_filter);
    tera.register_filter("file_size", money_filter("file_size", format::file_size));
    tera.register_function("percent", percent_function);
    tera.register_function("percent_value", percent_value_function);
}

/// Builds a filter that formats a whole number of đồng (or any integer) with `fmt`.
fn money_filter(
    name: &'static str,
    fmt: fn(i64) -> String,
) -> impl Fn(&Value, &HashMap<String, Value>) -> Result<Value> + Send + Sync {
    move |value, _args| match value {
        Value::Null => Ok(Value::String(String::new())),
        other => Ok(Value::String(fmt(to_i64(other, name, "value")?))),
    }
}

/// Reads a JSON number as a whole `i64`. Floats are accepted only when integral, since
/// a fraction of a đồng or of a count means the caller passed the wrong thing.
fn to_i64(value: &Value, name: &str, what: &str) -> Result<i64> {
    if let Value::Number(n) = value {
        if let Some(i) = n.as_i64() {
            return Ok(i);
        }
        if let Some(f) = n.as_f64() {
            // 2^63 is exactly representable; anything in [-2^63, 2^63) fits an i64.
            const LIMIT: f64 = 9_223_372_036_854_775_808.0;
            if f.is_finite() && f.fract() == 0.0 && (-LIMIT..LIMIT).contains(&f) {
                return Ok(f as i64);
            }
        }
    }
    Err(Error::msg(format!(
        "`{name}`: {what} must be a whole number that fits in i64, got {value}"
    )))
}

/// `date_vi`: a `YYYY-MM-DD` string (how chrono serialises `NaiveDate`) → `31/12/2022`.
fn date_vi_filter(value: &Value, _args: &HashMap<String, Value>) -> Result<Value> {
    match value {
        Value::Null => Ok(Value::String(String::new())),
        Value::String(s) => s
            .parse::<NaiveDate>()
            .map(|d| Value::String(format::date_vi(d)))
            .map_err(|e| Error::msg(format!("`date_vi`: {s:?} is not a YYYY-MM-DD date: {e}"))),
        other => Err(Error::msg(format!(
            "`date_vi`: expected a YYYY-MM-DD string or null, got {other}"
        ))),
    }
}

/// `datetime_vi`: an RFC 3339 string (how chrono serialises `DateTime<Utc>`) →
/// `14:05 31/12/2022` in Vietnam time. A timestamp without an offset is refused rather
/// than guessed to be UTC, which could shift it by seven hours.
fn datetime_vi_filter(value: &Value, _args: &HashMap<String, Value>) -> Result<Value> {
    match value {
        Value::Null => Ok(Value::String(String::new())),
        Value::String(s) => DateTime::parse_from_rfc3339(s)
            .map(|dt| Value::String(format::datetime_vi(dt.with_timezone(&Utc))))
            .map_err(|e| {
                Error::msg(format!(
                    "`datetime_vi`: {s:?} is not an RFC 3339 timestamp: {e}"
                ))
            }),
        other => Err(Error::msg(format!(
            "`datetime_vi`: expected an RFC 3339 string or null, got {other}"
        ))),
    }
}

/// Reads the `num` and `den` arguments shared by the percent functions.
fn num_den(name: &str, args: &HashMap<String, Value>) -> Result<(i64, i64)> {
    let get = |key: &str| match args.get(key) {
        Some(v) => to_i64(v, name, key),
        None => Err(Error::msg(format!("`{name}`: missing argument `{key}`"))),
    };
    Ok((get("num")?, get("den")?))
}

/// `percent(num=61, den=94)` → `64,9%`.
fn percent_function(args: &HashMap<String, Value>) -> Result<Value> {
    let (num, den) = num_den("percent", args)?;
    Ok(Value::String(format::percent(num, den)))
}

/// `percent_value(num=61, den=94)` → `64.9`: a plain number (decimal point, for CSS)
/// between 0 and 100, rounded to one decimal, for `style="width: …%"`.
fn percent_value_function(args: &HashMap<String, Value>) -> Result<Value> {
    let (num, den) = num_den("percent_value", args)?;
    let rounded = (format::percent_value(num, den) * 10.0).round() / 10.0;
    // The value is finite (0..=100), so the conversion cannot fail; fall back to 0.
    Ok(serde_json::Number::from_f64(rounded)
        .map(Value::Number)
        .unwrap_or_else(|| Value::from(0)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tera::Context;

    fn tera() -> Tera {
        let mut t = Tera::default();
        register_filters(&mut t);
        t
    }

    fn render(template: &str, ctx: &Context) -> Result<String> {
        tera().render_str(template, ctx)
    }

    fn ctx(pairs: &[(&str, Value)]) -> Context {
        let mut c = Context::new();
        for (k, v) in pairs {
            c.insert(*k, v);
        }
        c
    }

    fn ok(template: &str, pairs: &[(&str, Value)]) -> String {
        match render(template, &ctx(pairs)) {
            Ok(s) => s,
            Err(e) => panic!("{template} failed: {e:?}"),
        }
    }

    #[test]
    fn money_filters() {
        let v = [("v", Value::from(6_012_500_000_i64))];
        assert_eq!(ok("{{ v | vnd }}", &v), "6.012.500.000 đ");
        assert_eq!(ok("{{ v | vnd_short }}", &v), "6,01 tỷ đồng");
        assert_eq!(ok("{{ v | thousands }}", &v), "6.012.500.000");
        let h = [("v", Value::from(6_039_000_000_i64))];
        assert_eq!(ok("{{ v | vnd_headline }}", &h), "hơn 6 tỷ đồng");
        assert_eq!(ok("{{ 94 | thousands }}", &[]), "94");
        assert_eq!(ok("{{ -1500 | thousands }}", &[]), "-1.500");
        // An integral float (e.g. from a sum in the template) is accepted.
        assert_eq!(ok("{{ 6000000.0 | vnd }}", &[]), "6.000.000 đ");
    }

    #[test]
    fn money_filters_take_a_vnd() {
        let amount = crate::domain::money::Vnd::new(719_690_000);
        let mut c = Context::new();
        c.insert("v", &amount);
        assert_eq!(
            render("{{ v | vnd_short }}", &c).ok().as_deref(),
            Some("719,69 triệu đồng")
        );
    }

    #[test]
    fn null_renders_empty() {
        let n = [("v", Value::Null)];
        for f in [
            "vnd",
            "vnd_short",
            "vnd_headline",
            "thousands",
            "date_vi",
            "datetime_vi",
        ] {
            assert_eq!(ok(&format!("[{{{{ v | {f} }}}}]"), &n), "[]", "{f}");
        }
    }

    #[test]
    fn money_filters_refuse_wrong_types() {
        for bad in [
            Value::from("6000000"),
            Value::from(6.5),
            Value::from(true),
            Value::from(u64::MAX),
            Value::from(1e30),
            serde_json::json!([1, 2]),
            serde_json::json!({"a": 1}),
        ] {
            for f in ["vnd", "vnd_short", "vnd_headline", "thousands"] {
                let r = render(&format!("{{{{ v | {f} }}}}"), &ctx(&[("v", bad.clone())]));
                assert!(r.is_err(), "{f} accepted {bad}");
            }
        }
    }

    #[test]
    fn dates() {
        let d = [("d", Value::from("2022-12-31"))];
        assert_eq!(ok("{{ d | date_vi }}", &d), "31/12/2022");
        let dt = [("t", Value::from("2022-12-31T07:05:00Z"))];
        assert_eq!(ok("{{ t | datetime_vi }}", &dt), "14:05 31/12/2022");
        let frac = [("t", Value::from("2022-12-31T07:05:59.123456Z"))];
        assert_eq!(ok("{{ t | datetime_vi }}", &frac), "14:05 31/12/2022");
        let offset = [("t", Value::from("2022-12-31T14:05:00+07:00"))];
        assert_eq!(ok("{{ t | datetime_vi }}", &offset), "14:05 31/12/2022");
    }

    #[test]
    fn dates_from_chrono_serialisation() {
        let mut c = Context::new();
        c.insert("d", &NaiveDate::from_ymd_opt(2018, 4, 3));
        let dt: Option<DateTime<Utc>> = DateTime::parse_from_rfc3339("2022-12-31T20:30:00Z")
            .ok()
            .map(|d| d.with_timezone(&Utc));
        c.insert("t", &dt);
        assert_eq!(
            render("{{ d | date_vi }} {{ t | datetime_vi }}", &c)
                .ok()
                .as_deref(),
            Some("03/04/2018 03:30 01/01/2023")
        );
    }

    #[test]
    fn date_filters_refuse_wrong_input() {
        for bad in [
            Value::from("31/12/2022"),
            Value::from("2022-02-30"),
            Value::from(""),
            Value::from(20221231),
            Value::from(false),
        ] {
            let r = render("{{ d | date_vi }}", &ctx(&[("d", bad.clone())]));
            assert!(r.is_err(), "date_vi accepted {bad}");
        }
        for bad in [
            Value::from("2022-12-31"),
            Value::from("2022-12-31T07:05:00"),
            Value::from("nonsense"),
            Value::from(1_672_470_300),
        ] {
            let r = render("{{ t | datetime_vi }}", &ctx(&[("t", bad.clone())]));
            assert!(r.is_err(), "datetime_vi accepted {bad}");
        }
    }

    #[test]
    fn percent_functions() {
        let c = [("a", Value::from(61)), ("b", Value::from(94))];
        assert_eq!(ok("{{ percent(num=a, den=b) }}", &c), "64,9%");
        assert_eq!(ok("{{ percent(num=94, den=94) }}", &[]), "100%");
        assert_eq!(ok("{{ percent(num=3, den=0) }}", &[]), "0%");
        assert_eq!(ok("{{ percent_value(num=a, den=b) }}", &c), "64.9");
        assert_eq!(ok("{{ percent_value(num=5, den=0) }}", &[]), "0");
        assert_eq!(ok("{{ percent_value(num=150, den=100) }}", &[]), "100");
    }

    #[test]
    fn percent_refuses_bad_arguments() {
        for t in [
            "{{ percent(num=1) }}",
            "{{ percent(den=1) }}",
            "{{ percent() }}",
            "{{ percent(num='1', den=2) }}",
            "{{ percent(num=1.5, den=2) }}",
            "{{ percent_value(num=1) }}",
        ] {
            assert!(render(t, &Context::new()).is_err(), "{t}");
        }
    }
}
