//! Bar charts as inline SVG: no script, no fonts or files fetched, prints as drawn.

use std::fmt::Write as _;

/// One series of a bar chart: a name, a colour and a value per category.
pub struct Series<'a> {
    /// Legend text.
    pub name: &'a str,
    /// CSS colour.
    pub colour: &'a str,
    /// One value per category.
    pub values: Vec<f64>,
}

/// Escape text for HTML and SVG.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A "nice" axis maximum at or above `x`: 1, 2 or 5 times a power of ten.
fn nice_max(x: f64) -> f64 {
    if x <= 0.0 || !x.is_finite() {
        return 1.0;
    }
    let p = 10f64.powf(x.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * p)
        .find(|v| *v >= x)
        .unwrap_or(10.0 * p)
}

/// Short number for axis ticks: 1.5k, 20M, 3bn.
pub(crate) fn short(x: f64) -> String {
    let a = x.abs();
    if a >= 1e12 {
        // Beyond thousands of billions (FLOP of training runs): 5e27, 2.5e27.
        let t = format!("{x:.1e}");
        return t.replacen(".0e", "e", 1);
    }
    let (v, s) = if a >= 1e9 {
        (x / 1e9, "bn")
    } else if a >= 1e6 {
        (x / 1e6, "M")
    } else if a >= 1e3 {
        (x / 1e3, "k")
    } else {
        (x, "")
    };
    let t = if v.fract() == 0.0 || v.abs() >= 10.0 {
        format!("{v:.0}")
    } else if v.abs() >= 1.0 {
        format!("{v:.1}")
    } else {
        // Below one: two significant digits, trailing zeros dropped (0.02, 0.15).
        let decimals = (1.0 - v.abs().log10().floor()).max(1.0) as usize;
        let t = format!("{v:.decimals$}");
        t.trim_end_matches('0').trim_end_matches('.').to_string()
    };
    format!("{t}{s}")
}

/// The start of a chart: its figure and SVG, title, the y axis from 0 to `top_value` with
/// five gridlines, and the unit. `plot` is (left, top, width, height) of the plot area.
fn open_chart(
    title: &str,
    (w, h): (f64, f64),
    (left, top, plot_w, plot_h): (f64, f64, f64, f64),
    top_value: f64,
    unit: &str,
) -> String {
    let mut out = String::new();
    write!(
        out,
        "<figure class=\"chart\"><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" \
         role=\"img\" aria-label=\"{t}\"><text x=\"{left}\" y=\"20\" class=\"title\">{t}</text>",
        t = esc(title)
    )
    .expect("String");
    for k in 0..=5 {
        let v = top_value * f64::from(k) / 5.0;
        let y = top + plot_h - plot_h * f64::from(k) / 5.0;
        write!(
            out,
            "<line x1=\"{left}\" x2=\"{x2}\" y1=\"{y:.1}\" y2=\"{y:.1}\" class=\"grid\"/>\
             <text x=\"{tx}\" y=\"{ty:.1}\" class=\"tick\" text-anchor=\"end\">{l}</text>",
            x2 = left + plot_w,
            tx = left - 6.0,
            ty = y + 4.0,
            l = short(v)
        )
        .expect("String");
    }
    write!(
        out,
        "<text x=\"12\" y=\"{y}\" class=\"tick\" transform=\"rotate(-90 12 {y})\" \
         text-anchor=\"middle\">{u}</text>",
        y = top + plot_h / 2.0,
        u = esc(unit)
    )
    .expect("String");
    out
}

/// The end of a chart: a legend of (name, colour) along the bottom, and the closing tags.
fn close_chart<'a>(
    out: &mut String,
    left: f64,
    h: f64,
    items: impl Iterator<Item = (&'a str, &'a str)>,
) {
    let mut lx = left;
    for (name, colour) in items {
        write!(
            out,
            "<rect x=\"{lx:.1}\" y=\"{y}\" width=\"10\" height=\"10\" fill=\"{colour}\"/>\
             <text x=\"{tx:.1}\" y=\"{ty}\" class=\"tick\">{n}</text>",
            y = h - 18.0,
            tx = lx + 14.0,
            ty = h - 9.0,
            n = esc(name)
        )
        .expect("String");
        lx += 24.0 + 7.0 * name.len() as f64;
    }
    out.push_str("</svg></figure>\n");
}

/// A grouped bar chart: a group of bars per category, one bar per series, a y axis from 0
/// with five gridlines, a legend, and each bar's value as its tooltip.
pub fn bars(title: &str, unit: &str, categories: &[String], series: &[Series<'_>]) -> String {
    let (w, h) = (640.0, 300.0);
    let (left, right, top, bottom) = (64.0, 16.0, 40.0, 48.0);
    let plot_w = w - left - right;
    let plot_h = h - top - bottom;
    let max = series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .fold(0.0f64, f64::max);
    let top_value = nice_max(max);
    let mut out = open_chart(title, (w, h), (left, top, plot_w, plot_h), top_value, unit);
    let n = categories.len().max(1) as f64;
    let group_w = plot_w / n;
    let bar_w = group_w * 0.8 / series.len().max(1) as f64;
    for (c, cat) in categories.iter().enumerate() {
        let gx = left + group_w * c as f64 + group_w * 0.1;
        for (k, s) in series.iter().enumerate() {
            let v = s.values.get(c).copied().unwrap_or(0.0).max(0.0);
            let bh = plot_h * v / top_value;
            let x = gx + bar_w * k as f64;
            write!(
                out,
                "<path d=\"M{x:.1} {y0:.1}h{bw:.1}v{nh:.1}h{nbw:.1}z\" fill=\"{col}\">\
                 <title>{name} {cat}: {val}</title></path>",
                y0 = top + plot_h,
                bw = bar_w * 0.92,
                nh = -bh,
                nbw = -bar_w * 0.92,
                col = s.colour,
                name = esc(s.name),
                cat = esc(cat),
                val = short(v)
            )
            .expect("String");
        }
        write!(
            out,
            "<text x=\"{x:.1}\" y=\"{y}\" class=\"tick\" text-anchor=\"middle\">{l}</text>",
            x = left + group_w * (c as f64 + 0.5),
            y = top + plot_h + 16.0,
            l = esc(cat)
        )
        .expect("String");
    }
    close_chart(&mut out, left, h, series.iter().map(|s| (s.name, s.colour)));
    out
}

/// One line of a line chart: points in data units; a point with a NaN `y` breaks the line.
pub struct Line<'a> {
    /// Legend text.
    pub name: &'a str,
    /// CSS colour.
    pub colour: &'a str,
    /// (x, y) in data units, in order of x.
    pub points: Vec<(f64, f64)>,
}

/// The x axis of a line chart.
pub struct XAxis {
    /// Left end, data units.
    pub min: f64,
    /// Right end, data units.
    pub max: f64,
    /// Logarithmic (min must be above 0).
    pub log: bool,
    /// (position, label) of each tick.
    pub ticks: Vec<(f64, String)>,
    /// What x is, with its unit.
    pub label: String,
}

impl XAxis {
    fn frac(&self, x: f64) -> f64 {
        let f = |v: f64| if self.log { v.max(1e-300).log10() } else { v };
        let span = f(self.max) - f(self.min);
        if span > 0.0 {
            ((f(x) - f(self.min)) / span).clamp(0.0, 1.0)
        } else {
            0.0
        }
    }
}

/// A line chart: y from 0 (to `y_max` if given, else a round number above the data) with
/// five gridlines, the x axis's ticks, a legend.
pub fn lines(
    title: &str,
    x: &XAxis,
    y_unit: &str,
    y_max: Option<f64>,
    series: &[Line<'_>],
) -> String {
    let (w, h) = (640.0, 300.0);
    let (left, right, top, bottom) = (64.0, 16.0, 40.0, 62.0);
    let plot_w = w - left - right;
    let plot_h = h - top - bottom;
    let max = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1))
        .filter(|v| v.is_finite())
        .fold(0.0f64, f64::max);
    let top_value = y_max.unwrap_or_else(|| nice_max(max));
    let mut out = open_chart(
        title,
        (w, h),
        (left, top, plot_w, plot_h),
        top_value,
        y_unit,
    );
    for (v, label) in &x.ticks {
        let px = left + plot_w * x.frac(*v);
        // Labels at the right edge end there, so that they are not cut off.
        let anchor = if px > left + plot_w - 24.0 {
            "end"
        } else {
            "middle"
        };
        write!(
            out,
            "<line x1=\"{px:.1}\" x2=\"{px:.1}\" y1=\"{top}\" y2=\"{y2}\" class=\"grid\"/>\
             <text x=\"{px:.1}\" y=\"{ty}\" class=\"tick\" text-anchor=\"{anchor}\">{l}</text>",
            y2 = top + plot_h,
            ty = top + plot_h + 16.0,
            l = esc(label)
        )
        .expect("String");
    }
    write!(
        out,
        "<text x=\"{x0}\" y=\"{y}\" class=\"tick\" text-anchor=\"middle\">{l}</text>",
        x0 = left + plot_w / 2.0,
        y = top + plot_h + 32.0,
        l = esc(&x.label)
    )
    .expect("String");
    for s in series {
        let mut d = String::new();
        let mut pen_down = false;
        for &(px, py) in &s.points {
            if !py.is_finite() {
                pen_down = false;
                continue;
            }
            let sx = left + plot_w * x.frac(px);
            let sy = top + plot_h - plot_h * (py / top_value).clamp(0.0, 1.0);
            write!(d, "{}{sx:.1} {sy:.1}", if pen_down { "L" } else { "M" }).expect("String");
            pen_down = true;
        }
        if !d.is_empty() {
            write!(
                out,
                "<path d=\"{d}\" fill=\"none\" stroke=\"{c}\" stroke-width=\"1.6\" \
                 stroke-linejoin=\"round\"><title>{n}</title></path>",
                c = s.colour,
                n = esc(s.name)
            )
            .expect("String");
        }
    }
    close_chart(&mut out, left, h, series.iter().map(|s| (s.name, s.colour)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_maximum_is_round_and_covers_the_data() {
        assert_eq!(nice_max(0.73), 1.0);
        assert_eq!(nice_max(1.3), 2.0);
        assert_eq!(nice_max(297_216.0), 500_000.0);
        assert_eq!(short(1_500.0), "1.5k");
        assert_eq!(short(20e6), "20M");
        assert_eq!(short(0.02), "0.02");
        assert_eq!(short(0.15), "0.15");
        assert_eq!(short(0.1), "0.1");
        assert_eq!(short(0.004), "0.004");
    }

    #[test]
    fn a_bar_is_a_path_as_tall_as_its_share_of_the_axis() {
        let svg = bars(
            "t",
            "u",
            &["a".into(), "b".into()],
            &[Series {
                name: "s",
                colour: "#123",
                values: vec![50.0, 100.0],
            }],
        );
        // Axis to 100; plot height 212: the second bar rises 212, the first 106.
        assert!(svg.contains("v-106.0"), "{svg}");
        assert!(svg.contains("v-212.0"), "{svg}");
        assert_eq!(svg.matches("<path ").count(), 2);
    }

    #[test]
    fn a_line_goes_through_its_points_and_breaks_at_gaps() {
        let x = XAxis {
            min: 0.0,
            max: 10.0,
            log: false,
            ticks: vec![(5.0, "mid".into())],
            label: "days".into(),
        };
        let svg = lines(
            "t",
            &x,
            "u",
            None,
            &[Line {
                name: "s",
                colour: "#123",
                points: vec![(0.0, 0.0), (5.0, 50.0), (6.0, f64::NAN), (10.0, 100.0)],
            }],
        );
        // Plot 560 wide from x=64, 198 tall from y=40; axis to 100.
        assert!(
            svg.contains("d=\"M64.0 238.0L344.0 139.0M624.0 40.0\""),
            "{svg}"
        );
        // On a log axis from 1 to 100, 10 is half way.
        let log = XAxis {
            min: 1.0,
            max: 100.0,
            log: true,
            ..x
        };
        let svg = lines(
            "t",
            &log,
            "u",
            Some(1.0),
            &[Line {
                name: "s",
                colour: "#123",
                points: vec![(10.0, 0.5)],
            }],
        );
        assert!(svg.contains("d=\"M344.0 139.0\""), "{svg}");
    }
}
