//! `bench-seed` at a tiny size: exact counts, one tree under one root, and the dashboard's
//! figures at the root equal to a recount from the raw rows.

use lamtheobac::domain::Year;
use lamtheobac::domain::format::group_thousands;
use lamtheobac_dev::bench_seed;

use crate::helpers::*;

fn options() -> bench_seed::Options {
    bench_seed::Options {
        units: 300,
        initiatives: 3000,
        years: 3,
        replace: false,
        password: bench_seed::DEFAULT_PASSWORD.to_owned(),
        seed: 7,
    }
}

#[test]
fn bench_seed_builds_one_tree_whose_dashboard_matches_a_recount() {
    let app = TestApp::spawn();
    let mut lines = Vec::new();
    let summary = bench_seed::run(&app.db_url, &options(), &mut |line| lines.push(line))
        .expect("bench-seed at a tiny size");
    assert!(
        lines.iter().any(|line| line.contains("roll-ups")),
        "{lines:?}"
    );

    assert_eq!(app.count("units"), 300);
    assert_eq!(app.count("initiatives"), 3000);
    assert_eq!(
        summary.initiatives.iter().map(|(_, n)| n).sum::<i64>(),
        3000
    );
    assert_eq!(
        app.count_where("SELECT count(*) AS n FROM units WHERE parent_id IS NULL"),
        1
    );
    let root = summary.root_id;
    assert_eq!(
        app.text(&format!("SELECT kind AS v FROM units WHERE id = {root}"))
            .as_deref(),
        Some("central_committee")
    );
    // Every path is its parent's plus its own id, so the whole tree lies under the root.
    assert_eq!(
        app.count_where(
            "SELECT count(*) AS n FROM units c LEFT JOIN units p ON p.id = c.parent_id \
              WHERE c.path <> coalesce(p.path || c.id::text, c.id::text::ltree)"
        ),
        0
    );
    let current = Year::current().get();
    let years: Vec<i32> = (current - 2..=current).collect();
    assert_eq!(
        summary
            .initiatives
            .iter()
            .map(|(y, _)| *y)
            .collect::<Vec<_>>(),
        years
    );
    assert_eq!(
        app.count_where(&format!(
            "SELECT count(*) AS n FROM initiatives WHERE year NOT BETWEEN {} AND {current}",
            current - 2
        )),
        0
    );
    // Every status and every review state occurs; the triggers were off during the load.
    assert_eq!(
        app.count_where("SELECT count(DISTINCT status) AS n FROM initiatives"),
        4
    );
    assert_eq!(
        app.count_where("SELECT count(DISTINCT review) AS n FROM initiatives"),
        6
    );
    assert_eq!(
        app.count_where("SELECT count(*) AS n FROM audit_log WHERE entity <> 'user'"),
        0
    );

    let bench = app.signed_in(bench_seed::ADMIN_USERNAME, bench_seed::DEFAULT_PASSWORD);
    for year in years {
        let recount: serde_json::Value = serde_json::from_str(
            &app.text(&format!(
                "SELECT json_build_object(
                    'registered', count(i.id),
                    'in_progress', count(i.id) FILTER (WHERE i.status = 'in_progress'),
                    'completed', count(i.id) FILTER (WHERE i.status = 'completed'),
                    'cancelled', count(i.id) FILTER (WHERE i.status = 'cancelled'),
                    'estimated_cost_vnd', coalesce(sum(i.estimated_cost_vnd), 0),
                    'actual_value_vnd',
                        coalesce(sum(i.actual_value_vnd) FILTER (WHERE i.status = 'completed'), 0),
                    'awaiting_approval', count(i.id) FILTER (WHERE i.review = 'pending_approval'),
                    'awaiting_acceptance',
                        count(i.id) FILTER (WHERE i.review = 'pending_acceptance'),
                    'expected_units', (SELECT count(*) FROM units
                                        WHERE expected_to_register AND active),
                    'registered_units', (SELECT count(*) FROM units u
                                          WHERE u.expected_to_register AND u.active
                                            AND EXISTS (SELECT 1 FROM initiatives x
                                                         WHERE x.unit_id = u.id AND x.year = {year}))
                 )::text AS v
                 FROM initiatives i JOIN units u ON u.id = i.unit_id
                WHERE i.year = {year}
                  AND u.path <@ (SELECT path FROM units WHERE id = {root})"
            ))
            .expect("recount"),
        )
        .expect("recount json");
        let stats = bench
            .get(&format!("/api/v1/stats?year={year}&unit={root}"))
            .json();
        for (key, value) in recount.as_object().expect("object") {
            assert_eq!(&stats[key], value, "{year} {key}");
        }
        let registered = recount["registered"].as_i64().expect("registered");
        let expected = recount["expected_units"].as_i64().expect("expected");
        let registered_units = recount["registered_units"].as_i64().expect("units");
        assert!(registered > 0);
        assert!(
            registered_units < expected,
            "{year}: some units have registered nothing"
        );

        let page = bench.get(&format!("/dashboard?year={year}&unit={root}"));
        assert_eq!(page.status, 200);
        assert_eq!(page.figure("registered"), Some(group_thousands(registered)));
        assert_eq!(
            page.figure("completed"),
            Some(group_thousands(
                recount["completed"].as_i64().expect("completed")
            ))
        );
        assert_eq!(
            page.figure("coverage"),
            Some(format!("{registered_units}/{expected}"))
        );
    }
    let reviewer = app.signed_in(bench_seed::REVIEWER_USERNAME, bench_seed::DEFAULT_PASSWORD);
    assert_eq!(reviewer.get("/api/v1/stats").json()["unit_id"], root);

    // A database with data is refused; --replace builds it again from nothing.
    let refused = bench_seed::run(&app.db_url, &options(), &mut |_| {});
    assert!(
        refused
            .expect_err("a second run without --replace")
            .to_string()
            .contains("--replace")
    );
    let replaced = bench_seed::run(
        &app.db_url,
        &bench_seed::Options {
            replace: true,
            units: 120,
            initiatives: 500,
            ..options()
        },
        &mut |_| {},
    )
    .expect("bench-seed --replace");
    assert_eq!(replaced.units, 120);
    assert_eq!(app.count("units"), 120);
    assert_eq!(app.count("initiatives"), 500);
    assert_eq!(app.count("audit_log"), 2, "the two bench accounts only");
}
