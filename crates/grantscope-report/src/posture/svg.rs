//! Inline SVG charts: plain shapes and text, sized in user units and scaled by CSS, no script, no
//! external reference. Every label goes through [`html`] (inline SVG is parsed as HTML).

use std::fmt::Write as _;

use grantscope_core::findings::Severity;
use grantscope_core::score::{Area, AreaScore, Grade};

use super::escape::{html, truncate};
use super::model::{Bar, PackagePopulation};

const WIDTH: f64 = 680.0;
const LABEL_W: f64 = 190.0;
const ROW_H: f64 = 26.0;
const BAR_H: f64 = 16.0;

/// Colour of a severity (also used by the CSS badges).
pub(crate) fn severity_colour(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "#6a1b9a",
        Severity::High => "#c62828",
        Severity::Medium => "#e65100",
        Severity::Low => "#1565c0",
        Severity::Info => "#78909c",
    }
}

/// Colour of a grade (`None`: not graded).
pub(crate) fn grade_colour(g: Option<Grade>) -> &'static str {
    match g {
        Some(Grade::A) => "#2e7d32",
        Some(Grade::B) => "#689f38",
        Some(Grade::C) => "#f9a825",
        Some(Grade::D) => "#ef6c00",
        Some(Grade::F) => "#c62828",
        None => "#9e9e9e",
    }
}

/// A number with at most one decimal, without a trailing `.0`: stable across platforms.
fn n(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if (r - r.trunc()).abs() < f64::EPSILON {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

#[allow(clippy::cast_precision_loss)]
fn f(x: usize) -> f64 {
    x as f64
}

fn open(out: &mut String, id: &str, height: f64, title: &str) {
    let _ = write!(
        out,
        "<svg class=\"chart\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-labelledby=\"{id}-title\"><title id=\"{id}-title\">{t}</title>",
        w = n(WIDTH),
        h = n(height),
        t = html(title),
    );
}

fn text(out: &mut String, x: f64, y: f64, anchor: &str, class: &str, content: &str) {
    let _ = write!(
        out,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\" class=\"{class}\">{}</text>",
        n(x),
        n(y),
        html(content)
    );
}

fn rect(out: &mut String, x: f64, y: f64, w: f64, h: f64, fill: &str) {
    let _ = write!(
        out,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{fill}\"/>",
        n(x),
        n(y),
        n(w),
        n(h)
    );
}

/// Findings by area (rows) and severity (stacked segments).
pub(crate) fn findings_by_area(
    rows: &[(Area, std::collections::BTreeMap<Severity, usize>)],
) -> String {
    let legend_h = 28.0;
    let height = legend_h + ROW_H * f(rows.len()) + 8.0;
    let mut out = String::new();
    open(
        &mut out,
        "chart-areas",
        height,
        "Findings by area and severity",
    );
    // Legend.
    let mut x = LABEL_W;
    for s in Severity::ALL {
        rect(&mut out, x, 8.0, 12.0, 12.0, severity_colour(s));
        text(
            &mut out,
            x + 16.0,
            18.0,
            "start",
            "legend",
            &capitalise(s.as_str()),
        );
        x += 92.0;
    }
    let max = rows
        .iter()
        .map(|(_, m)| m.values().sum::<usize>())
        .max()
        .unwrap_or(0)
        .max(1);
    let span = WIDTH - LABEL_W - 40.0;
    for (i, (area, counts)) in rows.iter().enumerate() {
        let y = legend_h + ROW_H * f(i);
        text(
            &mut out,
            LABEL_W - 8.0,
            y + 13.0,
            "end",
            "label",
            area.title(),
        );
        let mut x = LABEL_W;
        let mut total = 0;
        for s in Severity::ALL {
            let c = counts.get(&s).copied().unwrap_or(0);
            if c == 0 {
                continue;
            }
            total += c;
            let w = span * f(c) / f(max);
            rect(&mut out, x, y, w, BAR_H, severity_colour(s));
            if w >= 16.0 {
                text(
                    &mut out,
                    x + w / 2.0,
                    y + 12.0,
                    "middle",
                    "inbar",
                    &c.to_string(),
                );
            }
            x += w;
        }
        text(
            &mut out,
            x + 6.0,
            y + 12.5,
            "start",
            "value",
            &total.to_string(),
        );
    }
    out.push_str("</svg>");
    out
}

/// Area scores as horizontal bars on a 0–100 scale, coloured by grade.
pub(crate) fn area_scores(areas: &[AreaScore]) -> String {
    let height = ROW_H * f(areas.len()) + 24.0;
    let mut out = String::new();
    open(&mut out, "chart-scores", height, "Score per area (0–100)");
    let span = WIDTH - LABEL_W - 70.0;
    for (i, a) in areas.iter().enumerate() {
        let y = 4.0 + ROW_H * f(i);
        text(
            &mut out,
            LABEL_W - 8.0,
            y + 13.0,
            "end",
            "label",
            a.area.title(),
        );
        rect(&mut out, LABEL_W, y, span, BAR_H, "#eceff1");
        match a.score {
            Some(score) => {
                let w = span * f(score as usize) / 100.0;
                rect(&mut out, LABEL_W, y, w, BAR_H, grade_colour(a.grade));
                let grade = a.grade.map_or("", |g| g.as_str());
                text(
                    &mut out,
                    LABEL_W + span + 8.0,
                    y + 12.5,
                    "start",
                    "value",
                    &format!("{score} {grade}"),
                );
            }
            None => text(
                &mut out,
                LABEL_W + span + 8.0,
                y + 12.5,
                "start",
                "value",
                "not graded",
            ),
        }
    }
    // Grade floors as faint guides.
    for (floor, label) in [(60.0, "D"), (70.0, "C"), (80.0, "B"), (90.0, "A")] {
        let x = LABEL_W + span * floor / 100.0;
        let _ = write!(
            out,
            "<line x1=\"{x}\" y1=\"0\" x2=\"{x}\" y2=\"{y}\" class=\"guide\"/>",
            x = n(x),
            y = n(height - 14.0)
        );
        text(
            &mut out,
            x,
            height - 3.0,
            "middle",
            "axis",
            &format!("{label} {floor}"),
        );
    }
    out.push_str("</svg>");
    out
}

/// Vertical bars, one per bucket, with the count above each bar.
pub(crate) fn buckets(id: &str, title: &str, bars: &[Bar], colours: &[&str]) -> String {
    let height = 200.0;
    let base = 160.0;
    let mut out = String::new();
    open(&mut out, id, height, title);
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1);
    let slot = (WIDTH - 40.0) / f(bars.len().max(1));
    let w = (slot * 0.62).min(70.0);
    let _ = write!(
        out,
        "<line x1=\"20\" y1=\"{b}\" x2=\"{x2}\" y2=\"{b}\" class=\"baseline\"/>",
        b = n(base),
        x2 = n(WIDTH - 20.0)
    );
    for (i, b) in bars.iter().enumerate() {
        let cx = 20.0 + slot * (f(i) + 0.5);
        let h = 130.0 * f(b.value) / f(max);
        let colour = colours.get(i).copied().unwrap_or("#546e7a");
        if b.value > 0 {
            rect(&mut out, cx - w / 2.0, base - h, w, h, colour);
        }
        text(
            &mut out,
            cx,
            base - h - 5.0,
            "middle",
            "value",
            &b.value.to_string(),
        );
        text(&mut out, cx, base + 16.0, "middle", "label", &b.label);
    }
    out.push_str("</svg>");
    out
}

/// Eligible population of the broadest packages: members and guests stacked, plus a marker when
/// anyone from outside can request.
pub(crate) fn populations(pops: &[PackagePopulation]) -> String {
    let legend_h = 28.0;
    let height = legend_h + ROW_H * f(pops.len().max(1)) + 8.0;
    let mut out = String::new();
    open(
        &mut out,
        "chart-population",
        height,
        "Eligible population of the broadest access packages",
    );
    let legend = [
        ("#1565c0", "members"),
        ("#ef6c00", "guests"),
        ("#6a1b9a", "+ anyone external (unbounded)"),
    ];
    let mut x = LABEL_W;
    for (colour, label) in legend {
        rect(&mut out, x, 8.0, 12.0, 12.0, colour);
        text(&mut out, x + 16.0, 18.0, "start", "legend", label);
        x += 110.0;
    }
    if pops.is_empty() {
        text(
            &mut out,
            LABEL_W,
            legend_h + 13.0,
            "start",
            "label",
            "no self-service or automatic policy",
        );
    }
    let max = pops
        .iter()
        .map(|p| p.members + p.guests)
        .max()
        .unwrap_or(0)
        .max(1);
    let span = WIDTH - LABEL_W - 150.0;
    for (i, p) in pops.iter().enumerate() {
        let y = legend_h + ROW_H * f(i);
        text(
            &mut out,
            LABEL_W - 8.0,
            y + 13.0,
            "end",
            "label",
            &truncate(&p.name, 30),
        );
        let wm = span * f(p.members) / f(max);
        let wg = span * f(p.guests) / f(max);
        if p.members > 0 {
            rect(&mut out, LABEL_W, y, wm, BAR_H, "#1565c0");
        }
        if p.guests > 0 {
            rect(&mut out, LABEL_W + wm, y, wg, BAR_H, "#ef6c00");
        }
        let mut end = LABEL_W + wm + wg;
        if p.unbounded {
            let _ = write!(
                out,
                "<path d=\"M{x0} {y0} l14 8 l-14 8 z\" fill=\"#6a1b9a\"/>",
                x0 = n(end + 2.0),
                y0 = n(y)
            );
            end += 18.0;
        }
        let mut label = format!("{}", p.members + p.guests);
        if p.guests > 0 {
            let _ = write!(label, " ({} guests)", p.guests);
        }
        if p.unbounded {
            label.push_str(" + anyone external");
        }
        text(&mut out, end + 6.0, y + 12.5, "start", "value", &label);
    }
    out.push_str("</svg>");
    out
}

/// A ring showing the overall score, the grade in the middle.
pub(crate) fn gauge(score: u32, grade: Grade) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg class=\"gauge\" viewBox=\"0 0 160 160\" width=\"160\" height=\"160\" role=\"img\" aria-labelledby=\"gauge-title\"><title id=\"gauge-title\">Overall score {score} of 100, grade {grade}</title>"
    );
    let r = 64.0;
    let circumference = 2.0 * std::f64::consts::PI * r;
    let filled = circumference * f64::from(score.min(100)) / 100.0;
    let _ = write!(
        out,
        "<circle cx=\"80\" cy=\"80\" r=\"{r}\" fill=\"none\" stroke=\"#eceff1\" stroke-width=\"14\"/><circle cx=\"80\" cy=\"80\" r=\"{r}\" fill=\"none\" stroke=\"{c}\" stroke-width=\"14\" stroke-dasharray=\"{a} {b}\" transform=\"rotate(-90 80 80)\"/>",
        r = n(r),
        c = grade_colour(Some(grade)),
        a = n(filled),
        b = n(circumference)
    );
    let _ = write!(
        out,
        "<text x=\"80\" y=\"90\" text-anchor=\"middle\" class=\"gauge-grade\" fill=\"{c}\">{grade}</text><text x=\"80\" y=\"116\" text-anchor=\"middle\" class=\"gauge-score\">{score} / 100</text></svg>",
        c = grade_colour(Some(grade))
    );
    out
}

pub(crate) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_stable() {
        assert_eq!(n(1.0), "1");
        assert_eq!(n(1.04), "1");
        assert_eq!(n(12.35), "12.4");
        assert_eq!(n(0.0), "0");
    }

    #[test]
    fn labels_are_escaped() {
        let bars = [Bar {
            label: "<script>alert(1)</script>".into(),
            value: 3,
        }];
        let svg = buckets("x", "t\"", &bars, &[]);
        assert!(!svg.contains("<script"));
        assert!(svg.contains("&lt;script&gt;"));
        let pops = [PackagePopulation {
            name: "\"><img src=x onerror=alert(1)>".into(),
            members: 1,
            guests: 0,
            unbounded: true,
        }];
        let svg = populations(&pops);
        assert!(!svg.contains("<img"));
    }
}
