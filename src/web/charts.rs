//! Chart geometry for server-drawn SVG: this module turns figures into coordinates
//! and formatted labels; `templates/charts.html` draws them, so every piece of text
//! passes through tera's escaping. No JavaScript, no inline styles.
//!
//! Every chart is [`WIDTH`] units wide and sized in those units: on a 360 px phone a
//! unit is about 0.9 px, and the stylesheet caps a chart at 30rem on a desktop, so the
//! 13-unit text stays between about 12 and 17 px.

use serde::Serialize;

use crate::domain::format;

/// Width of every chart, in SVG units.
pub const WIDTH: f64 = 360.0;
/// Names longer than this are cut with "…"; the full name goes in the SVG `<title>`.
pub const LABEL_CHARS: usize = 46;
/// A generous average width of one character of the chart's text, in SVG units.
const CHAR_WIDTH: f64 = 7.5;
/// Room right of a horizontal bar for its figure ("66,7%", "719,69 triệu").
const VALUE_ROOM: f64 = 92.0;
/// Height of the stacked status bar.
const STACK_HEIGHT: f64 = 36.0;
/// Horizontal bar lists: the name line, each bar, the gaps.
const NAME_LINE: f64 = 20.0;
const BAR_HEIGHT: f64 = 14.0;
const BAR_GAP: f64 = 4.0;
const ROW_GAP: f64 = 14.0;
/// Column charts: total height, room above the tallest column for its figure, and
/// below the axis for the group names.
const COLUMN_CHART_HEIGHT: f64 = 200.0;
const COLUMN_TOP_ROOM: f64 = 20.0;
const COLUMN_BOTTOM_ROOM: f64 = 24.0;
const COLUMN_MAX_WIDTH: f64 = 40.0;
/// A column chart's value axis gets at most this many steps.
const MAX_TICK_STEPS: i128 = 5;

/// Rounds a coordinate to a tenth of a unit: shorter SVG, stable output.
fn tidy(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

/// `part / whole` between 0 and 1; 0 when there is nothing to divide.
fn share(part: impl Into<i128>, whole: impl Into<i128>) -> f64 {
    let (part, whole) = (part.into(), whole.into());
    if part <= 0 || whole <= 0 {
        return 0.0;
    }
    // Integers → f64 lose digits past 2^53, far below what a pixel can show.
    (part as f64 / whole as f64).clamp(0.0, 1.0)
}

/// The length of `part` out of `whole` on an axis `length` long: never negative, never
/// longer than the axis, and at least one unit for anything above zero so it stays
/// visible next to large figures.
fn extent(part: impl Into<i128>, whole: impl Into<i128>, length: f64) -> f64 {
    let (part, whole) = (part.into(), whole.into());
    if part <= 0 || whole <= 0 {
        return 0.0;
    }
    tidy((share(part, whole) * length).max(1.0).min(length))
}

/// A money amount short enough for a chart: `6,01 tỷ`, `719,69 triệu`, `850.000 đ`.
pub fn money_label(dong: i64) -> String {
    if dong.unsigned_abs() < 1_000_000 {
        return format::vnd_full(dong);
    }
    let short = format::vnd_short(dong);
    match short.strip_suffix(" đồng") {
        Some(trimmed) => trimmed.to_owned(),
        None => short,
    }
}

/// A count with Vietnamese thousands separators: `1.234`.
pub fn count_label(count: i64) -> String {
    format::group_thousands(count)
}

/// A name as a chart shows it, and in full for the `<title>` tooltip.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Label {
    pub text: String,
    pub full: String,
}

impl Label {
    /// Cuts `full` to at most `max_chars` characters (counting "…"), at a word
    /// boundary when one is close to the end.
    pub fn new(full: &str, max_chars: usize) -> Label {
        let full = full.trim().to_owned();
        if full.chars().count() <= max_chars {
            return Label {
                text: full.clone(),
                full,
            };
        }
        let kept: String = full.chars().take(max_chars.saturating_sub(1)).collect();
        let cut = match kept.rfind(' ') {
            // A space is ASCII, so slicing at it stays on a character boundary.
            Some(at) if at >= kept.len() * 2 / 3 => &kept[..at],
            _ => kept.as_str(),
        };
        let cut = cut.trim_end_matches([' ', ',', '–', '-', '(', '"', '“']);
        Label {
            text: format!("{cut}…"),
            full,
        }
    }

    pub fn is_cut(&self) -> bool {
        self.text != self.full
    }
}

// ---------------------------------------------------------------------------------------
// One stacked horizontal bar: parts of a whole (the status breakdown)
// ---------------------------------------------------------------------------------------

/// One part of a whole, before layout.
#[derive(Debug, Clone)]
pub struct Part {
    /// A code name, used as the CSS class `series-KEY` that colours it.
    pub key: &'static str,
    pub label: &'static str,
    pub count: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct StackedBar {
    pub width: f64,
    pub height: f64,
    pub total: i64,
    pub segments: Vec<Segment>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Segment {
    pub key: &'static str,
    pub label: &'static str,
    pub count: i64,
    /// `57,1%` of the total.
    pub share: String,
    pub x: f64,
    pub width: f64,
    /// Whether the count fits inside the segment (it is always in the legend).
    pub shows_count: bool,
    pub text_x: f64,
    pub text_y: f64,
}

/// Lays the parts side by side across the full width; `None` when they add up to
/// nothing, since an empty bar says nothing.
pub fn stacked_bar(parts: &[Part]) -> Option<StackedBar> {
    let total = parts
        .iter()
        .fold(0_i64, |sum, part| sum.saturating_add(part.count.max(0)));
    if total == 0 {
        return None;
    }
    let mut before = 0_i64;
    let segments = parts
        .iter()
        .map(|part| {
            let count = part.count.max(0);
            // Edges come from running totals, so segments meet without gaps and the
            // last one ends exactly at the right edge.
            let start = tidy(WIDTH * share(before, total));
            before = before.saturating_add(count);
            let end = tidy(WIDTH * share(before, total));
            let width = tidy(end - start);
            let count_text = count_label(count);
            Segment {
                key: part.key,
                label: part.label,
                count,
                share: format::percent(count, total),
                x: start,
                width,
                shows_count: count > 0 && text_width(&count_text) + 8.0 <= width,
                text_x: tidy(start + width / 2.0),
                text_y: 23.0,
            }
        })
        .collect();
    Some(StackedBar {
        width: WIDTH,
        height: STACK_HEIGHT,
        total,
        segments,
    })
}

fn text_width(text: &str) -> f64 {
    text.chars().count() as f64 * CHAR_WIDTH
}

// ---------------------------------------------------------------------------------------
// Horizontal bars: one row per name, one or more bars per row
// ---------------------------------------------------------------------------------------

/// One bar before layout: `part` out of `whole` of the track, with its figure.
#[derive(Debug, Clone)]
pub struct BarInput {
    pub series: &'static str,
    pub part: i64,
    pub whole: i64,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct BarList {
    pub width: f64,
    pub height: f64,
    pub track_width: f64,
    /// Where the figures right of the bars start.
    pub value_x: f64,
    pub rows: Vec<BarRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BarRow {
    pub label: Label,
    /// Baseline of the name line.
    pub label_y: f64,
    pub bars: Vec<Bar>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Bar {
    pub series: &'static str,
    pub y: f64,
    pub height: f64,
    pub width: f64,
    pub text: String,
    /// Baseline of the figure.
    pub text_y: f64,
}

/// Lays out rows of a name line followed by its bars; `None` when there are no rows.
pub fn bar_list(rows: Vec<(String, Vec<BarInput>)>) -> Option<BarList> {
    if rows.is_empty() {
        return None;
    }
    let track_width = WIDTH - VALUE_ROOM;
    let mut y = 0.0;
    let rows = rows
        .into_iter()
        .map(|(name, inputs)| {
            let label_y = tidy(y + 15.0);
            y += NAME_LINE;
            let bars = inputs
                .into_iter()
                .map(|input| {
                    let bar = Bar {
                        series: input.series,
                        y: tidy(y),
                        height: BAR_HEIGHT,
                        width: extent(input.part, input.whole, track_width),
                        text: input.text,
                        text_y: tidy(y + 11.5),
                    };
                    y += BAR_HEIGHT + BAR_GAP;
                    bar
                })
                .collect();
            y += ROW_GAP - BAR_GAP;
            BarRow {
                label: Label::new(&name, LABEL_CHARS),
                label_y,
                bars,
            }
        })
        .collect();
    Some(BarList {
        width: WIDTH,
        height: tidy(y - ROW_GAP + BAR_GAP),
        track_width,
        value_x: track_width + 6.0,
        rows,
    })
}

/// One unit's completion, for [`completion_rates`].
#[derive(Debug, Clone)]
pub struct Completion {
    pub name: String,
    pub completed: i64,
    pub registered: i64,
}

/// Completion rate per unit: the bar is completed out of registered, the figure the
/// rate (`66,7%`), or "chưa đăng ký" for a unit with nothing registered.
pub fn completion_rates(units: &[Completion]) -> Option<BarList> {
    bar_list(
        units
            .iter()
            .map(|unit| {
                let text = if unit.registered > 0 {
                    format::percent(unit.completed, unit.registered)
                } else {
                    "chưa đăng ký".to_owned()
                };
                let bar = BarInput {
                    series: "completed",
                    part: unit.completed,
                    whole: unit.registered,
                    text,
                };
                (unit.name.clone(), vec![bar])
            })
            .collect(),
    )
}

/// One field's amounts, for [`registrations_and_value`].
#[derive(Debug, Clone)]
pub struct FieldAmounts {
    pub name: String,
    pub registered: i64,
    pub value_vnd: i64,
}

/// Two bars per field: registrations (scaled to the field with the most) and the
/// value delivered (scaled to the field with the most value); `None` when every field
/// is empty.
pub fn registrations_and_value(fields: &[FieldAmounts]) -> Option<BarList> {
    let most_registered = fields.iter().map(|f| f.registered).max().unwrap_or(0);
    let most_value = fields.iter().map(|f| f.value_vnd).max().unwrap_or(0);
    if most_registered <= 0 && most_value <= 0 {
        return None;
    }
    bar_list(
        fields
            .iter()
            .map(|field| {
                let bars = vec![
                    BarInput {
                        series: "registered",
                        part: field.registered,
                        whole: most_registered,
                        text: count_label(field.registered),
                    },
                    BarInput {
                        series: "value",
                        part: field.value_vnd,
                        whole: most_value,
                        text: money_label(field.value_vnd),
                    },
                ];
                (field.name.clone(), bars)
            })
            .collect(),
    )
}

// ---------------------------------------------------------------------------------------
// Columns: groups (years) of one or more columns on a value axis
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
pub struct ColumnInput {
    pub series: &'static str,
    pub value: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ColumnChart {
    pub width: f64,
    pub height: f64,
    pub plot_left: f64,
    pub plot_right: f64,
    /// The y of the zero line.
    pub baseline: f64,
    pub ticks: Vec<Tick>,
    pub groups: Vec<ColumnGroup>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Tick {
    pub y: f64,
    pub label: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ColumnGroup {
    pub label: String,
    /// The centre of the group, where its name is written.
    pub x: f64,
    pub columns: Vec<Column>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Column {
    pub series: &'static str,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    pub text: String,
    pub text_x: f64,
    pub text_y: f64,
}

/// Lays out groups of columns on one value axis starting at zero, with round steps
/// labelled by `label` (e.g. [`count_label`] or [`money_label`]). `None` when there
/// are no groups or every value is zero: an axis of nothing says nothing.
pub fn column_chart(
    groups: &[(String, Vec<ColumnInput>)],
    label: fn(i64) -> String,
) -> Option<ColumnChart> {
    let largest = groups
        .iter()
        .flat_map(|(_, columns)| columns.iter().map(|column| column.value))
        .max()
        .unwrap_or(0);
    if largest <= 0 {
        return None;
    }
    let steps = tick_values(largest);
    let top = steps.last().copied().unwrap_or(1).max(1);
    let tick_label = |value: i128| match i64::try_from(value) {
        Ok(0) => "0".to_owned(),
        Ok(value) => label(value),
        Err(_) => "…".to_owned(),
    };
    let widest_tick = steps
        .iter()
        .map(|value| text_width(&tick_label(*value)))
        .fold(0.0, f64::max);
    let plot_left = tidy(widest_tick + 8.0);
    let plot_right = WIDTH - 2.0;
    let baseline = COLUMN_CHART_HEIGHT - COLUMN_BOTTOM_ROOM;
    let plot_height = baseline - COLUMN_TOP_ROOM;
    let scale = |value: i128| baseline - plot_height * share(value, top);
    let ticks = steps
        .iter()
        .map(|value| Tick {
            y: tidy(scale(*value)),
            label: tick_label(*value),
        })
        .collect();
    let group_width = (plot_right - plot_left) / groups.len() as f64;
    let groups = groups
        .iter()
        .enumerate()
        .map(|(index, (name, inputs))| {
            let centre = plot_left + group_width * (index as f64 + 0.5);
            let slot = (group_width * 0.8 / inputs.len().max(1) as f64).min(COLUMN_MAX_WIDTH);
            let first = centre - slot * inputs.len() as f64 / 2.0;
            let columns = inputs
                .iter()
                .enumerate()
                .map(|(position, input)| {
                    let height = extent(input.value, top, plot_height);
                    let x = first + slot * position as f64 + 1.0;
                    let y = baseline - height;
                    Column {
                        series: input.series,
                        x: tidy(x),
                        y: tidy(y),
                        width: tidy(slot - 2.0),
                        height,
                        text: label(input.value),
                        text_x: tidy(x + (slot - 2.0) / 2.0),
                        text_y: tidy(y - 5.0),
                    }
                })
                .collect();
            ColumnGroup {
                label: name.clone(),
                x: tidy(centre),
                columns,
            }
        })
        .collect();
    Some(ColumnChart {
        width: WIDTH,
        height: COLUMN_CHART_HEIGHT,
        plot_left,
        plot_right,
        baseline,
        ticks,
        groups,
    })
}

/// Axis steps from 0 to the first round value at or above `largest`, with a step of
/// 1, 2 or 5 times a power of ten and at most [`MAX_TICK_STEPS`] steps.
fn tick_values(largest: i64) -> Vec<i128> {
    let largest = i128::from(largest.max(0));
    let mut magnitude: i128 = 1;
    let step = loop {
        let fitting = [1, 2, 5]
            .into_iter()
            .map(|multiple| multiple * magnitude)
            .find(|step| (largest + step - 1) / step <= MAX_TICK_STEPS);
        if let Some(step) = fitting {
            break step;
        }
        magnitude *= 10;
    };
    let count = ((largest + step - 1) / step).max(1);
    (0..=count).map(|index| index * step).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(counts: [i64; 4]) -> Vec<Part> {
        let keys = ["not_started", "in_progress", "completed", "cancelled"];
        keys.iter()
            .zip(counts)
            .map(|(key, count)| Part {
                key,
                label: key,
                count,
            })
            .collect()
    }

    fn finite(values: &[f64]) -> bool {
        values.iter().all(|value| value.is_finite())
    }

    #[test]
    fn money_and_count_labels_are_vietnamese() {
        assert_eq!(money_label(6_012_500_000), "6,01 tỷ");
        assert_eq!(money_label(719_690_000), "719,69 triệu");
        assert_eq!(money_label(173_750_000), "173,75 triệu");
        assert_eq!(money_label(850_000), "850.000 đ");
        assert_eq!(money_label(0), "0 đ");
        assert_eq!(count_label(1234), "1.234");
        assert_eq!(count_label(94), "94");
    }

    #[test]
    fn long_names_are_cut_at_a_word_with_the_full_name_kept() {
        let name =
            "Chi bộ Văn phòng Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Lạng Sơn và các đoàn thể";
        let label = Label::new(name, 30);
        assert!(label.is_cut());
        assert_eq!(label.full, name);
        assert!(label.text.ends_with('…'));
        assert!(label.text.chars().count() <= 30, "{}", label.text);
        assert_eq!(label.text, "Chi bộ Văn phòng Ủy ban Mặt…");
        // Diacritics count as one character each, whatever their UTF-8 length.
        let short = Label::new("Đảng ủy Khối các cơ quan tỉnh", 30);
        assert!(!short.is_cut());
        assert_eq!(short.text, "Đảng ủy Khối các cơ quan tỉnh");
        // One long word is cut inside it.
        let word = Label::new(&"ư".repeat(50), 10);
        assert_eq!(word.text, format!("{}…", "ư".repeat(9)));
        // The field with the longest label fits the charts' limit.
        let field = crate::domain::Field::CulturalOffice.label_vi();
        assert!(!Label::new(field, LABEL_CHARS).is_cut(), "{field}");
    }

    #[test]
    fn a_stacked_bar_fills_the_width_without_gaps() {
        let bar = stacked_bar(&parts([1, 1, 4, 1])).expect("a bar");
        assert_eq!(bar.total, 7);
        let mut edge = 0.0;
        for segment in &bar.segments {
            assert!((segment.x - edge).abs() < 0.11, "gap before {segment:?}");
            edge = segment.x + segment.width;
        }
        assert!((edge - WIDTH).abs() < 0.11);
        let completed = &bar.segments[2];
        assert_eq!(completed.count, 4);
        assert_eq!(completed.share, "57,1%");
        // 4 of 7 of 360 units.
        assert!(
            (completed.width - 205.7).abs() < 0.11,
            "{}",
            completed.width
        );
        assert!(completed.shows_count);
    }

    #[test]
    fn a_stacked_bar_of_nothing_is_not_drawn() {
        assert!(stacked_bar(&parts([0, 0, 0, 0])).is_none());
        assert!(stacked_bar(&[]).is_none());
        // A negative count (never stored, but not trusted) counts as nothing.
        assert!(stacked_bar(&parts([-3, 0, 0, 0])).is_none());
    }

    #[test]
    fn a_stacked_bar_with_one_part_takes_it_all() {
        let bar = stacked_bar(&parts([0, 0, 61, 0])).expect("a bar");
        let completed = &bar.segments[2];
        assert_eq!((completed.x, completed.width), (0.0, WIDTH));
        assert_eq!(completed.share, "100%");
        for empty in [&bar.segments[0], &bar.segments[1], &bar.segments[3]] {
            assert_eq!(empty.width, 0.0);
            assert!(!empty.shows_count);
            assert_eq!(empty.share, "0%");
        }
    }

    #[test]
    fn huge_counts_stay_inside_the_bar() {
        let bar = stacked_bar(&parts([i64::MAX, i64::MAX, 1, 0])).expect("a bar");
        assert_eq!(bar.total, i64::MAX);
        for segment in &bar.segments {
            assert!(finite(&[segment.x, segment.width]));
            assert!(segment.x >= 0.0 && segment.x + segment.width <= WIDTH + 0.01);
        }
    }

    #[test]
    fn completion_bars_scale_to_each_units_registrations() {
        let chart = completion_rates(&[
            Completion {
                name: "Đảng bộ Cải cách".into(),
                completed: 2,
                registered: 3,
            },
            Completion {
                name: "Chi bộ Kế toán".into(),
                completed: 0,
                registered: 0,
            },
            Completion {
                name: "Ban Đại diện".into(),
                completed: 1,
                registered: 1,
            },
        ])
        .expect("a chart");
        assert_eq!(chart.rows.len(), 3);
        let bars: Vec<&Bar> = chart.rows.iter().map(|row| &row.bars[0]).collect();
        assert_eq!(bars[0].text, "66,7%");
        assert!((bars[0].width - chart.track_width * 2.0 / 3.0).abs() < 0.11);
        assert_eq!(bars[1].text, "chưa đăng ký");
        assert_eq!(bars[1].width, 0.0);
        assert_eq!(bars[2].text, "100%");
        assert_eq!(bars[2].width, chart.track_width);
        // Rows go down the chart without overlapping, and the chart holds them all.
        for pair in chart.rows.windows(2) {
            assert!(pair[1].label_y > pair[0].bars[0].y + pair[0].bars[0].height);
        }
        let last = &chart.rows[2].bars[0];
        assert!(last.y + last.height <= chart.height);
        // The figures fit right of the track.
        assert!(chart.value_x + text_width("chưa đăng ký") <= WIDTH + 10.0);
    }

    #[test]
    fn a_single_unit_gets_one_bar() {
        let chart = completion_rates(&[Completion {
            name: "Chi bộ Sở Thử".into(),
            completed: 0,
            registered: 2,
        }])
        .expect("a chart");
        assert_eq!(chart.rows.len(), 1);
        assert_eq!(chart.rows[0].bars[0].text, "0%");
        assert_eq!(chart.rows[0].bars[0].width, 0.0);
        assert!(chart.height > 0.0);
        assert!(completion_rates(&[]).is_none());
    }

    #[test]
    fn long_unit_names_are_cut_in_the_bars() {
        let name =
            "Đảng bộ Sở Nông nghiệp và Phát triển nông thôn tỉnh Lạng Sơn nhiệm kỳ 2020–2025";
        let chart = completion_rates(&[Completion {
            name: name.into(),
            completed: 1,
            registered: 2,
        }])
        .expect("a chart");
        let label = &chart.rows[0].label;
        assert!(label.is_cut());
        assert_eq!(label.full, name);
        assert!(text_width(&label.text) <= WIDTH);
    }

    #[test]
    fn field_bars_scale_counts_and_money_separately() {
        let chart = registrations_and_value(&[
            FieldAmounts {
                name: "Chuyên môn, nghiệp vụ".into(),
                registered: 2,
                value_vnd: 6_012_500_000,
            },
            FieldAmounts {
                name: "An sinh xã hội".into(),
                registered: 4,
                value_vnd: 0,
            },
            FieldAmounts {
                name: "Khác".into(),
                registered: 1,
                value_vnd: 1_000,
            },
        ])
        .expect("a chart");
        let track = chart.track_width;
        let [professional, welfare, other] = &chart.rows[..] else {
            panic!("three rows");
        };
        assert_eq!(professional.bars[0].text, "2");
        assert!((professional.bars[0].width - track / 2.0).abs() < 0.11);
        assert_eq!(professional.bars[1].text, "6,01 tỷ");
        assert_eq!(professional.bars[1].width, track);
        assert_eq!(welfare.bars[0].width, track);
        assert_eq!(welfare.bars[1].width, 0.0);
        assert_eq!(welfare.bars[1].text, "0 đ");
        // 1.000 đ next to 6 tỷ is still drawn, one unit wide.
        assert_eq!(other.bars[1].width, 1.0);
        assert_eq!(other.bars[1].text, "1.000 đ");
        // Both bars of a row sit under its name, one below the other.
        assert!(professional.bars[1].y >= professional.bars[0].y + BAR_HEIGHT);
    }

    #[test]
    fn fields_with_nothing_draw_no_chart() {
        let empty = FieldAmounts {
            name: "Khác".into(),
            registered: 0,
            value_vnd: 0,
        };
        assert!(registrations_and_value(&[empty.clone(), empty]).is_none());
        assert!(registrations_and_value(&[]).is_none());
    }

    #[test]
    fn axis_steps_are_round() {
        assert_eq!(tick_values(7), [0, 2, 4, 6, 8]);
        assert_eq!(tick_values(94), [0, 20, 40, 60, 80, 100]);
        assert_eq!(tick_values(1), [0, 1]);
        assert_eq!(tick_values(5), [0, 1, 2, 3, 4, 5]);
        assert_eq!(tick_values(0), [0, 1]);
        assert_eq!(
            tick_values(6_012_500_000),
            [
                0,
                2_000_000_000,
                4_000_000_000,
                6_000_000_000,
                8_000_000_000
            ]
        );
        let huge = tick_values(i64::MAX);
        assert!(huge.len() <= 6 && *huge.last().unwrap_or(&0) >= i128::from(i64::MAX));
    }

    fn year(year: &str, registered: i64, completed: i64) -> (String, Vec<ColumnInput>) {
        let columns = vec![
            ColumnInput {
                series: "registered",
                value: registered,
            },
            ColumnInput {
                series: "completed",
                value: completed,
            },
        ];
        (year.to_owned(), columns)
    }

    #[test]
    fn columns_stand_on_the_baseline_in_scale() {
        let chart =
            column_chart(&[year("2022", 7, 4), year("2023", 1, 0)], count_label).expect("chart");
        assert_eq!(chart.groups.len(), 2);
        assert_eq!(chart.groups[0].label, "2022");
        let labels: Vec<&str> = chart.ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, ["0", "2", "4", "6", "8"]);
        let plot_height = chart.baseline - COLUMN_TOP_ROOM;
        let registered = &chart.groups[0].columns[0];
        assert!((registered.height - plot_height * 7.0 / 8.0).abs() < 0.11);
        assert!((registered.y + registered.height - chart.baseline).abs() < 0.11);
        assert_eq!(registered.text, "7");
        let zero = &chart.groups[1].columns[1];
        assert_eq!(zero.height, 0.0);
        assert_eq!(zero.text, "0");
        // Groups do not overlap and stay inside the plot.
        let right_of = |group: &ColumnGroup| {
            group
                .columns
                .iter()
                .map(|c| c.x + c.width)
                .fold(0.0, f64::max)
        };
        assert!(right_of(&chart.groups[0]) < chart.groups[1].columns[0].x);
        assert!(right_of(&chart.groups[1]) <= chart.plot_right);
        assert!(chart.groups[0].columns[0].x >= chart.plot_left);
        // The tallest column leaves room for its figure above it.
        assert!(registered.text_y > 0.0);
    }

    #[test]
    fn money_columns_have_short_money_ticks() {
        let groups = [
            (
                "2022".to_owned(),
                vec![ColumnInput {
                    series: "value",
                    value: 6_012_500_000,
                }],
            ),
            (
                "2023".to_owned(),
                vec![ColumnInput {
                    series: "value",
                    value: 173_750_000,
                }],
            ),
        ];
        let chart = column_chart(&groups, money_label).expect("chart");
        let labels: Vec<&str> = chart.ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, ["0", "2 tỷ", "4 tỷ", "6 tỷ", "8 tỷ"]);
        assert_eq!(chart.groups[0].columns[0].text, "6,01 tỷ");
        assert_eq!(chart.groups[1].columns[0].text, "173,75 triệu");
        // The axis labels fit left of the plot.
        assert!(chart.plot_left >= text_width("8 tỷ"));
    }

    #[test]
    fn columns_of_nothing_or_of_huge_values() {
        assert!(column_chart(&[year("2024", 0, 0)], count_label).is_none());
        assert!(column_chart(&[], count_label).is_none());
        let single = column_chart(&[year("2022", 1, 1)], count_label).expect("chart");
        assert_eq!(single.groups.len(), 1);
        let huge = column_chart(&[year("2022", i64::MAX, 1)], count_label).expect("chart");
        for column in huge.groups.iter().flat_map(|g| &g.columns) {
            assert!(finite(&[column.x, column.y, column.width, column.height]));
            assert!(column.y >= 0.0 && column.height >= 0.0);
        }
        // The smallest of them is still visible.
        assert_eq!(huge.groups[0].columns[1].height, 1.0);
    }
}
