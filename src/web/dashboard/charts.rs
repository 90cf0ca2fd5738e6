//! The dashboard's four charts, laid out from its figures by [`crate::web::charts`].

use serde::Serialize;

use super::YearFigures;
use crate::app::dashboard::{ChildFigures, FieldFigures, Headline};
use crate::web::charts::{
    self, BarList, ColumnChart, ColumnInput, Completion, FieldAmounts, Part, StackedBar,
};

/// Each chart is `None` when it would have nothing to draw; the page then says so.
#[derive(Debug, Clone, Serialize)]
pub struct DashboardCharts {
    pub status: Option<StackedBar>,
    pub completion: Option<BarList>,
    pub fields: Option<BarList>,
    /// Registered and completed per year.
    pub trend_counts: Option<ColumnChart>,
    /// Value of the completed initiatives per year.
    pub trend_value: Option<ColumnChart>,
}

/// What the charts are drawn from.
pub struct ChartData<'a> {
    pub unit_name: &'a str,
    pub headline: &'a Headline,
    pub children: &'a [ChildFigures],
    /// What the unit registered itself, shown after its children.
    pub direct: Option<&'a Headline>,
    pub fields: &'a [FieldFigures],
    /// Oldest year first.
    pub trend: &'a [YearFigures],
}

impl DashboardCharts {
    pub fn build(data: &ChartData<'_>) -> DashboardCharts {
        DashboardCharts {
            status: status_breakdown(data.headline),
            completion: completion_by_child(data),
            fields: by_field(data.fields),
            trend_counts: trend_counts(data.trend),
            trend_value: trend_value(data.trend),
        }
    }
}

/// Every initiative has exactly one of these statuses, so the parts add up to the
/// registered total. The review steps (awaiting approval, acceptance) cut across them
/// and are written under the chart instead.
fn status_breakdown(headline: &Headline) -> Option<StackedBar> {
    charts::stacked_bar(&[
        Part {
            key: "completed",
            label: "Hoàn thành",
            count: headline.completed,
        },
        Part {
            key: "in_progress",
            label: "Đang thực hiện",
            count: headline.in_progress,
        },
        Part {
            key: "not_started",
            label: "Chưa bắt đầu",
            count: headline.not_started,
        },
        Part {
            key: "cancelled",
            label: "Không thực hiện",
            count: headline.cancelled,
        },
    ])
}

/// One bar per child unit (and the unit's own registrations), ranked by completion rate
/// (the figure the chart shows), highest first, then by how many were completed; only
/// when the unit has children and something was registered.
fn completion_by_child(data: &ChartData<'_>) -> Option<BarList> {
    if data.children.is_empty() || data.headline.registered == 0 {
        return None;
    }
    let mut units: Vec<Completion> = data
        .children
        .iter()
        .map(|child| Completion {
            name: child.name.clone(),
            completed: child.completed,
            registered: child.registered,
        })
        .collect();
    if let Some(direct) = data.direct {
        units.push(Completion {
            name: format!("Trực tiếp tại {}", data.unit_name),
            completed: direct.completed,
            registered: direct.registered,
        });
    }
    // A stable sort: equal units keep the table's order.
    units.sort_by(|a, b| {
        super::sorting::share(b.completed, b.registered)
            .cmp(&super::sorting::share(a.completed, a.registered))
            .then_with(|| b.completed.cmp(&a.completed))
    });
    charts::completion_rates(&units)
}

fn by_field(fields: &[FieldFigures]) -> Option<BarList> {
    let amounts: Vec<FieldAmounts> = fields
        .iter()
        .map(|row| FieldAmounts {
            name: row.field.label_vi().to_owned(),
            registered: row.registered,
            value_vnd: row.actual_value_vnd,
        })
        .collect();
    charts::registrations_and_value(&amounts)
}

fn trend_counts(trend: &[YearFigures]) -> Option<ColumnChart> {
    let groups: Vec<(String, Vec<ColumnInput>)> = trend
        .iter()
        .map(|year| {
            let columns = vec![
                ColumnInput {
                    series: "registered",
                    value: year.headline.registered,
                },
                ColumnInput {
                    series: "completed",
                    value: year.headline.completed,
                },
            ];
            (year.year.to_string(), columns)
        })
        .collect();
    charts::column_chart(&groups, charts::count_label)
}

fn trend_value(trend: &[YearFigures]) -> Option<ColumnChart> {
    let groups: Vec<(String, Vec<ColumnInput>)> = trend
        .iter()
        .map(|year| {
            let column = ColumnInput {
                series: "value",
                value: year.headline.actual_value_vnd,
            };
            (year.year.to_string(), vec![column])
        })
        .collect();
    charts::column_chart(&groups, charts::money_label)
}
