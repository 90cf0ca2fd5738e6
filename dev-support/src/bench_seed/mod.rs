//! `bench-seed`: a national-size data set for benchmarks, loaded in a few minutes.
//!
//! One tree under the Central Committee (Ban Chấp hành Trung ương): the 63 provinces,
//! under each the agencies' and the enterprises' bloc and the district committees, under
//! those the grassroots committees (with their attached cells), grassroots cells and the
//! blocs' socio-political organisations — exactly `units` units. Then exactly
//! `initiatives` initiatives over the last `years` years, generated inside the database,
//! with the row triggers (audit log, roll-ups) off during the load; the roll-ups are then
//! recounted once with `rebuild_rollups()` and the tables analysed.
//!
//! The tree is built here (it is small) with a seeded generator, so the same options give
//! the same tree; the initiatives use the database's `random()` after `setseed`.

mod names;

use std::time::Instant;

use chrono::Datelike;
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Bool, Date, Double, Integer, Nullable, Text};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use lamtheobac::auth::password;
use lamtheobac::domain::{Role, Year, today_in_vietnam};
use lamtheobac::store;
use lamtheobac::store::users::NewUser;

pub type BenchError = Box<dyn std::error::Error + Send + Sync>;

/// The default password of the bench accounts (`LAMTHEOBAC_BENCH_PASSWORD` overrides it).
pub const DEFAULT_PASSWORD: &str = "bench-password-2026";
/// The bench administrator, scoped to everything.
pub const ADMIN_USERNAME: &str = "bench";
/// A reviewer at the root of the tree.
pub const REVIEWER_USERNAME: &str = "bench.tw";
/// The code of the root unit.
pub const ROOT_CODE: &str = "TW";

/// The fewest units that make a tree (root, province, bloc, a few grassroots units).
pub const MIN_UNITS: u32 = 10;

#[derive(Debug, Clone)]
pub struct Options {
    pub units: u32,
    pub initiatives: u64,
    pub years: u32,
    /// Drop and create the database again when it holds data already.
    pub replace: bool,
    pub password: String,
    /// Seeds the tree's generator and the database's `random()`.
    pub seed: u64,
}

/// What was made, for the closing lines and the tests.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub root_id: i32,
    pub units: usize,
    pub provinces: usize,
    /// Blocs and district committees.
    pub committees_above_grassroots: usize,
    pub grassroots_committees: usize,
    pub grassroots_cells: usize,
    pub attached_cells: usize,
    pub mass_organizations: usize,
    pub expected_units: usize,
    /// (year, initiatives), oldest first.
    pub initiatives: Vec<(i32, i64)>,
    pub seconds: f64,
}

/// Builds the data set in the database at `database_url`, telling `progress` what it
/// does. Refuses a database that holds units or users unless `options.replace`.
pub fn run(
    database_url: &str,
    options: &Options,
    progress: &mut dyn FnMut(String),
) -> Result<Summary, BenchError> {
    let started = Instant::now();
    let mut say = |message: String| {
        progress(format!(
            "[{:>6.1} s] {message}",
            started.elapsed().as_secs_f64()
        ))
    };
    check_options(options)?;
    let target = DatabaseUrl::parse(database_url)?;

    if options.replace {
        say(format!(
            "--replace: xóa và tạo lại cơ sở dữ liệu {} / dropping and creating database {} again",
            target.name, target.name
        ));
        target.recreate()?;
    }
    let mut conn = match PgConnection::establish(database_url) {
        Ok(conn) => conn,
        Err(error) if error.to_string().contains("does not exist") => {
            say(format!(
                "tạo cơ sở dữ liệu / creating database {}",
                target.name
            ));
            target.create()?;
            PgConnection::establish(database_url)?
        }
        Err(error) => return Err(format!("cannot connect to DATABASE_URL: {error}").into()),
    };
    let applied = lamtheobac::db::migrate(&mut conn)?;
    say(format!("migrations: {applied} applied"));
    if !super::demo::is_empty(&mut conn)? {
        return Err(format!(
            "database {} holds units or users already; bench-seed fills an empty database \
             (add --replace to drop and recreate it)",
            target.name
        )
        .into());
    }

    // The session's own settings: big sorts and hashes in memory, no waiting on WAL flushes.
    diesel::sql_query("SET work_mem = '256MB'").execute(&mut conn)?;
    diesel::sql_query("SET maintenance_work_mem = '512MB'").execute(&mut conn)?;
    diesel::sql_query("SET synchronous_commit = off").execute(&mut conn)?;

    let tree = build_tree(options.units, options.seed);
    let today = today_in_vietnam();
    let last_year = Year::current().get();
    let first_year = last_year - options.years as i32 + 1;
    let per_year = split_over_years(options.initiatives, options.years);

    say("mật khẩu / hashing the bench password (argon2id)".to_owned());
    let password_hash = password::hash(&options.password).map_err(|error| error.to_string())?;

    let mut summary = tree.summary();
    conn.transaction(|conn| -> Result<(), BenchError> {
        let admin_id = store::users::insert(
            conn,
            None,
            &NewUser {
                username: ADMIN_USERNAME.to_owned(),
                display_name: "Quản trị hệ thống (benchmark)".to_owned(),
                password_hash: password_hash.clone(),
                role: Role::Admin,
                unit_id: None,
                active: true,
                must_change_password: false,
                phone: None,
                email: None,
            },
        )?;

        let triggers = RowTriggers::off(conn)?;
        for chunk in tree.units.chunks(50_000) {
            insert_units(conn, chunk)?;
        }
        diesel::sql_query("SELECT setval('units_id_seq', (SELECT max(id) FROM units))")
            .execute(conn)?;
        say(format!(
            "đơn vị / units: {} — 1 root, {} provinces, {} blocs and district committees, \
             {} grassroots committees, {} grassroots cells, {} attached cells, \
             {} socio-political organisations ({} expected to register)",
            summary.units,
            summary.provinces,
            summary.committees_above_grassroots,
            summary.grassroots_committees,
            summary.grassroots_cells,
            summary.attached_cells,
            summary.mass_organizations,
            summary.expected_units,
        ));

        create_titles(conn)?;
        diesel::sql_query("SELECT setseed($1)")
            .bind::<Double, _>((options.seed % 1000) as f64 / 1000.0)
            .execute(conn)?;
        for (index, count) in per_year.iter().enumerate() {
            let year = first_year + index as i32;
            let age = last_year - year;
            // Fewer units have registered yet in the current year than in settled ones.
            let coverage = if age == 0 {
                0.88
            } else {
                (0.93 + 0.01 * f64::from(age)).min(0.97)
            };
            let start_span = if age == 0 {
                (today.ordinal() as i32).clamp(1, 150)
            } else {
                150
            };
            let inserted = diesel::sql_query(include_str!("initiatives.sql"))
                .bind::<Integer, _>(year)
                .bind::<BigInt, _>(*count as i64)
                .bind::<Double, _>(coverage)
                .bind::<Date, _>(today)
                .bind::<Integer, _>(admin_id)
                .bind::<Bool, _>(age == 0)
                .bind::<Double, _>(if age == 0 { 0.0 } else { 0.10 / f64::from(age) })
                .bind::<Integer, _>(start_span)
                .execute(conn)?;
            if inserted as u64 != *count {
                return Err(format!(
                    "year {year}: {inserted} initiatives generated instead of {count}; too few \
                     units expected to register for so many initiatives?"
                )
                .into());
            }
            summary.initiatives.push((year, inserted as i64));
            say(format!(
                "mô hình, công trình / initiatives {year}: {inserted}"
            ));
        }
        triggers.on(conn)?;

        store::users::insert(
            conn,
            Some(admin_id),
            &NewUser {
                username: REVIEWER_USERNAME.to_owned(),
                display_name: "Ban Chấp hành Trung ương (benchmark)".to_owned(),
                password_hash: password_hash.clone(),
                role: Role::Reviewer,
                unit_id: Some(tree.units[0].id),
                active: true,
                must_change_password: false,
                phone: None,
                email: None,
            },
        )?;
        Ok(())
    })?;
    say("đã ghi / committed".to_owned());

    store::stats::rebuild(&mut conn)?;
    say("roll-ups: rebuild_rollups() done".to_owned());
    diesel::sql_query(
        "VACUUM (ANALYZE) units, users, initiatives, audit_log, rollup_stats, \
         unit_registered, rollup_coverage, subtree_units, rollup_open_due",
    )
    .execute(&mut conn)?;
    say("VACUUM ANALYZE done".to_owned());

    let (units, initiatives) = counts(&mut conn)?;
    let expected: i64 = summary.initiatives.iter().map(|(_, n)| n).sum();
    if units != i64::from(options.units) || initiatives != expected {
        return Err(format!(
            "counts do not match: {units} units, {initiatives} initiatives in the database"
        )
        .into());
    }
    summary.root_id = tree.units[0].id;
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

fn check_options(options: &Options) -> Result<(), BenchError> {
    if options.units < MIN_UNITS || options.units > 5_000_000 {
        return Err(format!("--units must be from {MIN_UNITS} to 5000000").into());
    }
    if options.years == 0 || options.years > 50 {
        return Err("--years must be from 1 to 50".into());
    }
    if Year::new(Year::current().get() - options.years as i32 + 1).is_none() {
        return Err(format!("--years reaches before {}", Year::MIN).into());
    }
    if options.initiatives > 100_000_000 {
        return Err("--initiatives must be at most 100000000".into());
    }
    if let Some(problem) = password::weakness(&options.password, "", "") {
        return Err(format!("bench password refused: {problem}").into());
    }
    Ok(())
}

/// Splits `total` over `years`, growing a little year on year (more units join the
/// movement), the current year last; the parts add up to `total` exactly.
fn split_over_years(total: u64, years: u32) -> Vec<u64> {
    let weights: Vec<u64> = (0..u64::from(years)).map(|i| 20 + i).collect();
    let sum: u64 = weights.iter().sum();
    let mut upto = 0;
    weights
        .iter()
        .map(|weight| {
            let before = u128::from(total) * u128::from(upto) / u128::from(sum);
            upto += weight;
            let after = u128::from(total) * u128::from(upto) / u128::from(sum);
            (after - before) as u64
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// The tree
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct UnitRow {
    id: i32,
    code: String,
    name: String,
    kind: &'static str,
    parent_id: Option<i32>,
    path: String,
    expected: bool,
    active: bool,
}

struct Tree {
    units: Vec<UnitRow>,
}

impl Tree {
    /// Adds a unit under `parent` (an index into `units`); returns its index.
    fn push(
        &mut self,
        parent: Option<usize>,
        code: String,
        name: String,
        kind: &'static str,
        active: bool,
    ) -> usize {
        let id = self.units.len() as i32 + 1;
        let (parent_id, path) = match parent {
            Some(index) => {
                let parent = &self.units[index];
                (Some(parent.id), format!("{}.{id}", parent.path))
            }
            None => (None, id.to_string()),
        };
        let expected = matches!(
            kind,
            "grassroots_committee" | "grassroots_cell" | "attached_cell" | "mass_organization"
        );
        self.units.push(UnitRow {
            id,
            code,
            name,
            kind,
            parent_id,
            path,
            expected,
            active,
        });
        self.units.len() - 1
    }

    fn summary(&self) -> Summary {
        let count = |kind: &str| self.units.iter().filter(|u| u.kind == kind).count();
        Summary {
            units: self.units.len(),
            provinces: count("province_committee"),
            committees_above_grassroots: count("bloc_committee"),
            grassroots_committees: count("grassroots_committee"),
            grassroots_cells: count("grassroots_cell"),
            attached_cells: count("attached_cell"),
            mass_organizations: count("mass_organization"),
            expected_units: self.units.iter().filter(|u| u.expected && u.active).count(),
            ..Summary::default()
        }
    }
}

/// `pool[i]`, numbered once the pool is used up ("Sở Y tế 2").
fn numbered(pool: &[&str], i: usize) -> String {
    if i < pool.len() {
        pool[i].to_owned()
    } else {
        format!("{} {}", pool[i % pool.len()], i / pool.len() + 1)
    }
}

/// What a committee above the grassroots is, which decides what lies under it.
#[derive(Clone, Copy, PartialEq)]
enum Middle {
    AgenciesBloc,
    EnterprisesBloc,
    District,
}

/// Exactly `total` units: the root, the provinces, their blocs and districts, and the
/// grassroots units spread over those by random weights.
fn build_tree(total: u32, seed: u64) -> Tree {
    let mut rng = StdRng::seed_from_u64(seed);
    let total = total as usize;
    let rest = total - 1;
    let provinces = (rest / 60).clamp(1, names::PROVINCES.len());
    let base = (rest / provinces / 300).clamp(1, 12);
    let middles_per_province: Vec<usize> = (0..provinces)
        .map(|_| {
            if base >= 4 {
                base - 3 + rng.random_range(0..=6)
            } else {
                base
            }
        })
        .collect();
    let middles: usize = middles_per_province.iter().sum();
    // At least one grassroots unit under each bloc or district (MIN_UNITS and the sizes
    // above make sure there are enough).
    let grassroots = rest - provinces - middles;
    let extra = (grassroots - middles) as u64;
    let mut kinds = Vec::with_capacity(middles);
    for &count in &middles_per_province {
        for j in 0..count {
            kinds.push(match (j, count) {
                (0, _) => Middle::AgenciesBloc,
                (1, _) => Middle::EnterprisesBloc,
                _ => Middle::District,
            });
        }
    }
    let weights: Vec<u64> = kinds
        .iter()
        .map(|kind| match kind {
            Middle::AgenciesBloc => rng.random_range(60..=100),
            Middle::EnterprisesBloc => rng.random_range(40..=80),
            Middle::District => rng.random_range(70..=150),
        })
        .collect();
    let weight_sum: u64 = weights.iter().sum();
    let mut upto = 0;
    let budgets: Vec<usize> = weights
        .iter()
        .map(|weight| {
            let before = extra * upto / weight_sum;
            upto += weight;
            1 + (extra * upto / weight_sum - before) as usize
        })
        .collect();

    let mut tree = Tree {
        units: Vec::with_capacity(total),
    };
    let root = tree.push(
        None,
        ROOT_CODE.to_owned(),
        "Ban Chấp hành Trung ương".to_owned(),
        "central_committee",
        true,
    );
    let mut middle_index = 0;
    for (p, &count) in middles_per_province.iter().enumerate() {
        let (province_name, city) = names::PROVINCES[p % names::PROVINCES.len()];
        let province_code = format!("T{:02}", p + 1);
        let committee = if city { "Thành ủy" } else { "Tỉnh ủy" };
        let province = tree.push(
            Some(root),
            province_code.clone(),
            format!("{committee} {province_name}"),
            "province_committee",
            true,
        );
        let level = if city { "thành phố" } else { "tỉnh" };
        for j in 0..count {
            let kind = kinds[middle_index];
            let budget = budgets[middle_index];
            middle_index += 1;
            let (code, name) = match kind {
                Middle::AgenciesBloc => (
                    format!("{province_code}-K1"),
                    format!("Đảng ủy Khối các cơ quan {level} {province_name}"),
                ),
                Middle::EnterprisesBloc => (
                    format!("{province_code}-K2"),
                    format!("Đảng ủy Khối Doanh nghiệp {level} {province_name}"),
                ),
                Middle::District => {
                    let place = names::PLACES[(p * 7 + j) % names::PLACES.len()];
                    let name = if j == 2 {
                        format!("Thành ủy thành phố {place}")
                    } else {
                        format!("Huyện ủy {place}")
                    };
                    (format!("{province_code}-H{:02}", j - 1), name)
                }
            };
            let middle = tree.push(Some(province), code.clone(), name, "bloc_committee", true);
            fill_grassroots(&mut tree, &mut rng, middle, &code, kind, budget);
        }
    }
    debug_assert_eq!(tree.units.len(), total);
    tree
}

/// Exactly `budget` units under a bloc or district committee.
fn fill_grassroots(
    tree: &mut Tree,
    rng: &mut StdRng,
    parent: usize,
    parent_code: &str,
    kind: Middle,
    budget: usize,
) {
    let mut left = budget;
    let mut number = 0;
    let next_code = |number: &mut usize| {
        *number += 1;
        format!("{parent_code}-{:03}", *number)
    };
    if kind != Middle::District {
        let organizations = (left / 25).min(names::MASS_ORGANIZATIONS.len());
        for i in 0..organizations {
            let code = next_code(&mut number);
            tree.push(
                Some(parent),
                code,
                names::MASS_ORGANIZATIONS[i].to_owned(),
                "mass_organization",
                true,
            );
        }
        left -= organizations;
    }
    let (committee_share, attached) = match kind {
        Middle::District => (0.65, 5..=14),
        _ => (0.5, 2..=8),
    };
    let (mut committees, mut cells) = (0, 0);
    while left > 0 {
        if left >= 2 && rng.random_bool(committee_share) {
            let cells_below = rng.random_range(attached.clone()).min(left - 1);
            let code = next_code(&mut number);
            let name = match kind {
                Middle::District => {
                    let place = numbered(names::PLACES, committees);
                    if committees % 9 == 0 {
                        format!("Đảng bộ thị trấn {place}")
                    } else {
                        format!("Đảng bộ xã {place}")
                    }
                }
                Middle::AgenciesBloc => {
                    format!("Đảng bộ {}", numbered(names::AGENCIES, committees))
                }
                Middle::EnterprisesBloc => {
                    format!("Đảng bộ {}", numbered(names::ENTERPRISES, committees))
                }
            };
            committees += 1;
            let committee = tree.push(
                Some(parent),
                code.clone(),
                name,
                "grassroots_committee",
                true,
            );
            for c in 0..cells_below {
                let name = match kind {
                    Middle::District => format!("Chi bộ thôn {}", c + 1),
                    _ => format!("Chi bộ {}", numbered(names::OFFICES, c)),
                };
                // A few cells were dissolved: inactive, out of coverage.
                let active = !rng.random_bool(0.002);
                tree.push(
                    Some(committee),
                    format!("{code}-{:02}", c + 1),
                    name,
                    "attached_cell",
                    active,
                );
            }
            left -= 1 + cells_below;
        } else {
            let code = next_code(&mut number);
            let name = match kind {
                Middle::District => format!(
                    "Chi bộ {} {}",
                    names::DISTRICT_CELLS[cells % names::DISTRICT_CELLS.len()],
                    names::PLACES[(cells / names::DISTRICT_CELLS.len()) % names::PLACES.len()]
                ),
                Middle::AgenciesBloc => {
                    let agencies = names::AGENCIES.len();
                    format!(
                        "Chi bộ {}",
                        names::AGENCIES[agencies - 1 - cells % agencies]
                    )
                }
                Middle::EnterprisesBloc => {
                    format!("Chi bộ {}", numbered(names::ENTERPRISES, cells + 6))
                }
            };
            cells += 1;
            tree.push(Some(parent), code, name, "grassroots_cell", true);
            left -= 1;
        }
    }
}

fn insert_units(conn: &mut PgConnection, rows: &[UnitRow]) -> QueryResult<usize> {
    diesel::sql_query(
        "INSERT INTO units (id, code, name, kind, parent_id, path, expected_to_register, active) \
         SELECT id, code, name, kind, parent_id, path::ltree, expected, active \
           FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::int[], $6::text[], \
                       $7::bool[], $8::bool[]) \
                AS t(id, code, name, kind, parent_id, path, expected, active)",
    )
    .bind::<Array<Integer>, _>(rows.iter().map(|u| u.id).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(rows.iter().map(|u| u.code.as_str()).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(rows.iter().map(|u| u.name.as_str()).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(rows.iter().map(|u| u.kind).collect::<Vec<_>>())
    .bind::<Array<Nullable<Integer>>, _>(rows.iter().map(|u| u.parent_id).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(rows.iter().map(|u| u.path.as_str()).collect::<Vec<_>>())
    .bind::<Array<Bool>, _>(rows.iter().map(|u| u.expected).collect::<Vec<_>>())
    .bind::<Array<Bool>, _>(rows.iter().map(|u| u.active).collect::<Vec<_>>())
    .execute(conn)
}

/// The titles, as a table the generator joins (dropped at commit).
fn create_titles(conn: &mut PgConnection) -> QueryResult<()> {
    diesel::sql_query(
        "CREATE TEMP TABLE bench_titles (kind TEXT, field TEXT, idx INTEGER, title TEXT, \
         PRIMARY KEY (kind, field, idx)) ON COMMIT DROP",
    )
    .execute(conn)?;
    let mut kinds = Vec::new();
    let mut fields = Vec::new();
    let mut indexes = Vec::new();
    let mut titles = Vec::new();
    for (kind, field, four) in names::TITLES {
        for (index, title) in four.iter().enumerate() {
            kinds.push(*kind);
            fields.push(*field);
            indexes.push(index as i32);
            titles.push(*title);
        }
    }
    diesel::sql_query(
        "INSERT INTO bench_titles SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[])",
    )
    .bind::<Array<Text>, _>(kinds)
    .bind::<Array<Text>, _>(fields)
    .bind::<Array<Integer>, _>(indexes)
    .bind::<Array<Text>, _>(titles)
    .execute(conn)?;
    diesel::sql_query("ANALYZE bench_titles").execute(conn)?;
    Ok(())
}

/// The row triggers of `units` and `initiatives` (audit log, paths, roll-ups), off for
/// the bulk load in this transaction: as a superuser by `session_replication_role`
/// (which also skips the foreign-key checks: the generator makes only valid references),
/// otherwise, as the tables' owner, by disabling the tables' user triggers.
struct RowTriggers {
    by_role: bool,
}

impl RowTriggers {
    fn off(conn: &mut PgConnection) -> QueryResult<RowTriggers> {
        #[derive(QueryableByName)]
        struct Superuser {
            #[diesel(sql_type = Bool)]
            superuser: bool,
        }
        let by_role =
            diesel::sql_query("SELECT current_setting('is_superuser') = 'on' AS superuser")
                .get_result::<Superuser>(conn)?
                .superuser;
        if by_role {
            diesel::sql_query("SET LOCAL session_replication_role = replica").execute(conn)?;
        } else {
            diesel::sql_query("ALTER TABLE units DISABLE TRIGGER USER").execute(conn)?;
            diesel::sql_query("ALTER TABLE initiatives DISABLE TRIGGER USER").execute(conn)?;
        }
        Ok(RowTriggers { by_role })
    }

    fn on(self, conn: &mut PgConnection) -> QueryResult<()> {
        if self.by_role {
            diesel::sql_query("SET LOCAL session_replication_role = origin").execute(conn)?;
        } else {
            diesel::sql_query("ALTER TABLE units ENABLE TRIGGER USER").execute(conn)?;
            diesel::sql_query("ALTER TABLE initiatives ENABLE TRIGGER USER").execute(conn)?;
        }
        Ok(())
    }
}

fn counts(conn: &mut PgConnection) -> QueryResult<(i64, i64)> {
    #[derive(QueryableByName)]
    struct Counts {
        #[diesel(sql_type = BigInt)]
        units: i64,
        #[diesel(sql_type = BigInt)]
        initiatives: i64,
    }
    let found: Counts = diesel::sql_query(
        "SELECT (SELECT count(*) FROM units) AS units, (SELECT count(*) FROM initiatives) AS initiatives",
    )
    .get_result(conn)?;
    Ok((found.units, found.initiatives))
}

// ---------------------------------------------------------------------------------------
// The database itself
// ---------------------------------------------------------------------------------------

/// DATABASE_URL cut around the database name, to reach the server's `postgres` database
/// and create or drop the target.
struct DatabaseUrl {
    prefix: String,
    name: String,
    suffix: String,
}

impl DatabaseUrl {
    fn parse(url: &str) -> Result<DatabaseUrl, BenchError> {
        let url = url.trim();
        let authority = url
            .find("://")
            .map(|i| i + 3)
            .ok_or("DATABASE_URL is not a URL")?;
        let (before_query, suffix) = match url[authority..].find('?') {
            Some(i) => url.split_at(authority + i),
            None => (url, ""),
        };
        let slash = before_query[authority..]
            .find('/')
            .map(|i| authority + i)
            .ok_or("DATABASE_URL names no database")?;
        let name = &before_query[slash + 1..];
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err(format!(
                "database name {name:?}: bench-seed wants a plain name (letters, digits, _ and -)"
            )
            .into());
        }
        Ok(DatabaseUrl {
            prefix: before_query[..=slash].to_owned(),
            name: name.to_owned(),
            suffix: suffix.to_owned(),
        })
    }

    fn maintenance(&self) -> Result<PgConnection, BenchError> {
        let url = format!("{}postgres{}", self.prefix, self.suffix);
        PgConnection::establish(&url).map_err(|error| {
            format!("cannot connect to the server's postgres database: {error}").into()
        })
    }

    fn create(&self) -> Result<(), BenchError> {
        let mut conn = self.maintenance()?;
        diesel::sql_query(format!("CREATE DATABASE \"{}\"", self.name)).execute(&mut conn)?;
        Ok(())
    }

    /// Drops the database (disconnecting its sessions) and creates it empty. The audit
    /// log is append-only, so the data set is replaced with its database, not truncated.
    fn recreate(&self) -> Result<(), BenchError> {
        if matches!(self.name.as_str(), "postgres" | "template0" | "template1") {
            return Err(format!("--replace will not drop the {} database", self.name).into());
        }
        let mut conn = self.maintenance()?;
        diesel::sql_query(format!(
            "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
            self.name
        ))
        .execute(&mut conn)?;
        diesel::sql_query(format!("CREATE DATABASE \"{}\"", self.name)).execute(&mut conn)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tree_has_exactly_the_units_asked_for_under_one_root() {
        for total in [10, 11, 57, 300, 1_000, 12_345, 250_000] {
            let tree = build_tree(total, 7);
            assert_eq!(tree.units.len(), total as usize, "{total}");
            assert_eq!(
                tree.units.iter().filter(|u| u.parent_id.is_none()).count(),
                1
            );
            let mut codes: Vec<&str> = tree.units.iter().map(|u| u.code.as_str()).collect();
            codes.sort_unstable();
            codes.dedup();
            assert_eq!(codes.len(), total as usize, "codes are unique");
            for unit in &tree.units {
                assert!(unit.code.len() <= 40 && unit.name.chars().count() <= 300);
                if let Some(parent) = unit.parent_id {
                    let parent = &tree.units[parent as usize - 1];
                    assert_eq!(unit.path, format!("{}.{}", parent.path, unit.id));
                }
            }
        }
        let tree = build_tree(250_000, 7);
        let summary = tree.summary();
        assert_eq!(summary.provinces, 63);
        assert!(summary.committees_above_grassroots > 600);
        assert!(summary.grassroots_committees > 10_000);
    }

    #[test]
    fn the_years_share_the_initiatives_exactly() {
        for (total, years) in [(2_500_000, 5), (3_000, 3), (7, 5), (0, 2), (1, 1)] {
            let split = split_over_years(total, years);
            assert_eq!(split.len(), years as usize);
            assert_eq!(split.iter().sum::<u64>(), total);
        }
        let split = split_over_years(2_500_000, 5);
        assert!(split[4] > split[0]);
    }

    #[test]
    fn database_urls_are_cut_around_the_name() {
        let url = DatabaseUrl::parse("postgres://u:p@h:5432/lamtheobac_bench?sslmode=disable")
            .expect("url");
        assert_eq!(url.prefix, "postgres://u:p@h:5432/");
        assert_eq!(url.name, "lamtheobac_bench");
        assert_eq!(url.suffix, "?sslmode=disable");
        assert!(DatabaseUrl::parse("postgres://h:5432").is_err());
        assert!(DatabaseUrl::parse("postgres://h/a;drop").is_err());
    }
}
