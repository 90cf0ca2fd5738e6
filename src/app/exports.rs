//! The annual summary's exports, one use case a file: the selection they are for
//! ([`select`]), the summary of the printable page and the PDF ([`annual_summary`]),
//! the workbook ([`annual_workbook`]) and the CSV list ([`write_list_csv`]).
//!
//! Every figure of one file comes from one snapshot: the summary's reads run in one
//! READ ONLY, REPEATABLE READ transaction, and the workbook's summary sheet and its
//! list sheet are read in the same one, so a registration committed meanwhile cannot
//! make the two disagree. Drawing the PDF and packing the workbook happen after the
//! reads, once the caller can give the connection back.

use std::io::{self, Write};

use chrono::NaiveDate;
use diesel::PgConnection;

use crate::app::Error;
use crate::app::selection::{resolve_unit, resolve_year};
use crate::config::Margins;
use crate::domain::list_sort::ListSort;
use crate::domain::report;
use crate::domain::{Scope, Year};
use crate::exports::csv::CsvList;
use crate::exports::summary::{self, AnnualSummary, ReportDocument};
use crate::exports::xlsx::XlsxExport;
use crate::store;
use crate::store::initiative_list::InitiativeFilter;
use crate::store::initiatives::InitiativeExported;
use crate::store::units::Unit;

/// The unit and year an export is for, resolved inside the person's scope.
#[derive(Debug, Clone)]
pub struct Selection {
    pub scope: Scope,
    pub unit: Unit,
    pub year: i32,
}

impl Selection {
    /// The name its report's files are saved under, without the extension.
    pub fn file_stem(&self) -> String {
        summary::file_stem(self.year, &self.unit.code)
    }
}

/// What the report says besides its figures.
#[derive(Debug, Clone)]
pub struct ReportPlace {
    /// The place name of the report's date line, when the settings give one.
    pub place: Option<String>,
    /// Today in Vietnam: how far the year's figures reach (never the report's date).
    pub today: NaiveDate,
    /// `date=` of the query: the report's date for this one export.
    pub date: Option<NaiveDate>,
    /// `number=` of the query: the document's number for this one export.
    pub number: Option<i32>,
}

/// The requested unit (not found outside the scope, the scope's top unit when none is
/// asked for) and year (the newest with data when none is asked for).
pub fn select(
    conn: &mut PgConnection,
    scope: Scope,
    unit: Option<i32>,
    year: Option<Year>,
) -> Result<Selection, Error> {
    store::read_snapshot(conn, |conn| select_in(conn, scope, unit, year))
}

fn select_in(
    conn: &mut PgConnection,
    scope: Scope,
    unit: Option<i32>,
    year: Option<Year>,
) -> Result<Selection, Error> {
    let unit = resolve_unit(conn, scope, unit)?;
    let (year, _) = resolve_year(conn, scope, year)?;
    Ok(Selection {
        scope,
        unit,
        year: year.get(),
    })
}

/// The selection and its summary (the printable page, the PDF), in one snapshot.
pub fn annual_summary(
    conn: &mut PgConnection,
    scope: Scope,
    unit: Option<i32>,
    year: Option<Year>,
    report: &ReportPlace,
) -> Result<(Selection, AnnualSummary), Error> {
    store::read_snapshot(conn, |conn| {
        let selection = select_in(conn, scope, unit, year)?;
        let summary = summary_of(conn, &selection, report)?;
        Ok((selection, summary))
    })
}

/// Reads the summary inside the caller's transaction.
fn summary_of(
    conn: &mut PgConnection,
    selection: &Selection,
    report: &ReportPlace,
) -> Result<AnnualSummary, Error> {
    // The whole chain up to the root, beyond the person's scope: the header names the
    // organisation above the unit and the province the report is written in.
    let breadcrumb = store::units::path_in_scope(conn, Scope::Everything, selection.unit.id)?;
    let document = document_of(conn, selection, report)?;
    Ok(summary::load(
        conn,
        selection.unit.clone(),
        &breadcrumb,
        selection.year,
        &document,
        report.today,
    )?)
}

/// What the report says besides its figures: the unit's settings for the year, the
/// query's overrides over them, and the defaults where neither says anything.
fn document_of(
    conn: &mut PgConnection,
    selection: &Selection,
    report: &ReportPlace,
) -> Result<ReportDocument, Error> {
    let unit = &selection.unit;
    let stored = store::report_settings::get(conn, unit.id, selection.year)?.unwrap_or_default();
    let own_abbreviation = store::report_settings::abbreviation(conn, unit.id)?;
    let date = match report.date.or(stored.report_date) {
        Some(date) => date,
        None => {
            let deadline = store::deadlines::for_unit(conn, unit.id, selection.year)?;
            report::default_report_date(
                selection.year,
                deadline.and_then(|deadline| deadline.reporting_deadline),
            )
        }
    };
    let place = Some(stored.place.trim().to_owned())
        .filter(|place| !place.is_empty())
        .or_else(|| report.place.clone());
    Ok(ReportDocument {
        number: report.number.or(stored.document_number),
        abbreviation: report::abbreviation(unit.kind, own_abbreviation.as_deref(), &unit.code)
            .to_owned(),
        date,
        place,
        signer_name: stored.signer_name,
        signer_position: stored.signer_position,
        recipients: report::lines(&stored.recipients),
        assessment: report::lines(&stored.assessment),
        next_year: report::lines(&stored.next_year),
    })
}

/// Why a file could not be written: a read failed, or the writing did (a full disk,
/// a reader gone away).
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("the export's reads failed")]
    Read(#[from] Error),
    #[error(transparent)]
    Write(#[from] io::Error),
}

impl From<diesel::result::Error> for WriteError {
    fn from(error: diesel::result::Error) -> WriteError {
        WriteError::Read(error.into())
    }
}

impl From<rust_xlsxwriter::XlsxError> for WriteError {
    fn from(error: rust_xlsxwriter::XlsxError) -> WriteError {
        WriteError::Write(io::Error::other(error))
    }
}

/// The writer's own failure keeps its kind (a download cancelled is a broken pipe).
impl From<WriteError> for io::Error {
    fn from(error: WriteError) -> io::Error {
        match error {
            WriteError::Write(error) => error,
            read => io::Error::other(read),
        }
    }
}

/// The selection's summary and every initiative of its list, read in one snapshot:
/// `begin` gets the summary and starts the file, `push` then gets each initiative in
/// the summary's order, so what the two parts of a file say can never disagree.
pub fn summary_and_list<S>(
    conn: &mut PgConnection,
    selection: &Selection,
    report: &ReportPlace,
    begin: impl FnOnce(&AnnualSummary) -> Result<S, WriteError>,
    mut push: impl FnMut(&mut S, &InitiativeExported) -> Result<(), WriteError>,
) -> Result<S, WriteError> {
    store::read_snapshot(conn, |conn| {
        let summary = summary_of(conn, selection, report)?;
        let mut file = begin(&summary)?;
        for_each_listed(conn, selection, |row| push(&mut file, row))?;
        Ok(file)
    })
}

/// The workbook (sheets "Tổng hợp" and "Danh sách") with every row in it, read in one
/// snapshot; the caller gives the connection back before it packs the file
/// ([`XlsxExport::finish`]).
pub fn annual_workbook(
    conn: &mut PgConnection,
    selection: &Selection,
    report: &ReportPlace,
    margins: &Margins,
) -> Result<XlsxExport, WriteError> {
    summary_and_list(
        conn,
        selection,
        report,
        |summary| Ok(XlsxExport::new(summary, margins)?),
        |workbook, row| Ok(workbook.push(row)?),
    )
}

/// The list as CSV, written to `out` as the rows arrive (one query: one snapshot).
pub fn write_list_csv(
    conn: &mut PgConnection,
    selection: &Selection,
    out: impl Write,
) -> Result<(), WriteError> {
    let mut list = CsvList::new(out)?;
    for_each_listed(conn, selection, |row| Ok(list.push(row)?))?;
    list.into_inner().flush()?;
    Ok(())
}

/// Before a download of the list starts: a filter on a unit outside the scope is not
/// found, as on the list page.
pub fn check_list_filter(
    conn: &mut PgConnection,
    scope: Scope,
    filter: &InitiativeFilter,
) -> Result<(), Error> {
    if let Some(unit_id) = filter.unit_id {
        store::units::find_in_scope(conn, scope, unit_id)?.ok_or(Error::NotFound)?;
    }
    Ok(())
}

/// The initiatives list as the list page shows it (its filter and sort, in the
/// person's scope) as CSV, written to `out` as the rows arrive (one query: one snapshot).
/// The caller has checked the filter with [`check_list_filter`].
pub fn write_sorted_list_csv(
    conn: &mut PgConnection,
    scope: Scope,
    filter: &InitiativeFilter,
    sort: ListSort,
    out: impl Write,
) -> Result<(), WriteError> {
    let mut list = CsvList::new(out)?;
    each_sorted(conn, scope, filter, sort, |row| Ok(list.push(row)?))?;
    list.into_inner().flush()?;
    Ok(())
}

/// The same list as a workbook of one sheet, "Danh sách", packed by the caller.
pub fn sorted_list_workbook(
    conn: &mut PgConnection,
    scope: Scope,
    filter: &InitiativeFilter,
    sort: ListSort,
    margins: &Margins,
) -> Result<XlsxExport, WriteError> {
    let mut workbook = XlsxExport::list_only(
        "DANH SÁCH MÔ HÌNH, CÔNG TRÌNH “HỌC TẬP VÀ LÀM THEO BÁC”",
        "Theo bộ lọc và thứ tự của trang danh sách",
        margins,
    )?;
    each_sorted(conn, scope, filter, sort, |row| Ok(workbook.push(row)?))?;
    Ok(workbook)
}

/// Hands every initiative of the list page's filter to `push`, in its sort, stopping at
/// the first failure.
fn each_sorted(
    conn: &mut PgConnection,
    scope: Scope,
    filter: &InitiativeFilter,
    sort: ListSort,
    mut push: impl FnMut(&InitiativeExported) -> Result<(), WriteError>,
) -> Result<(), WriteError> {
    let mut failure = None;
    store::list_sorted::for_each_sorted(conn, scope, filter, sort, |row| match push(&row) {
        Ok(()) => true,
        Err(error) => {
            failure = Some(error);
            false
        }
    })?;
    failure.map_or(Ok(()), Err)
}

/// Hands every initiative of the selection to `push`, in the summary's order, stopping
/// at the first failure.
fn for_each_listed(
    conn: &mut PgConnection,
    selection: &Selection,
    mut push: impl FnMut(&InitiativeExported) -> Result<(), WriteError>,
) -> Result<(), WriteError> {
    let mut failure = None;
    store::initiatives::for_each_in_summary_order(
        conn,
        selection.scope,
        selection.unit.id,
        selection.year,
        |row| match push(&row) {
            Ok(()) => true,
            Err(error) => {
                failure = Some(error);
                false
            }
        },
    )?;
    failure.map_or(Ok(()), Err)
}
