//! Writers that meet on the roll-ups must not deadlock. Each case here used to: a
//! committee and its cell registering their first initiatives of a year, two initiatives
//! trading fields, a long import beside registrations, a merge while its units register.
//! Real concurrent connections, no retry: any error a writer gets fails the test, and the
//! roll-ups must equal a recount afterwards.

use std::sync::{Arc, Barrier};
use std::thread;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use lamtheobac::domain::{Role, Scope, UnitKind};
use lamtheobac::store;

use crate::helpers::*;
use crate::rollups::discrepancies;

/// A writer: runs on its own connection and returns the errors it met.
type Writer = Box<dyn FnOnce(&mut PgConnection) -> Vec<String> + Send>;

/// One registration, as the form writes it (status and review at their defaults).
fn register(unit: i32, year: i32, field: &str, actor: i32) -> String {
    format!(
        "INSERT INTO initiatives (year, kind, title, field, unit_id, estimated_cost_vnd, \
         start_date, due_date, created_by, updated_by) VALUES ({year}, 'model', \
         'Mô hình đăng ký cùng lúc', '{field}', {unit}, 15000000, '{year}-02-01', \
         '{year}-11-30', {actor}, {actor})"
    )
}

/// Runs each writer on its own connection, all at once; returns every error they met.
fn at_once(url: &str, writers: Vec<Writer>) -> Vec<String> {
    let handles: Vec<_> = writers
        .into_iter()
        .map(|writer| {
            let url = url.to_owned();
            thread::spawn(move || {
                let mut conn = PgConnection::establish(&url).expect("connect");
                writer(&mut conn)
            })
        })
        .collect();
    handles
        .into_iter()
        .flat_map(|handle| handle.join().expect("writer thread"))
        .collect()
}

/// No writer met an error (a deadlock victim would have), and the roll-ups equal a recount.
fn assert_no_error_and_exact(conn: &mut PgConnection, errors: Vec<String>) {
    assert_eq!(errors, Vec::<String>::new(), "writers failed");
    assert_eq!(discrepancies(conn), 0, "roll-ups differ from a recount");
}

fn run(conn: &mut PgConnection, sql: &str, errors: &mut Vec<String>) {
    if let Err(error) = conn.batch_execute(sql) {
        errors.push(error.to_string());
        let _ = conn.batch_execute("ROLLBACK");
    }
}

/// A province and a bloc (coded `prefix`, `prefix-K`) with `committees` grassroots
/// committees of `cells` cells each, all expected to register.
fn committees(
    conn: &mut PgConnection,
    prefix: &str,
    committees: usize,
    cells: usize,
) -> Vec<(i32, Vec<i32>)> {
    let province = create_unit(
        conn,
        prefix,
        "Tỉnh ủy thử",
        UnitKind::ProvinceCommittee,
        None,
        false,
    );
    let bloc = create_unit(
        conn,
        &format!("{prefix}-K"),
        "Đảng ủy Khối",
        UnitKind::BlocCommittee,
        Some(province),
        false,
    );
    (0..committees)
        .map(|c| {
            let committee = create_unit(
                conn,
                &format!("{prefix}-K-D{c}"),
                &format!("Đảng bộ cơ sở {c}"),
                UnitKind::GrassrootsCommittee,
                Some(bloc),
                true,
            );
            let cells = (0..cells)
                .map(|k| {
                    create_unit(
                        conn,
                        &format!("{prefix}-K-D{c}-C{k}"),
                        &format!("Chi bộ {c}.{k}"),
                        UnitKind::GrassrootsCell,
                        Some(committee),
                        true,
                    )
                })
                .collect();
            (committee, cells)
        })
        .collect()
}

fn registered_units(conn: &mut PgConnection, unit: i32, year: i32) -> i64 {
    app_scalar(
        conn,
        &format!(
            "SELECT coalesce(sum(registered_units), 0)::bigint AS value FROM subtree_coverage \
             WHERE unit_id = {unit} AND year = {year}"
        ),
    )
}

fn app_scalar(conn: &mut PgConnection, sql: &str) -> i64 {
    #[derive(QueryableByName)]
    struct Value {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        value: i64,
    }
    diesel::sql_query(sql)
        .get_result::<Value>(conn)
        .expect("scalar")
        .value
}

#[test]
fn a_committee_and_its_cell_register_their_first_initiatives_at_once_in_both_orders() {
    let app = TestApp::spawn();
    let mut conn = app.db();
    let actor = create_user(&mut conn, "quantri", Role::Admin, None, true);
    let tree = committees(&mut conn, "T", 2, 4);
    let (committee, cells) = tree[0].clone();
    const ROUNDS: i32 = 25;
    let barrier = Arc::new(Barrier::new(2 + cells.len()));
    let mut writers: Vec<Writer> = Vec::new();
    // Two writers take the committee and the first cell in one transaction each, in
    // opposite orders; the other cells register alone, all in the same year each round.
    for order in 0..2 {
        let barrier = barrier.clone();
        let (first, second) = if order == 0 {
            (committee, cells[0])
        } else {
            (cells[0], committee)
        };
        writers.push(Box::new(move |conn| {
            let mut errors = Vec::new();
            for year in 2001..2001 + ROUNDS {
                barrier.wait();
                run(
                    conn,
                    &format!(
                        "BEGIN; {}; {}; COMMIT",
                        register(first, year, "professional", actor),
                        register(second, year, "admin_reform", actor)
                    ),
                    &mut errors,
                );
            }
            errors
        }));
    }
    for &cell in &cells {
        let barrier = barrier.clone();
        writers.push(Box::new(move |conn| {
            let mut errors = Vec::new();
            for year in 2001..2001 + ROUNDS {
                barrier.wait();
                run(
                    conn,
                    &register(cell, year, "serving_people", actor),
                    &mut errors,
                );
            }
            errors
        }));
    }
    let errors = at_once(&app.db_url, writers);
    assert_no_error_and_exact(&mut conn, errors);
    for year in 2001..2001 + ROUNDS {
        // The committee and its four cells have all registered: five of five.
        assert_eq!(
            registered_units(&mut conn, committee, year),
            5,
            "coverage in {year}"
        );
    }
}

#[test]
fn two_initiatives_trading_fields_at_once_do_not_deadlock() {
    let app = TestApp::spawn();
    let mut conn = app.db();
    let actor = create_user(&mut conn, "quantri", Role::Admin, None, true);
    let tree = committees(&mut conn, "T", 2, 4);
    let unit = tree[0].1[1];
    conn.batch_execute(&register(unit, 2024, "professional", actor))
        .expect("first");
    conn.batch_execute(&register(unit, 2024, "admin_reform", actor))
        .expect("second");
    let ids: Vec<i32> = diesel::sql_query("SELECT id FROM initiatives ORDER BY id")
        .load::<IdRow>(&mut conn)
        .expect("ids")
        .into_iter()
        .map(|row| row.id)
        .collect();
    const ROUNDS: usize = 40;
    let barrier = Arc::new(Barrier::new(2));
    let writers: Vec<Writer> = ids
        .iter()
        .map(|&id| {
            let barrier = barrier.clone();
            Box::new(move |conn: &mut PgConnection| {
                let mut errors = Vec::new();
                for _ in 0..ROUNDS {
                    barrier.wait();
                    // Each takes the other's field: one leaves A for B while the other
                    // leaves B for A.
                    run(
                        conn,
                        &format!(
                            "UPDATE initiatives SET field = CASE field WHEN 'professional' \
                             THEN 'admin_reform' ELSE 'professional' END, \
                             estimated_cost_vnd = estimated_cost_vnd + 1 WHERE id = {id}"
                        ),
                        &mut errors,
                    );
                }
                errors
            }) as Writer
        })
        .collect();
    let errors = at_once(&app.db_url, writers);
    assert_no_error_and_exact(&mut conn, errors);
}

#[derive(QueryableByName)]
struct IdRow {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    id: i32,
}

#[test]
fn a_long_import_beside_registrations_does_not_deadlock() {
    let app = TestApp::spawn();
    let mut conn = app.db();
    let actor = create_user(&mut conn, "quantri", Role::Admin, None, true);
    let tree = committees(&mut conn, "T", 2, 4);
    let units: Vec<i32> = tree
        .iter()
        .flat_map(|(committee, cells)| std::iter::once(*committee).chain(cells.iter().copied()))
        .collect();
    const ROUNDS: usize = 6;
    const FIELDS: [&str; 3] = ["professional", "admin_reform", "serving_people"];
    let barrier = Arc::new(Barrier::new(4));
    let mut writers: Vec<Writer> = Vec::new();
    {
        // The import's confirm: one transaction, one statement per row, the rows in the
        // file's order (here: the units backwards, every field).
        let barrier = barrier.clone();
        let units = units.clone();
        writers.push(Box::new(move |conn| {
            let mut errors = Vec::new();
            for round in 0..ROUNDS {
                barrier.wait();
                let mut sql = String::from("BEGIN;");
                for (n, &unit) in units.iter().rev().enumerate() {
                    let field = FIELDS[(n + round) % FIELDS.len()];
                    sql.push_str(&register(unit, 2030 + round as i32, field, actor));
                    sql.push(';');
                }
                sql.push_str("COMMIT");
                run(conn, &sql, &mut errors);
            }
            errors
        }));
    }
    for writer in 0..3 {
        let barrier = barrier.clone();
        let units = units.clone();
        writers.push(Box::new(move |conn| {
            let mut errors = Vec::new();
            for round in 0..ROUNDS {
                barrier.wait();
                for (n, &unit) in units.iter().enumerate().skip(writer).step_by(2) {
                    let field = FIELDS[(n + writer) % FIELDS.len()];
                    run(
                        conn,
                        &register(unit, 2030 + round as i32, field, actor),
                        &mut errors,
                    );
                }
            }
            errors
        }));
    }
    let errors = at_once(&app.db_url, writers);
    assert_no_error_and_exact(&mut conn, errors);
}

#[test]
fn a_merge_while_its_units_register_does_not_deadlock() {
    let app = TestApp::spawn();
    let mut conn = app.db();
    let actor = create_user(&mut conn, "quantri", Role::Admin, None, true);
    const PAIRS: usize = 4;
    // Pairs of committees with two cells each; each round one merges into the other.
    let pairs: Vec<[(i32, Vec<i32>); 2]> = committees(&mut conn, "M", 2 * PAIRS, 2)
        .chunks(2)
        .map(|pair| [pair[0].clone(), pair[1].clone()])
        .collect();
    for pair in &pairs {
        for (committee, _) in pair {
            conn.batch_execute(&register(*committee, 2026, "professional", actor))
                .expect("seed");
        }
    }
    let barrier = Arc::new(Barrier::new(4));
    let mut writers: Vec<Writer> = Vec::new();
    {
        let barrier = barrier.clone();
        let pairs = pairs.clone();
        writers.push(Box::new(move |conn| {
            let mut errors = Vec::new();
            for pair in &pairs {
                barrier.wait();
                let absorbed = store::units::find_in_scope(conn, Scope::Everything, pair[0].0)
                    .expect("look the unit up")
                    .expect("the unit exists");
                if let Err(error) = store::units::merge(conn, actor, &absorbed, pair[1].0, 2026) {
                    errors.push(format!("merge: {error}"));
                }
            }
            errors
        }));
    }
    for writer in 0..3usize {
        let barrier = barrier.clone();
        let pairs = pairs.clone();
        writers.push(Box::new(move |conn| {
            let mut errors = Vec::new();
            for pair in &pairs {
                barrier.wait();
                // Both committees' cells, and the surviving committee, register meanwhile.
                let units: Vec<i32> = pair
                    .iter()
                    .flat_map(|(_, cells)| cells.iter().copied())
                    .chain(std::iter::once(pair[1].0))
                    .collect();
                for (n, &unit) in units.iter().enumerate() {
                    let field = ["admin_reform", "serving_people", "other"][(n + writer) % 3];
                    run(conn, &register(unit, 2026, field, actor), &mut errors);
                }
            }
            errors
        }));
    }
    let errors = at_once(&app.db_url, writers);
    assert_no_error_and_exact(&mut conn, errors);
    for pair in &pairs {
        let absorbed = app.unit(pair[0].0);
        assert!(
            !absorbed.active,
            "the absorbed committee is no longer active"
        );
    }
}
