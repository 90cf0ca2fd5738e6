//! Integration tests: each test starts the real application on a random port against a
//! PostgreSQL database of its own (cloned from a migrated template) and talks to it over
//! HTTP, with one cookie-keeping client per simulated person.
//!
//! With DATABASE_URL set the tests use that server; without it they start one private
//! server per test process, which is stopped and removed after the process exits.

mod helpers;
mod samples;

mod admin;
mod api;
mod auth;
mod bench_seed;
mod bulk_review;
mod carry_over;
mod charts;
mod concurrency;
mod dashboard;
mod dates;
mod deadlines;
mod deadlocks;
mod demo;
mod exports;
mod exports_docx;
mod exports_pdf;
mod exports_print;
mod headers;
mod help;
mod home;
mod imports;
mod initiatives;
mod list_sorting;
mod merge;
mod passwords;
mod pickers;
mod report_settings;
mod retries;
mod robustness;
mod rollups;
mod scope;
mod sessions;
mod sign_in;
mod slow_downloads;
mod startup;
mod uploads;
mod users;
mod workflow;
