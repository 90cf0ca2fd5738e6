//! Many people acting at once: saves from the same version (no lost update), the same
//! review step taken twice at once, the same file uploaded at once.

use std::sync::Barrier;

use crate::helpers::*;
use crate::samples;

const N: usize = 16;

/// The `version` the edit form carries.
fn form_version(page: &Page) -> i32 {
    let at = page.body.find("name=\"version\"").expect("a version field");
    let tag_start = page.body[..at].rfind('<').expect("tag start");
    let tag_end = at + page.body[at..].find('>').expect("tag end");
    let tag = &page.body[tag_start..tag_end];
    let value_at = tag.find("value=\"").expect("a value") + "value=\"".len();
    let value_end = value_at + tag[value_at..].find('"').expect("value end");
    tag[value_at..value_end].parse().expect("a number")
}

/// The title changes of an initiative recorded after audit entry `after_id`, in order:
/// (title before, title after).
fn title_changes(app: &TestApp, id: i32, after_id: i64) -> Vec<(String, String)> {
    use diesel::prelude::*;
    use diesel::sql_types::{Nullable, Text};
    #[derive(QueryableByName)]
    struct Change {
        #[diesel(sql_type = Nullable<Text>)]
        before: Option<String>,
        #[diesel(sql_type = Nullable<Text>)]
        after: Option<String>,
    }
    let mut conn = app.db();
    diesel::sql_query(format!(
        "SELECT before ->> 'title' AS before, after ->> 'title' AS after FROM audit_log \
         WHERE entity = 'initiative' AND entity_id = {id} AND action = 'update' AND id > {after_id} \
         AND after ? 'title' ORDER BY id"
    ))
    .load::<Change>(&mut conn)
    .expect("title changes")
    .into_iter()
    .map(|change| (change.before.unwrap_or_default(), change.after.unwrap_or_default()))
    .collect()
}

fn last_audit_id(app: &TestApp) -> i64 {
    app.count_where("SELECT coalesce(max(id), 0) AS n FROM audit_log")
}

#[test]
fn concurrent_saves_from_one_version_let_exactly_one_through_and_lose_nothing() {
    let (app, fx) = app_with_fixture();
    let id = fx.item(3); // approved, C1A: editable by C1's secretary and the admin
    // Each thread is a person of their own: half the unit's secretary, half the admin.
    let people: Vec<Client> = (0..N)
        .map(|n| app.signed_in(if n % 2 == 0 { SEC_C1 } else { ADMIN }, PASSWORD))
        .collect();
    let loaded = people[0].get(&format!("/initiatives/{id}/edit"));
    assert_eq!(loaded.status, 200);
    let version = form_version(&loaded);
    assert_eq!(version, app.initiative(id).version);

    // Round one: everyone saves a different title over the version they all loaded.
    let start = last_audit_id(&app);
    let base = edit_form_of(&app, id);
    let barrier = Barrier::new(N);
    let answers: Vec<(usize, Page)> = std::thread::scope(|scope| {
        let handles: Vec<_> = people
            .iter()
            .enumerate()
            .map(|(n, person)| {
                let form = with(
                    base.clone(),
                    "title",
                    &format!("Quỹ khuyến học, bản số {n}"),
                );
                let token = person.csrf_token();
                let barrier = &barrier;
                scope.spawn(move || {
                    let mut body = pairs(&form);
                    body.push(("csrf_token", &token));
                    barrier.wait();
                    (n, person.post_form(&format!("/initiatives/{id}"), &body))
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().expect("a thread"))
            .collect()
    });
    let saved: Vec<usize> = answers
        .iter()
        .filter(|(_, page)| page.status == 303)
        .map(|(n, _)| *n)
        .collect();
    let conflicts = answers
        .iter()
        .filter(|(_, page)| page.status == 409)
        .count();
    assert_eq!(
        saved.len(),
        1,
        "exactly one save: {:?}",
        answers.iter().map(|(_, p)| p.status).collect::<Vec<_>>()
    );
    assert_eq!(conflicts, N - 1, "every other one is a conflict");
    let winner = format!("Quỹ khuyến học, bản số {}", saved[0]);
    let stored = app.initiative(id);
    assert_eq!(stored.title, winner);
    assert_eq!(stored.version, version + 1);
    for (n, page) in answers.iter().filter(|(_, page)| page.status == 409) {
        let mine = format!("Quỹ khuyến học, bản số {n}");
        assert!(keeps_value(page, &mine), "#{n}: the person's input is kept");
        assert!(
            page.body.contains(&escape(&winner)),
            "#{n}: what changed in between is shown"
        );
        assert_eq!(
            form_version(page),
            version + 1,
            "#{n}: a second save would be deliberate"
        );
    }
    assert_eq!(
        title_changes(&app, id, start),
        [("Quỹ khuyến học".to_owned(), winner.clone())],
        "the history holds exactly the one save"
    );

    // Round two: everyone reloads and saves again until they get through.
    let start = last_audit_id(&app);
    let attempts: Vec<usize> = std::thread::scope(|scope| {
        let handles: Vec<_> = people
            .iter()
            .enumerate()
            .map(|(n, person)| {
                let app = &app;
                let barrier = &barrier;
                scope.spawn(move || {
                    let title = format!("Vòng hai, bản số {n}");
                    barrier.wait();
                    for attempt in 1..=500 {
                        let page = person.get(&format!("/initiatives/{id}/edit"));
                        assert_eq!(page.status, 200);
                        let form = with(
                            with(edit_form_of(app, id), "title", &title),
                            "version",
                            &form_version(&page).to_string(),
                        );
                        let page =
                            person.post_form_csrf(&format!("/initiatives/{id}"), &pairs(&form));
                        match page.status {
                            303 => return attempt,
                            409 => continue,
                            other => panic!("#{n}: {other} {}", page.body),
                        }
                    }
                    panic!("#{n} never got through")
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().expect("a thread"))
            .collect()
    });
    assert_eq!(attempts.len(), N, "everyone got through");
    let stored = app.initiative(id);
    assert_eq!(
        stored.version,
        version + 1 + N as i32,
        "one version per success"
    );
    let changes = title_changes(&app, id, start);
    assert_eq!(
        changes.len(),
        N,
        "the history has exactly the successful saves"
    );
    // Each save went over the one before it: nothing was overwritten unseen.
    let mut previous = winner;
    for (before, after) in &changes {
        assert_eq!(before, &previous, "a save over a version it had not read");
        previous = after.clone();
    }
    assert_eq!(stored.title, previous);
    let mut titles: Vec<&str> = changes.iter().map(|(_, after)| after.as_str()).collect();
    titles.sort_unstable();
    titles.dedup();
    assert_eq!(titles.len(), N, "each person's title exactly once");
    // The detail page shows them all.
    let detail = people[0].get(&format!("/initiatives/{id}"));
    for n in 0..N {
        assert!(
            detail
                .body
                .contains(&escape(&format!("Vòng hai, bản số {n}"))),
            "#{n} in the history"
        );
    }
}

#[test]
fn one_step_taken_by_many_at_once_is_taken_once() {
    let (app, fx) = app_with_fixture();
    let reviewers: Vec<Client> = (0..8)
        .map(|n| app.signed_in(if n % 2 == 0 { REV_A } else { ADMIN }, PASSWORD))
        .collect();
    for (step, state, fields) in [
        ("approve", "pending_approval", vec![]),
        ("accept", "pending_acceptance", vec![]),
        (
            "return",
            "pending_acceptance",
            vec![("reason", "Thiếu ảnh.")],
        ),
    ] {
        let id = initiative_in_state(&app, &fx, &format!("Cùng lúc: {step}"), state);
        let audit = app.audit_count(id);
        let barrier = Barrier::new(reviewers.len());
        let statuses: Vec<u16> = std::thread::scope(|scope| {
            let handles: Vec<_> = reviewers
                .iter()
                .map(|reviewer| {
                    let token = reviewer.csrf_token();
                    let barrier = &barrier;
                    let fields = &fields;
                    scope.spawn(move || {
                        let mut body: Vec<(&str, &str)> = fields.clone();
                        body.push(("csrf_token", &token));
                        barrier.wait();
                        reviewer
                            .post_form(&format!("/initiatives/{id}/{step}"), &body)
                            .status
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|handle| handle.join().expect("a thread"))
                .collect()
        });
        assert_eq!(
            statuses.iter().filter(|s| **s == 303).count(),
            1,
            "{step}: {statuses:?}"
        );
        assert_eq!(
            statuses.iter().filter(|s| **s == 409).count(),
            reviewers.len() - 1,
            "{step}"
        );
        assert_eq!(app.audit_count(id), audit + 1, "{step}: on the record once");
    }
}

#[test]
fn the_same_file_uploaded_at_once_is_stored_once() {
    let (app, fx) = app_with_fixture();
    let ids: Vec<i32> = (0..8)
        .map(|n| initiative_in_state(&app, &fx, &format!("Cùng ảnh {n}"), "approved"))
        .collect();
    let people: Vec<Client> = (0..ids.len())
        .map(|_| app.signed_in(SEC_C2, PASSWORD))
        .collect();
    let photo = samples::png(120, 90);
    let on_disk = app.stored_files().len();
    let barrier = Barrier::new(ids.len());
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let handles: Vec<_> = ids
            .iter()
            .zip(&people)
            .map(|(id, person)| {
                let (content_type, body) = multipart_body(&[
                    Part::text("csrf_token", &person.csrf_token()),
                    Part::file("cung-mot-anh.png", "image/png", &photo),
                ]);
                let barrier = &barrier;
                scope.spawn(move || {
                    barrier.wait();
                    person
                        .post_raw(&format!("/initiatives/{id}/evidence"), &content_type, &body)
                        .status
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().expect("a thread"))
            .collect()
    });
    assert!(statuses.iter().all(|status| *status == 303), "{statuses:?}");
    assert_eq!(
        app.count_where(&format!(
            "SELECT count(DISTINCT sha256) AS n FROM evidence_files WHERE initiative_id IN ({})",
            ids.iter().map(i32::to_string).collect::<Vec<_>>().join(",")
        )),
        1
    );
    assert_eq!(
        app.stored_files().len(),
        on_disk + 2,
        "one file and its thumbnail"
    );
    assert!(app.stored_files_in("tmp").is_empty());
    for (id, person) in ids.iter().zip(&people) {
        let file = app.first_evidence(*id);
        assert_eq!(person.download(&format!("/evidence/{file}")).bytes, photo);
    }
}

#[test]
fn registrations_racing_an_import_of_their_references_all_get_one_of_their_own() {
    use diesel::connection::Connection;
    use lamtheobac::domain::initiative::InitiativeDraft;
    use lamtheobac::domain::{Field, InitiativeKind, Review, Status, Vnd, Year};
    use lamtheobac::store::initiatives::ImportedState;
    const PER_THREAD: usize = 5;
    const IMPORTED: i64 = 10;
    let (app, fx) = app_with_fixture();
    let people: Vec<Client> = (0..N).map(|_| app.signed_in(SEC_C1, PASSWORD)).collect();
    let before = app.count("initiatives");
    let next_id = app.count_where("SELECT last_value + 1 AS n FROM initiatives_id_seq");
    let inserted = Barrier::new(N + 1);
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        // An import holds, uncommitted for half a second, the references the next
        // registrations take by default: 'MH-' and their id (its own rows take ten ids).
        let import = scope.spawn(|| {
            let mut conn = app.db();
            conn.transaction::<_, diesel::result::Error, _>(|conn| {
                for n in 0..IMPORTED {
                    let draft = InitiativeDraft {
                        year: Year::new(2022).expect("year"),
                        kind: InitiativeKind::Model,
                        title: format!("Nhập từ tệp {n}"),
                        field: Field::Other,
                        description: String::new(),
                        unit_id: fx.c1a,
                        estimated_cost: Vnd::ZERO,
                        actual_value: None,
                        status: Status::Registered,
                        start_date: date(2022, 2, 1),
                        due_date: date(2022, 11, 30),
                        completion_date: None,
                    };
                    let state = ImportedState {
                        reference: format!("MH-{}", next_id + IMPORTED + n),
                        review: Review::Approved,
                        result_summary: String::new(),
                    };
                    lamtheobac::store::initiatives::insert_row(
                        conn,
                        fx.admin,
                        &draft,
                        Some(&state),
                    )?;
                }
                inserted.wait();
                std::thread::sleep(std::time::Duration::from_millis(500));
                Ok(())
            })
            .expect("the import commits");
        });
        let registrations: Vec<_> = people
            .iter()
            .enumerate()
            .map(|(thread, person)| {
                let inserted = &inserted;
                scope.spawn(move || {
                    inserted.wait();
                    (0..PER_THREAD)
                        .map(|n| {
                            let title = format!("Đăng ký {thread}-{n}");
                            let form = with(initiative_form(fx.c1a), "title", &title);
                            person.post_form_csrf("/initiatives", &pairs(&form)).status
                        })
                        .collect::<Vec<u16>>()
                })
            })
            .collect();
        import.join().expect("the import");
        registrations
            .into_iter()
            .flat_map(|handle| handle.join().expect("registrations"))
            .collect()
    });
    assert_eq!(
        statuses,
        vec![303; N * PER_THREAD],
        "every registration is saved"
    );
    let registered = (N * PER_THREAD) as i64;
    assert_eq!(app.count("initiatives"), before + IMPORTED + registered);
    assert_eq!(
        app.count_where("SELECT count(DISTINCT reference) AS n FROM initiatives"),
        before + IMPORTED + registered
    );
    // Those whose own 'MH-<id>' the import took got the next one.
    assert!(
        app.count_where(
            "SELECT count(*) AS n FROM initiatives WHERE reference ~ '^MH-[0-9]+-2$' \
             AND title LIKE 'Đăng ký %'"
        ) > 0
    );
}
