//! The roll-up tables are exact: random sequences of changes (register, edit money,
//! change status, move between years, units and fields, delete, move a unit, merge a
//! unit into another, (de)activate a unit, add a unit) and, after each one, every
//! aggregate compared with a recount from the raw rows. Then the same under concurrent
//! writers, and the dashboard and stats API against the recount.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use lamtheobac::domain::{Role, UnitKind};

use crate::helpers::*;

/// A small, seeded generator: a failing case names its seed and replays exactly.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const FIELDS: [&str; 6] = [
    "professional",
    "admin_reform",
    "serving_people",
    "cultural_office",
    "social_welfare",
    "other",
];

/// Status and review pairs the database accepts, with whether they need a completion
/// date and an actual value.
const STATES: [(&str, &str, bool); 8] = [
    ("registered", "pending_approval", false),
    ("registered", "returned_registration", false),
    ("registered", "approved", false),
    ("in_progress", "approved", false),
    ("in_progress", "pending_acceptance", true),
    ("in_progress", "returned_completion", true),
    ("completed", "accepted", true),
    ("cancelled", "approved", false),
];

const YEARS: [i32; 3] = [2021, 2022, 2023];

fn ids(conn: &mut PgConnection, sql: &str) -> Vec<i32> {
    #[derive(QueryableByName)]
    struct Id {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        id: i32,
    }
    diesel::sql_query(sql)
        .load::<Id>(conn)
        .expect(sql)
        .into_iter()
        .map(|row| row.id)
        .collect()
}

fn scalar(conn: &mut PgConnection, sql: &str) -> i64 {
    #[derive(QueryableByName)]
    struct Scalar {
        #[diesel(sql_type = BigInt)]
        value: i64,
    }
    diesel::sql_query(sql)
        .get_result::<Scalar>(conn)
        .expect(sql)
        .value
}

/// Rows where the maintained roll-ups and a recount from the raw rows disagree, in
/// either direction, for all four tables. Empty when they are exact.
const DISCREPANCIES: &str = r#"
WITH stats_recount AS (
    SELECT a.id AS unit_id, i.year, i.field,
           count(*) AS registered,
           count(*) FILTER (WHERE i.status = 'registered') AS not_started,
           count(*) FILTER (WHERE i.status = 'in_progress') AS in_progress,
           count(*) FILTER (WHERE i.status = 'completed') AS completed,
           count(*) FILTER (WHERE i.status = 'cancelled') AS cancelled,
           sum(i.estimated_cost_vnd) AS estimated_cost_vnd,
           coalesce(sum(i.actual_value_vnd) FILTER (WHERE i.status = 'completed'), 0) AS actual_value_vnd,
           count(*) FILTER (WHERE i.review = 'pending_approval') AS awaiting_approval,
           count(*) FILTER (WHERE i.review = 'pending_acceptance') AS awaiting_acceptance,
           count(*) FILTER (WHERE i.review IN ('approved', 'returned_completion')
                              AND i.status IN ('registered', 'in_progress')) AS awaiting_report,
           count(*) FILTER (WHERE i.review IN ('returned_registration', 'returned_completion'))
               AS returned
      FROM units a
      JOIN units d ON d.path <@ a.path
      JOIN initiatives i ON i.unit_id = d.id
     GROUP BY a.id, i.year, i.field
),
stats_kept AS (
    SELECT unit_id, year, field, registered, not_started, in_progress, completed, cancelled,
           estimated_cost_vnd, actual_value_vnd, awaiting_approval, awaiting_acceptance,
           awaiting_report, returned
      FROM subtree_stats
     WHERE (registered, not_started, in_progress, completed, cancelled, estimated_cost_vnd,
            actual_value_vnd, awaiting_approval, awaiting_acceptance, awaiting_report, returned)
           <> (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
),
own_recount AS (
    SELECT unit_id, year, count(*) AS own_registered FROM initiatives GROUP BY unit_id, year
),
coverage_recount AS (
    SELECT a.id AS unit_id, o.year,
           count(*) FILTER (WHERE d.expected_to_register) AS registered_units,
           count(*) FILTER (WHERE d.expected_to_register AND NOT d.active)
               AS registered_inactive_units
      FROM units a
      JOIN units d ON d.path <@ a.path
      JOIN own_recount o ON o.unit_id = d.id
     GROUP BY a.id, o.year
),
coverage_full AS (
    SELECT coalesce(c.unit_id, o.unit_id) AS unit_id, coalesce(c.year, o.year) AS year,
           coalesce(o.own_registered, 0) AS own_registered,
           coalesce(c.registered_units, 0) AS registered_units,
           coalesce(c.registered_inactive_units, 0) AS registered_inactive_units
      FROM coverage_recount c
      FULL JOIN own_recount o ON o.unit_id = c.unit_id AND o.year = c.year
),
coverage_kept AS (
    SELECT unit_id, year, coalesce(o.initiatives, 0) AS own_registered,
           coalesce(c.registered_units, 0) AS registered_units,
           coalesce(c.registered_inactive_units, 0) AS registered_inactive_units
      FROM subtree_coverage c
      FULL JOIN unit_registered o USING (unit_id, year)
     WHERE (coalesce(o.initiatives, 0), coalesce(c.registered_units, 0),
            coalesce(c.registered_inactive_units, 0)) <> (0, 0, 0)
),
coverage_recounted AS (
    SELECT * FROM coverage_full
     WHERE (own_registered, registered_units, registered_inactive_units) <> (0, 0, 0)
),
units_recount AS (
    SELECT a.id AS unit_id, count(*) AS units,
           count(*) FILTER (WHERE d.expected_to_register AND d.active) AS expected_units
      FROM units a JOIN units d ON d.path <@ a.path
     GROUP BY a.id
),
due_recount AS (
    SELECT a.id AS unit_id, i.year, i.due_date, count(*) AS open
      FROM units a
      JOIN units d ON d.path <@ a.path
      JOIN initiatives i ON i.unit_id = d.id
     WHERE i.status IN ('registered', 'in_progress')
       AND i.review <> 'pending_acceptance'
     GROUP BY a.id, i.year, i.due_date
),
due_kept AS (
    SELECT unit_id, year, due_date, open FROM subtree_open_due WHERE open <> 0
)
SELECT count(*)::bigint AS value FROM (
    (SELECT 'stats', unit_id, year, field, registered FROM (SELECT * FROM stats_kept EXCEPT SELECT * FROM stats_recount) x)
    UNION ALL
    (SELECT 'stats', unit_id, year, field, registered FROM (SELECT * FROM stats_recount EXCEPT SELECT * FROM stats_kept) x)
    UNION ALL
    (SELECT 'coverage', unit_id, year, '', registered_units FROM (SELECT * FROM coverage_kept EXCEPT SELECT * FROM coverage_recounted) x)
    UNION ALL
    (SELECT 'coverage', unit_id, year, '', registered_units FROM (SELECT * FROM coverage_recounted EXCEPT SELECT * FROM coverage_kept) x)
    UNION ALL
    (SELECT 'units', unit_id, 0, '', units FROM (SELECT * FROM subtree_units EXCEPT SELECT * FROM units_recount) x)
    UNION ALL
    (SELECT 'units', unit_id, 0, '', units FROM (SELECT * FROM units_recount EXCEPT SELECT * FROM subtree_units) x)
    UNION ALL
    (SELECT 'due', unit_id, year, due_date::text, open FROM (SELECT * FROM due_kept EXCEPT SELECT * FROM due_recount) x)
    UNION ALL
    (SELECT 'due', unit_id, year, due_date::text, open FROM (SELECT * FROM due_recount EXCEPT SELECT * FROM due_kept) x)
) differences
"#;

pub(crate) fn discrepancies(conn: &mut PgConnection) -> i64 {
    scalar(conn, DISCREPANCIES)
}

/// A tree of a few levels: a root, blocs, grassroots committees and cells.
fn build_tree(conn: &mut PgConnection, rng: &mut Rng, prefix: &str) -> Vec<i32> {
    let root = create_unit(
        conn,
        &format!("{prefix}-R"),
        "Tỉnh ủy thử",
        UnitKind::ProvinceCommittee,
        None,
        false,
    );
    let mut units = vec![root];
    for bloc in 0..3 {
        let bloc_id = create_unit(
            conn,
            &format!("{prefix}-B{bloc}"),
            &format!("Đảng ủy Khối {bloc}"),
            UnitKind::BlocCommittee,
            Some(root),
            false,
        );
        units.push(bloc_id);
        for unit in 0..(2 + rng.below(3)) {
            let parent = create_unit(
                conn,
                &format!("{prefix}-B{bloc}-G{unit}"),
                &format!("Đảng bộ {bloc}.{unit}"),
                UnitKind::GrassrootsCommittee,
                Some(bloc_id),
                true,
            );
            units.push(parent);
            for cell in 0..rng.below(3) {
                units.push(create_unit(
                    conn,
                    &format!("{prefix}-B{bloc}-G{unit}-C{cell}"),
                    &format!("Chi bộ {bloc}.{unit}.{cell}"),
                    UnitKind::GrassrootsCell,
                    Some(parent),
                    rng.chance(80),
                ));
            }
        }
    }
    units
}

fn money(rng: &mut Rng) -> i64 {
    // Whole đồng, from nothing to a few billion, often round.
    match rng.below(4) {
        0 => 0,
        1 => (rng.below(1_000) as i64) * 1_000_000,
        2 => rng.next() as i64 & 0x7FFF_FFFF,
        _ => 6_012_500_000,
    }
}

/// Changes to initiatives only.
const INITIATIVE_CHANGES: usize = 8;
/// Those and reorganisation: moves, (de)activation, new units, merges.
const ALL_CHANGES: usize = 11;

/// One random change among the first `kinds`; returns what it did, for the failure
/// message.
fn random_operation(
    conn: &mut PgConnection,
    rng: &mut Rng,
    actor: i32,
    units: &mut Vec<i32>,
    prefix: &str,
    kinds: usize,
) -> QueryResult<String> {
    let initiatives = ids(conn, "SELECT id FROM initiatives ORDER BY id");
    let operation = if initiatives.is_empty() {
        0
    } else {
        rng.below(kinds)
    };
    Ok(match operation {
        0..=2 => {
            let unit = rng.pick(units);
            let year = rng.pick(&YEARS);
            let (status, review, reported) = rng.pick(&STATES);
            let (done, actual) = if reported {
                (format!("'{year}-12-01'"), money(rng).to_string())
            } else {
                ("NULL".to_owned(), "NULL".to_owned())
            };
            let sql = format!(
                "INSERT INTO initiatives (year, kind, title, field, unit_id, estimated_cost_vnd, \
                 actual_value_vnd, status, review, start_date, due_date, completion_date, \
                 created_by, updated_by) VALUES ({year}, 'model', 'Mô hình thử', '{field}', \
                 {unit}, {estimated}, {actual}, '{status}', '{review}', '{year}-01-15', \
                 '{year}-{month:02}-28', {done}, {actor}, {actor})",
                field = rng.pick(&FIELDS),
                estimated = money(rng),
                month = 1 + rng.below(12),
            );
            conn.batch_execute(&sql)?;
            format!("register in unit {unit}, {year}, {status}/{review}")
        }
        3 => {
            let id = rng.pick(&initiatives);
            let sql = format!(
                "UPDATE initiatives SET estimated_cost_vnd = {}, actual_value_vnd = \
                 CASE WHEN actual_value_vnd IS NULL THEN NULL ELSE {} END WHERE id = {id}",
                money(rng),
                money(rng)
            );
            conn.batch_execute(&sql)?;
            format!("edit the money of {id}")
        }
        4 | 5 => {
            let id = rng.pick(&initiatives);
            let (status, review, reported) = rng.pick(&STATES);
            let sql = if reported {
                format!(
                    "UPDATE initiatives SET status = '{status}', review = '{review}', \
                     completion_date = coalesce(completion_date, start_date + 30), \
                     actual_value_vnd = coalesce(actual_value_vnd, {}) WHERE id = {id}",
                    money(rng)
                )
            } else {
                format!(
                    "UPDATE initiatives SET status = '{status}', review = '{review}' WHERE id = {id}"
                )
            };
            conn.batch_execute(&sql)?;
            format!("set {id} to {status}/{review}")
        }
        6 => {
            // An edit that moves the initiative to another unit, year, field and due date.
            let id = rng.pick(&initiatives);
            let unit = rng.pick(units);
            let year = rng.pick(&YEARS);
            let sql = format!(
                "UPDATE initiatives SET unit_id = {unit}, year = {year}, field = '{}', \
                 due_date = start_date + {} WHERE id = {id}",
                rng.pick(&FIELDS),
                rng.below(400)
            );
            conn.batch_execute(&sql)?;
            format!("move {id} to unit {unit}, {year}")
        }
        7 => {
            let id = rng.pick(&initiatives);
            conn.batch_execute(&format!("DELETE FROM initiatives WHERE id = {id}"))?;
            format!("delete {id}")
        }
        8 => {
            // Move a unit (with its subtree) under any unit that is not inside it.
            let unit = rng.pick(&units[1..]);
            let targets = ids(
                conn,
                &format!(
                    "SELECT id FROM units WHERE NOT path <@ (SELECT path FROM units WHERE id = {unit}) \
                     AND path <@ (SELECT path FROM units WHERE id = {}) ORDER BY id",
                    units[0]
                ),
            );
            let target = rng.pick(&targets);
            conn.batch_execute(&format!(
                "UPDATE units SET parent_id = {target} WHERE id = {unit}"
            ))?;
            format!("move unit {unit} under {target}")
        }
        9 => {
            let unit = rng.pick(&units[1..]);
            let column = if rng.chance(50) {
                "active"
            } else {
                "expected_to_register"
            };
            conn.batch_execute(&format!(
                "UPDATE units SET {column} = NOT {column} WHERE id = {unit}"
            ))?;
            format!("toggle {column} of unit {unit}")
        }
        _ => {
            if rng.chance(50) {
                let parent = rng.pick(units);
                let id = create_unit(
                    conn,
                    &format!("{prefix}-N{}", units.len()),
                    "Chi bộ mới",
                    UnitKind::GrassrootsCell,
                    Some(parent),
                    rng.chance(70),
                );
                units.push(id);
                format!("add unit {id} under {parent}")
            } else {
                // Merge: the absorbed unit's initiatives from a year on go to another unit,
                // its children follow, and it is deactivated; past years stay with it.
                let absorbed = rng.pick(&units[1..]);
                let into = rng.pick(&units[1..]);
                let from_year = rng.pick(&YEARS);
                let unit = lamtheobac::store::units::find_in_scope(
                    conn,
                    lamtheobac::domain::Scope::Everything,
                    absorbed,
                )
                .expect("look the unit up")
                .expect("the unit exists");
                match lamtheobac::store::units::merge(conn, actor, &unit, into, from_year) {
                    Ok(()) => format!("merge unit {absorbed} into {into} from {from_year}"),
                    Err(error) => format!("merge {absorbed} into {into} refused: {error}"),
                }
            }
        }
    })
}

#[test]
fn every_rollup_equals_a_recount_after_each_of_many_random_changes() {
    let app = TestApp::spawn();
    let mut conn = app.db();
    let actor = create_user(&mut conn, "quantri", Role::Admin, None, true);
    let cases: u64 = std::env::var("ROLLUP_CASES")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(12);
    let steps = 40;
    let mut checked = 0;
    for seed in 1..=cases {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ seed);
        let prefix = format!("P{seed}");
        let mut units = build_tree(&mut conn, &mut rng, &prefix);
        assert_eq!(discrepancies(&mut conn), 0, "seed {seed}: after building");
        let mut done = Vec::new();
        for _ in 0..steps {
            done.push(
                random_operation(&mut conn, &mut rng, actor, &mut units, &prefix, ALL_CHANGES)
                    .expect("a change the database accepts"),
            );
            assert_eq!(
                discrepancies(&mut conn),
                0,
                "seed {seed}: roll-ups differ from a recount after: {done:#?}"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, cases * steps);
    // Something actually happened: initiatives, moved units and coverage changes.
    assert!(app.count("initiatives") > 50);
    assert!(
        app.count_where(
            "SELECT count(*) AS n FROM audit_log WHERE entity = 'unit' AND action = 'update'"
        ) > 5
    );

    // And the rebuild recounts to the same figures.
    diesel::sql_query("SELECT rebuild_rollups()")
        .execute(&mut conn)
        .expect("rebuild");
    assert_eq!(discrepancies(&mut conn), 0, "after rebuild_rollups()");
}

#[test]
fn concurrent_writers_and_unit_moves_keep_the_rollups_exact() {
    /// Six writers make 180 changes.
    const CHANGES_PER_WRITER: usize = 30;
    let app = TestApp::spawn();
    let mut conn = app.db();
    let actor = create_user(&mut conn, "quantri", Role::Admin, None, true);
    let mut rng = Rng(42);
    let units = build_tree(&mut conn, &mut rng, "C");
    let writers: Vec<_> = (0..6u64)
        .map(|writer| {
            let url = app.db_url.clone();
            let units = units.clone();
            std::thread::spawn(move || {
                let mut conn = PgConnection::establish(&url).expect("connect");
                let mut rng = Rng(1000 + writer);
                let mut units = units;
                let mut applied = 0;
                let mut last_error = None;
                // Reorganisation is the mover's job, below. A deadlock victim (the
                // database picks one) tries another change, ten tries a change at most.
                for _ in 0..10 * CHANGES_PER_WRITER {
                    if applied == CHANGES_PER_WRITER {
                        break;
                    }
                    let outcome = conn.transaction(|conn| {
                        random_operation(conn, &mut rng, actor, &mut units, "W", INITIATIVE_CHANGES)
                    });
                    match outcome {
                        Ok(_) => applied += 1,
                        Err(error) => last_error = Some(error),
                    }
                }
                assert_eq!(
                    applied, CHANGES_PER_WRITER,
                    "writer {writer}: changes refused again and again, the last: {last_error:?}"
                );
            })
        })
        .collect();
    let mover = {
        let url = app.db_url.clone();
        let units = units.clone();
        std::thread::spawn(move || {
            let mut conn = PgConnection::establish(&url).expect("connect");
            let blocs = &units[1..4];
            for round in 0..20 {
                // Grassroots committees change bloc and come back; units flip their flags.
                let unit = units[4 + round % (units.len() - 4)];
                let target = blocs[round % 3];
                let _ = conn.batch_execute(&format!(
                    "UPDATE units SET parent_id = {target} WHERE id = {unit} \
                     AND NOT (SELECT path FROM units WHERE id = {target}) <@ path"
                ));
                let _ = conn.batch_execute(&format!(
                    "UPDATE units SET active = NOT active WHERE id = {}",
                    units[4 + (round * 7) % (units.len() - 4)]
                ));
            }
        })
    };
    for writer in writers {
        writer.join().expect("writer");
    }
    mover.join().expect("mover");
    assert_eq!(
        discrepancies(&mut conn),
        0,
        "roll-ups differ from a recount after concurrent changes"
    );
    // 180 changes went in, about three in eight of them registrations, while units moved.
    assert!(
        app.count_where(
            "SELECT count(*) AS n FROM audit_log WHERE entity = 'initiative' AND action = 'create'"
        ) >= 40
    );
    assert!(
        app.count_where(
            "SELECT count(*) AS n FROM audit_log WHERE entity = 'unit' AND action = 'update'"
        ) >= 20
    );
}

#[test]
fn the_dashboard_and_the_stats_api_show_the_recounted_figures_after_reorganisation() {
    let app = TestApp::spawn();
    let mut conn = app.db();
    let actor = create_user(&mut conn, "quantri", Role::Admin, None, true);
    let mut rng = Rng(7);
    let mut units = build_tree(&mut conn, &mut rng, "D");
    for _ in 0..80 {
        random_operation(&mut conn, &mut rng, actor, &mut units, "D", ALL_CHANGES).expect("change");
    }
    let client = app.signed_in("quantri", PASSWORD);
    for &unit in units.iter().take(8) {
        for year in YEARS {
            let recount = |what: &str| {
                scalar(
                    &mut app.db(),
                    &format!(
                        "SELECT coalesce({what}, 0)::bigint AS value FROM initiatives i \
                         JOIN units u ON u.id = i.unit_id \
                         WHERE i.year = {year} AND u.path <@ (SELECT path FROM units WHERE id = {unit})"
                    ),
                )
            };
            let stats = client
                .get(&format!("/api/v1/stats?year={year}&unit={unit}"))
                .json();
            assert_eq!(
                stats["registered"],
                recount("count(*)"),
                "unit {unit}, {year}"
            );
            assert_eq!(
                stats["completed"],
                recount("count(*) FILTER (WHERE i.status = 'completed')"),
                "unit {unit}, {year}"
            );
            assert_eq!(
                stats["actual_value_vnd"],
                recount("sum(i.actual_value_vnd) FILTER (WHERE i.status = 'completed')"),
                "unit {unit}, {year}"
            );
            let page = client.get(&format!("/dashboard?year={year}&unit={unit}"));
            assert_eq!(page.status, 200);
            let registered = recount("count(*)");
            assert_eq!(
                page.figure("registered").map(|text| text.replace('.', "")),
                Some(registered.to_string()),
                "dashboard of unit {unit}, {year}"
            );
        }
    }
}

#[test]
fn merging_a_unit_moves_this_years_work_and_keeps_past_years_as_reported() {
    let (app, fx) = app_with_fixture();
    let admin = app.signed_in(ADMIN, PASSWORD);
    let stats = |year: i32, unit: i32| {
        admin
            .get(&format!("/api/v1/stats?year={year}&unit={unit}"))
            .json()
    };
    let ka_2022 = stats(2022, fx.ka);
    assert_eq!(ka_2022["registered"], 7);
    assert_eq!(stats(2023, fx.ka)["registered"], 1);
    assert_eq!(stats(2023, fx.kb)["registered"], 0);

    // Into its own subtree: refused beside the field, nothing changes.
    let before = app.count_where("SELECT count(*) AS n FROM audit_log");
    let page = admin.post_form_csrf(
        &format!("/admin/units/{}/merge", fx.ka),
        &[("into", &fx.c1.to_string()), ("from_year", "2023")],
    );
    assert_eq!(page.status, 422, "{}", page.body);
    assert!(
        page.field_error("into")
            .unwrap_or_default()
            .contains("nằm ngoài"),
        "{}",
        page.body
    );
    assert_eq!(
        app.count_where("SELECT count(*) AS n FROM audit_log"),
        before
    );
    // A year that is not a year: refused too, the typed value kept.
    let page = admin.post_form_csrf(
        &format!("/admin/units/{}/merge", fx.c2),
        &[("into", &fx.b1.to_string()), ("from_year", "năm sau")],
    );
    assert_eq!(page.status, 422);
    assert!(page.has_field_error("from_year"));
    assert!(keeps_value(&page, "năm sau"));
    // Only an admin merges.
    let reviewer = app.signed_in(REV_A, PASSWORD);
    let page = reviewer.post_form_csrf(
        &format!("/admin/units/{}/merge", fx.c2),
        &[("into", &fx.b1.to_string()), ("from_year", "2023")],
    );
    assert!(page.status == 403 || page.status == 404, "{}", page.status);
    assert!(app.unit(fx.c2).active);

    // C2 joins B1 from 2023 on, once the preview is confirmed.
    let merge = format!("/admin/units/{}/merge", fx.c2);
    let into = fx.b1.to_string();
    let preview = admin.post_form_csrf(&merge, &[("into", &into), ("from_year", "2023")]);
    assert_eq!(preview.status, 200, "{}", preview.body);
    assert!(app.unit(fx.c2).active);
    let confirm = preview.select("input[name=confirm]", |input| {
        input.value().attr("value").unwrap_or_default().to_owned()
    });
    let confirm = confirm.first().map(String::as_str).unwrap_or_default();
    let page = admin.post_form_csrf(
        &merge,
        &[("into", &into), ("from_year", "2023"), ("confirm", confirm)],
    );
    assert_eq!(page.status, 303, "{}", page.body);
    assert!(!app.unit(fx.c2).active);
    // 2022 as reported: C2's two initiatives stay in bloc A's figures.
    assert_eq!(stats(2022, fx.ka), ka_2022);
    assert_eq!(app.initiative(fx.item(4)).unit_id, fx.c2);
    // 2023: C2's initiative now belongs to B1, in bloc B.
    assert_eq!(stats(2023, fx.ka)["registered"], 0);
    assert_eq!(stats(2023, fx.kb)["registered"], 1);
    assert_eq!(app.initiative(fx.item(9)).unit_id, fx.b1);
    let history = admin.get(&format!("/initiatives/{}", fx.item(9)));
    assert!(
        text_of(&history.body).contains("Sáp nhập đơn vị (từ năm 2023)"),
        "the history gives the reason"
    );
}
