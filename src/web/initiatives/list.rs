//! The initiatives list page: filters, sortable columns, page numbers, totals, and the
//! links to download exactly the list shown.

use actix_session::Session;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use tera::Tera;

use crate::app::initiatives::pages::{self, ListRequest};
use crate::app::initiatives::{InitiativeFilter, InitiativeListed, SortedRequest, list_position};
use crate::app::unit_picker::PickerInput;
use crate::auth::CurrentUser;
use crate::db::{self, PgPool};
use crate::domain::cursor::PageStart;
use crate::domain::list_sort::{Direction, ListPosition, ListSort, ReviewFilter, SortColumn};
use crate::domain::search::{EXACT_ONLY, SearchText};
use crate::domain::{Field, InitiativeKind, Review, Status, Year};
use crate::error::AppError;
use crate::web::forms::{choices, insert_initiative_choices, labels};
use crate::web::selection::{parse_unit, parse_year};
use crate::web::{page_context, paging, render};

pub const PER_PAGE: i64 = 25;

/// How many page numbers are linked on each side of the current one.
const NEARBY_PAGES: i64 = 2;

#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct ListQuery {
    pub year: Option<String>,
    pub unit: Option<String>,
    pub status: Option<String>,
    pub field: Option<String>,
    pub kind: Option<String>,
    pub review: Option<String>,
    pub q: Option<String>,
    pub sort: Option<String>,
    pub dir: Option<String>,
    /// Cursors of the previous / next links (`ListPosition`); a cursor this sort cannot
    /// read starts the list at its beginning.
    after: Option<String>,
    before: Option<String>,
    /// The page's number: alone, a page near the start read by OFFSET (see
    /// `page_start`); with a cursor, only the number the page shows.
    page: Option<String>,
    #[serde(flatten)]
    unit_picker: PickerInput,
}

/// The filters a list link carries, in the order they are written.
const FILTERS: [&str; 7] = ["year", "unit", "status", "field", "kind", "review", "q"];

impl ListQuery {
    fn filter_value(&self, name: &str) -> &Option<String> {
        match name {
            "year" => &self.year,
            "unit" => &self.unit,
            "status" => &self.status,
            "field" => &self.field,
            "kind" => &self.kind,
            "review" => &self.review,
            _ => &self.q,
        }
    }

    /// The filter as the form shows it again: every key present, empty when not given.
    fn as_shown(&self) -> std::collections::BTreeMap<&'static str, String> {
        FILTERS
            .iter()
            .map(|name| (*name, self.filter_value(name).clone().unwrap_or_default()))
            .collect()
    }

    /// The filters as a query string, for the links to carry.
    fn filters_query(&self) -> String {
        FILTERS
            .iter()
            .filter_map(|name| {
                let value = self
                    .filter_value(name)
                    .as_deref()
                    .filter(|value| !value.trim().is_empty())?;
                Some(format!("{name}={}", percent_encode(value)))
            })
            .collect::<Vec<_>>()
            .join("&")
    }

    /// The filter, parsed: a value this application does not offer is a bad request.
    pub fn filter(&self) -> Result<(InitiativeFilter, Option<Year>), AppError> {
        let year = parse_year(self.year.as_deref())?;
        let filter = InitiativeFilter {
            year: year.map(Year::get),
            unit_id: parse_unit(self.unit.as_deref())?,
            status: optional_code(self.status.as_deref(), Status::parse)?,
            field: optional_code(self.field.as_deref(), Field::parse)?,
            kind: optional_code(self.kind.as_deref(), InitiativeKind::parse)?,
            review: optional_code(self.review.as_deref(), ReviewFilter::parse)?,
            text: self.q.as_deref().and_then(SearchText::parse),
        };
        Ok((filter, year))
    }

    pub fn sort(&self) -> ListSort {
        ListSort::parse(self.sort.as_deref(), self.dir.as_deref())
    }

    /// The sort and the filters as a query string (what the page and export links keep).
    fn sorted_query(&self, sort: ListSort) -> String {
        let mut query = self.filters_query();
        if sort != ListSort::default() {
            if !query.is_empty() {
                query.push('&');
            }
            query.push_str(&format!(
                "sort={}&dir={}",
                sort.column.as_str(),
                sort.direction.as_str()
            ));
        }
        query
    }
}

/// Parses an optional code from a filter; empty means "any", unknown is a bad request.
fn optional_code<T>(
    input: Option<&str>,
    parse: fn(&str) -> Option<T>,
) -> Result<Option<T>, AppError> {
    match input.map(str::trim).filter(|value| !value.is_empty()) {
        None => Ok(None),
        Some(code) => parse(code).map(Some).ok_or(AppError::BadRequest("filter")),
    }
}

/// Where the page starts and its number. Paging is by keyset: "Trang trước" and "Trang
/// sau" carry the cursor of the row they continue from, and the page number only as a
/// label, so they cost one page whatever the page. A page number alone (the direct links
/// to nearby pages) is read from the start with OFFSET, which is bounded because only
/// numbers whose rows lie within the count's cap are accepted (at most 10,000 rows
/// skipped, on an index); past that it is the first page.
fn page_start(query: &ListQuery, sort: ListSort, cap: i64) -> (PageStart<ListPosition>, i64, i64) {
    let number = query
        .page
        .as_deref()
        .and_then(|page| page.trim().parse::<i64>().ok())
        .filter(|page| *page >= 1)
        .unwrap_or(1);
    let cursor = |text: &Option<String>| {
        text.as_deref()
            .map(str::trim)
            .filter(|text| !text.is_empty())
            .map(|text| ListPosition::decode(sort.column, text))
    };
    match (cursor(&query.after), cursor(&query.before)) {
        (Some(Some(position)), None) => (PageStart::After(position), 0, number.max(2)),
        (None, Some(Some(position))) => (PageStart::Before(position), 0, number),
        (None, None) if (number - 1) * PER_PAGE < cap => {
            (PageStart::First, (number - 1) * PER_PAGE, number)
        }
        // A forged or stale cursor, both at once, or a page past the cap.
        _ => (PageStart::First, 0, 1),
    }
}

/// A sortable column's header: its link and how it is sorted now.
#[derive(Serialize)]
struct Header {
    href: String,
    /// "ascending" / "descending" for the column the list is sorted on.
    aria_sort: Option<&'static str>,
    arrow: &'static str,
}

fn headers(query: &ListQuery, sort: ListSort) -> std::collections::BTreeMap<&'static str, Header> {
    SortColumn::ALL
        .iter()
        .map(|&column| {
            let current = sort.column == column;
            let direction = if current {
                sort.direction.reversed()
            } else {
                column.first_direction()
            };
            let target = ListSort { column, direction };
            let link = query.sorted_query(target);
            let (aria_sort, arrow) = match (current, sort.direction) {
                (false, _) => (None, ""),
                (true, Direction::Ascending) => (Some("ascending"), " ▲"),
                (true, Direction::Descending) => (Some("descending"), " ▼"),
            };
            let header = Header {
                href: format!("/initiatives?{link}"),
                aria_sort,
                arrow,
            };
            (column.as_str(), header)
        })
        .collect()
}

/// The links around one page of the list.
#[derive(Serialize)]
struct PageLinks {
    /// "Trang 3".
    number: i64,
    /// How many pages, when the count is exact.
    pages: Option<i64>,
    first: Option<String>,
    previous: Option<String>,
    next: Option<String>,
    /// Nearby page numbers and their links (the current one without).
    nearby: Vec<(i64, Option<String>)>,
}

impl PageLinks {
    fn around(
        page: &crate::app::initiatives::ListPage<InitiativeListed>,
        sorted: &str,
        sort: ListSort,
        number: i64,
        pages: Option<i64>,
        cap: i64,
    ) -> PageLinks {
        let number = if page.has_previous { number } else { 1 };
        let base = if sorted.is_empty() {
            "/initiatives?".to_owned()
        } else {
            format!("/initiatives?{sorted}&")
        };
        let cursor = |row: &InitiativeListed| list_position(row, sort.column).encode(sort.column);
        let previous = page
            .rows
            .first()
            .filter(|_| page.has_previous)
            .map(|row| format!("{base}before={}&page={}", cursor(row), (number - 1).max(1)));
        let next = page
            .rows
            .last()
            .filter(|_| page.has_next)
            .map(|row| format!("{base}after={}&page={}", cursor(row), number + 1));
        let last_linked = match pages {
            Some(pages) => pages.min(number + NEARBY_PAGES),
            None if page.has_next => number + NEARBY_PAGES,
            None => number,
        };
        let nearby = ((number - NEARBY_PAGES).max(1)..=last_linked)
            .filter(|page| (page - 1) * PER_PAGE < cap)
            .map(|page| {
                let href = (page != number).then(|| format!("{base}page={page}"));
                (page, href)
            })
            .collect();
        PageLinks {
            number,
            pages,
            first: page
                .has_previous
                .then(|| base.trim_end_matches(['?', '&']).to_owned()),
            previous,
            next,
            nearby,
        }
    }
}

/// GET /initiatives
pub async fn list(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    session: Session,
    user: CurrentUser,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let (filter, year) = query.filter()?;
    let sort = query.sort();
    let exact_search = filter.text.as_ref().is_some_and(SearchText::is_exact);
    let cap = match filter.text {
        Some(_) => paging::SEARCH_COUNT_CAP,
        None => paging::COUNT_CAP,
    };
    let (start, offset, number) = page_start(&query, sort, cap);
    let request = ListRequest {
        filter,
        sorted: SortedRequest {
            sort,
            start,
            offset,
            per_page: PER_PAGE,
        },
        count_cap: cap,
        year,
        unit_value: query.unit.clone().unwrap_or_default(),
        picker: query.unit_picker.clone(),
    };
    let scope = user.scope();
    let listed = db::run_app(&pool, move |conn| pages::list(conn, scope, &request)).await?;
    let (page, totals) = (listed.page, listed.totals);
    let pages = (!totals.over_cap).then(|| ((totals.count + PER_PAGE - 1) / PER_PAGE).max(1));
    let sorted = query.sorted_query(sort);
    let mut context = page_context(&session, Some(&user));
    insert_initiative_choices(&mut context);
    context.insert(
        "reviews",
        &choices(
            ReviewFilter::ALL,
            ReviewFilter::as_str,
            ReviewFilter::label_vi,
        ),
    );
    context.insert(
        "review_states",
        &labels(Review::ALL, Review::as_str, Review::report_label_vi),
    );
    context.insert(
        "links",
        &PageLinks::around(&page, &sorted, sort, number, pages, cap),
    );
    context.insert("headers", &headers(&query, sort));
    context.insert("rows", &page.rows);
    context.insert("totals", &totals);
    context.insert("count_shown", &(cap - 1));
    context.insert("exact_search", &exact_search.then_some(EXACT_ONLY));
    context.insert("unit_picker", &listed.unit_picker);
    context.insert("years", &listed.years);
    let filters_active = !query.filters_query().is_empty();
    context.insert("filters_active", &filters_active);
    context.insert(
        "filters_open",
        &(filters_active || query.unit_picker.is_browsing()),
    );
    context.insert("query", &query.as_shown());
    context.insert("sorted_query", &sorted);
    // The filter form keeps the sort (a new filter starts again at the first page).
    let sort_fields: Vec<(&str, &str)> = if sort == ListSort::default() {
        Vec::new()
    } else {
        vec![
            ("sort", sort.column.as_str()),
            ("dir", sort.direction.as_str()),
        ]
    };
    context.insert("sort_fields", &sort_fields);
    render(&tera, "initiatives/list.html", &context)
}

/// Encodes a query-string value (UTF-8 bytes outside the unreserved set as %XX).
fn percent_encode(value: &str) -> String {
    let mut encoded = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}
