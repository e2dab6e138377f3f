//! Uncertain inputs (issue 17): `[[uncertain]]` tables name a numeric key of the scenario
//! or the catalogue by a path that reads as the file does, and say how it is drawn. A sweep
//! draws them; every other command ignores them. This module reads the paths, checks them
//! against a scenario and the catalogue, and applies drawn values.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::problem;
use super::types::Scenario;
use crate::catalog::Catalog;

/// An uncertain input: a key and how it is drawn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Uncertain {
    /// The key, as validation names it: `build[2].price_usd`, by name where names are
    /// unique (`site[julich].electricity_eur_per_kwh`, `tenant[research].load`), a plain
    /// key (`economics.rent_change_per_year`), or the catalogue's, for every plan at once
    /// (`catalog.accelerator[B200].price_usd`, `catalog.country[DE].electricity_eur_per_kwh`);
    /// `[*]` for every element (`catalog.country[*].electricity_eur_per_kwh`), all given
    /// the same draw (under `scale`, every element that states the key).
    pub path: String,
    /// More keys given the same draw (tied to `path`, e.g. electricity prices that move
    /// together).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<String>,
    /// How it is drawn.
    pub distribution: Distribution,
    /// `uniform` and `triangular`: the smallest value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub low: Option<f64>,
    /// `triangular`: the most likely value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<f64>,
    /// `uniform` and `triangular`: the largest value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high: Option<f64>,
    /// `normal`: the mean.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mean: Option<f64>,
    /// `normal`: the standard deviation (>= 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sd: Option<f64>,
    /// `lognormal`: the median (> 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub median: Option<f64>,
    /// `lognormal`: the standard deviation of the value's natural logarithm (>= 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sigma: Option<f64>,
    /// `choice`: the values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<f64>,
    /// `choice`: each value's weight (>= 0; equal when left out).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub weights: Vec<f64>,
    /// `set` (default): the draw is the key's value; `scale`: the draw multiplies the
    /// value the file (or the catalogue) gives the key.
    #[serde(default)]
    pub apply: Apply,
}

/// An uncertainty file: `[[uncertain]]` tables alone, which `gigafactory sweep` applies to
/// every plan it is given (so that one file serves plans with different sites).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UncertaintyFile {
    /// What the uncertainties are and where their ranges come from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The uncertain inputs.
    #[serde(default, rename = "uncertain")]
    pub uncertain: Vec<Uncertain>,
}

/// How an uncertain input is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Distribution {
    /// Every value from `low` to `high` equally likely.
    Uniform,
    /// From `low` to `high`, most likely at `mode`.
    Triangular,
    /// Normal with `mean` and `sd`.
    Normal,
    /// Its logarithm normal: `median` and `sigma` (of the logarithm).
    Lognormal,
    /// One of `values`, with `weights`.
    Choice,
}

/// What a draw does to its key.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Apply {
    /// The draw is the key's value.
    #[default]
    Set,
    /// The draw multiplies the key's stated value.
    Scale,
}

/// The standard normal's quantile at `p` (0 < p < 1): Acklam's rational approximation
/// (relative error below 1.15e-9), refined by one Halley step on the complementary error
/// function.
#[must_use]
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    let p = p.clamp(1e-300, 1.0 - 1e-16);
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if p < 0.024_25 {
        tail((-2.0 * p.ln()).sqrt())
    } else if p > 1.0 - 0.024_25 {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}

impl Uncertain {
    /// A key drawn uniformly from `low` to `high`, set to the draw.
    #[must_use]
    pub fn uniform(path: &str, low: f64, high: f64) -> Uncertain {
        Uncertain {
            path: path.into(),
            also: Vec::new(),
            distribution: Distribution::Uniform,
            low: Some(low),
            mode: None,
            high: Some(high),
            mean: None,
            sd: None,
            median: None,
            sigma: None,
            values: Vec::new(),
            weights: Vec::new(),
            apply: Apply::Set,
        }
    }

    /// The value at quantile `u` (0 < u < 1) of the distribution (parameters as
    /// [`Uncertain::problems`] checks them).
    #[must_use]
    pub fn quantile(&self, u: f64) -> f64 {
        let get = |x: Option<f64>| x.unwrap_or(0.0);
        match self.distribution {
            Distribution::Uniform => get(self.low) + u * (get(self.high) - get(self.low)),
            Distribution::Triangular => {
                let (a, c, b) = (get(self.low), get(self.mode), get(self.high));
                if b <= a {
                    return a;
                }
                let f = (c - a) / (b - a);
                if u < f {
                    a + (u * (b - a) * (c - a)).sqrt()
                } else {
                    b - ((1.0 - u) * (b - a) * (b - c)).sqrt()
                }
            }
            Distribution::Normal => get(self.mean) + get(self.sd) * normal_quantile(u),
            Distribution::Lognormal => {
                get(self.median) * (get(self.sigma) * normal_quantile(u)).exp()
            }
            Distribution::Choice => {
                let w: Vec<f64> = if self.weights.is_empty() {
                    vec![1.0; self.values.len()]
                } else {
                    self.weights.clone()
                };
                let total: f64 = w.iter().sum();
                let mut acc = 0.0;
                for (v, wi) in self.values.iter().zip(&w) {
                    acc += wi / total;
                    if u < acc {
                        return *v;
                    }
                }
                self.values.last().copied().unwrap_or(0.0)
            }
        }
    }

    /// The distribution's median: the value a one-at-a-time swing holds the input at.
    #[must_use]
    pub fn median_value(&self) -> f64 {
        self.quantile(0.5)
    }

    /// What is wrong with the distribution's parameters: (the key, the message) for each
    /// problem.
    #[must_use]
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        let need = |out: &mut Vec<(&'static str, String)>, key: &'static str, v: Option<f64>| {
            match v {
                None => out.push((key, format!("a {} distribution needs `{key}`", self.name()))),
                Some(x) if !x.is_finite() => {
                    out.push((key, format!("expected a finite number, found {x}")));
                }
                Some(_) => {}
            }
            v.filter(|x| x.is_finite())
        };
        match self.distribution {
            Distribution::Uniform | Distribution::Triangular => {
                let low = need(&mut out, "low", self.low);
                let high = need(&mut out, "high", self.high);
                let mode = if self.distribution == Distribution::Triangular {
                    need(&mut out, "mode", self.mode)
                } else {
                    None
                };
                if let (Some(l), Some(h)) = (low, high) {
                    if l > h {
                        out.push(("low", format!("low {l} is above high {h}")));
                    } else if let Some(m) = mode.filter(|m| *m < l || *m > h) {
                        out.push(("mode", format!("mode {m} is outside low {l} to high {h}")));
                    }
                }
            }
            Distribution::Normal => {
                need(&mut out, "mean", self.mean);
                if let Some(sd) = need(&mut out, "sd", self.sd).filter(|s| *s < 0.0) {
                    out.push((
                        "sd",
                        format!("expected a standard deviation >= 0, found {sd}"),
                    ));
                }
            }
            Distribution::Lognormal => {
                if let Some(m) = need(&mut out, "median", self.median).filter(|m| *m <= 0.0) {
                    out.push(("median", format!("expected a median > 0, found {m}")));
                }
                if let Some(s) = need(&mut out, "sigma", self.sigma).filter(|s| *s < 0.0) {
                    out.push(("sigma", format!("expected a sigma >= 0, found {s}")));
                }
            }
            Distribution::Choice => {
                if self.values.is_empty() {
                    out.push(("values", "a choice needs at least one value".into()));
                }
                if self.values.iter().any(|v| !v.is_finite()) {
                    out.push(("values", "expected finite numbers".into()));
                }
                if !self.weights.is_empty() && self.weights.len() != self.values.len() {
                    out.push((
                        "weights",
                        format!(
                            "{} weights for {} values",
                            self.weights.len(),
                            self.values.len()
                        ),
                    ));
                } else if self.weights.iter().any(|w| !(w.is_finite() && *w >= 0.0))
                    || (!self.weights.is_empty() && self.weights.iter().sum::<f64>() <= 0.0)
                {
                    out.push(("weights", "expected weights >= 0, not all zero".into()));
                }
            }
        }
        out
    }

    fn name(&self) -> &'static str {
        match self.distribution {
            Distribution::Uniform => "uniform",
            Distribution::Triangular => "triangular",
            Distribution::Normal => "normal",
            Distribution::Lognormal => "lognormal",
            Distribution::Choice => "choice",
        }
    }
}

/// One step of a path: a key, and the element it selects where the key is a list.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Step {
    key: String,
    select: Option<Select>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Select {
    Index(usize),
    Name(String),
    Every,
}

/// Split a path into steps: `site[julich].pue` → `site` selecting `julich`, then `pue`.
fn steps(path: &str) -> Result<Vec<Step>, String> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, select) = match part.find('[') {
            None => (part, None),
            Some(i) => {
                let Some(inner) = part[i + 1..].strip_suffix(']') else {
                    return Err(format!(
                        "`{part}`: expected `key[index]`, `key[name]` or `key[*]`"
                    ));
                };
                let sel = match inner {
                    "*" => Select::Every,
                    s if s.parse::<usize>().is_ok() => Select::Index(s.parse().expect("checked")),
                    "" => return Err(format!("`{part}`: nothing between the brackets")),
                    s => Select::Name(s.to_string()),
                };
                (&part[..i], Some(sel))
            }
        };
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(format!(
                "`{part}`: expected a key of letters, digits and `_`"
            ));
        }
        out.push(Step {
            key: key.to_string(),
            select,
        });
    }
    Ok(out)
}

/// A scenario and a catalogue as JSON, for paths to address.
#[derive(Debug, Clone)]
pub struct Doc {
    scenario: Value,
    accelerators: Value,
    countries: Value,
}

impl Doc {
    /// `s` and `catalog` as paths address them.
    #[must_use]
    pub fn of(s: &Scenario, catalog: &Catalog) -> Doc {
        Doc {
            scenario: serde_json::to_value(s).expect("a scenario is JSON"),
            accelerators: serde_json::to_value(&catalog.accelerators).expect("JSON"),
            countries: serde_json::to_value(&catalog.countries).expect("JSON"),
        }
    }

    /// Set every key `path` names to `draw` (or multiply it by `draw`, under `scale`).
    ///
    /// # Errors
    /// The path does not read, names nothing, or its key is not a number here.
    pub fn apply(&mut self, path: &str, draw: f64, apply: Apply) -> Result<(), String> {
        // An accelerator's price is a low and a high estimate; `price_usd` sets both.
        if let Some(head) = path
            .strip_suffix(".price_usd")
            .filter(|h| h.starts_with("catalog.accelerator["))
        {
            for key in ["price_usd_low", "price_usd_high"] {
                self.apply(&format!("{head}.{key}"), draw, apply)?;
            }
            return Ok(());
        }
        let steps = steps(path)?;
        let (root, steps, what): (&mut Value, &[Step], &str) = match steps.first() {
            Some(s) if s.key == "catalog" && s.select.is_none() => match steps.get(1) {
                Some(t) if t.key == "accelerator" => {
                    (&mut self.accelerators, &steps[1..], "accelerator")
                }
                Some(t) if t.key == "country" => (&mut self.countries, &steps[1..], "country"),
                _ => {
                    return Err(
                        "the catalogue's keys are `catalog.accelerator[ID].KEY` and \
                         `catalog.country[CODE].KEY`"
                            .into(),
                    );
                }
            },
            _ => (&mut self.scenario, &steps[..], "scenario"),
        };
        let catalog = what != "scenario";
        let mut targets: Vec<&mut Value> = vec![root];
        for (n, step) in steps.iter().enumerate() {
            let last = n + 1 == steps.len();
            let mut next = Vec::new();
            for t in targets {
                // A catalogue path's first step is the list itself.
                let v = if catalog && n == 0 {
                    t
                } else {
                    let Value::Object(map) = t else {
                        return Err(format!("`{}` is not a table", step.key));
                    };
                    if last && step.select.is_none() {
                        next.push(map.entry(step.key.clone()).or_insert(Value::Null));
                        continue;
                    }
                    let known: Vec<&str> = map.keys().map(String::as_str).collect();
                    let hint = did_you_mean(&step.key, &known);
                    match map.get_mut(&step.key) {
                        Some(v) => v,
                        None => return Err(format!("no `{}` here{hint}", step.key)),
                    }
                };
                match &step.select {
                    None => next.push(v),
                    Some(sel) => {
                        let Value::Array(items) = v else {
                            return Err(format!("`{}` is not a list", step.key));
                        };
                        let len = items.len();
                        match sel {
                            Select::Every => next.extend(items.iter_mut()),
                            Select::Index(i) => match items.get_mut(*i) {
                                Some(x) => next.push(x),
                                None => {
                                    return Err(format!(
                                        "`{}[{i}]`: there are {len} (from 0)",
                                        step.key
                                    ));
                                }
                            },
                            Select::Name(name) => {
                                let names: Vec<String> = items.iter().map(label).collect();
                                let hits: Vec<usize> = names
                                    .iter()
                                    .enumerate()
                                    .filter(|(_, l)| l.eq_ignore_ascii_case(name))
                                    .map(|(i, _)| i)
                                    .collect();
                                match hits.as_slice() {
                                    [i] => next.push(&mut items[*i]),
                                    [] => {
                                        let known: Vec<&str> =
                                            names.iter().map(String::as_str).collect();
                                        return Err(format!(
                                            "no {} named `{name}`{}",
                                            step.key,
                                            did_you_mean(name, &known)
                                        ));
                                    }
                                    _ => {
                                        return Err(format!(
                                            "{} {} are named `{name}`: give an index",
                                            hits.len(),
                                            step.key
                                        ));
                                    }
                                }
                            }
                        }
                    }
                }
            }
            targets = next;
        }
        // Under `[*]`, scaling touches the elements that state the key (a tenant's
        // `demand_h100_hours_per_year`, not a service's, which has none).
        let every = steps.iter().any(|s| s.select == Some(Select::Every));
        if every && apply == Apply::Scale {
            targets.retain(|t| !t.is_null());
        }
        if targets.is_empty() {
            return Err(if every {
                "names no key: no element states it".into()
            } else {
                "names no key (an empty list)".into()
            });
        }
        for t in targets {
            let value = match (apply, &*t) {
                (Apply::Set, Value::Null | Value::Number(_)) => draw,
                (Apply::Scale, Value::Number(n)) => n.as_f64().unwrap_or(0.0) * draw,
                (Apply::Scale, Value::Null) => {
                    return Err(
                        "`apply = \"scale\"` needs a value to scale: the key is not given here \
                         (set it in the file, or use `set`)"
                            .into(),
                    );
                }
                (_, other) => return Err(format!("not a number here: {other}")),
            };
            let integer = t.as_u64().is_some() || t.as_i64().is_some();
            *t = if integer {
                Value::from(value.round() as i64)
            } else {
                serde_json::Number::from_f64(value)
                    .map(Value::Number)
                    .ok_or_else(|| format!("the draw {value} is not a finite number"))?
            };
        }
        Ok(())
    }

    /// The scenario and catalogue with the values applied.
    ///
    /// # Errors
    /// A key set that the scenario does not have (with the keys it has), or a value of the
    /// wrong type.
    pub fn read(&self, base: &Catalog) -> Result<(Scenario, Catalog), String> {
        let s: Scenario = serde_json::from_value(self.scenario.clone()).map_err(|e| reword(&e))?;
        let mut c = base.clone();
        c.accelerators =
            serde_json::from_value(self.accelerators.clone()).map_err(|e| reword(&e))?;
        c.countries = serde_json::from_value(self.countries.clone()).map_err(|e| reword(&e))?;
        Ok((s, c))
    }
}

/// " (did you mean `x`?)" where a candidate is close to `word`, else nothing.
fn did_you_mean(word: &str, candidates: &[&str]) -> String {
    problem::did_you_mean(word, candidates.iter().copied())
        .map(|m| format!(" (did you mean `{m}`?)"))
        .unwrap_or_default()
}

/// A list element's name: its `id` (accelerators), `code` (countries) or `name`.
fn label(v: &Value) -> String {
    ["id", "code", "name"]
        .iter()
        .find_map(|k| v.get(*k).and_then(Value::as_str))
        .unwrap_or("")
        .to_string()
}

/// A serde error as a sentence: "unknown field `x`, expected one of …" as it is, with a
/// suggestion.
fn reword(e: &serde_json::Error) -> String {
    let m = e.to_string();
    if let (Some(a), Some(b)) = (m.find("unknown field `"), m.find("`, expected")) {
        let key = &m[a + "unknown field `".len()..b];
        // "`, expected one of `a`, `b`": the names are every other piece from the third.
        let known: Vec<&str> = m[b..].split('`').skip(2).step_by(2).collect();
        return format!("no key `{key}` there{}", did_you_mean(key, &known));
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dist(d: Distribution) -> Uncertain {
        Uncertain {
            distribution: d,
            low: None,
            high: None,
            ..Uncertain::uniform("x", 0.0, 0.0)
        }
    }

    #[test]
    fn the_normal_quantile_matches_the_table() {
        for (p, z) in [
            (0.5, 0.0),
            (0.975, 1.959_964),
            (0.05, -1.644_854),
            (0.001, -3.090_232),
        ] {
            assert!(
                (normal_quantile(p) - z).abs() < 1e-5,
                "{p}: {}",
                normal_quantile(p)
            );
        }
    }

    #[test]
    fn quantiles_of_each_distribution() {
        let mut t = dist(Distribution::Triangular);
        (t.low, t.mode, t.high) = (Some(0.0), Some(1.0), Some(4.0));
        // F(c) = (c - a) / (b - a) = 0.25: the mode is the 25% quantile.
        assert!((t.quantile(0.25) - 1.0).abs() < 1e-12);
        assert!((t.quantile(1.0) - 4.0).abs() < 1e-12 && t.quantile(0.0).abs() < 1e-12);
        let mut l = dist(Distribution::Lognormal);
        (l.median, l.sigma) = (Some(100.0), Some(0.5));
        assert!((l.median_value() - 100.0).abs() < 1e-9);
        let mut c = dist(Distribution::Choice);
        (c.values, c.weights) = (vec![1.0, 2.0, 3.0], vec![1.0, 0.0, 3.0]);
        assert_eq!((c.quantile(0.2), c.quantile(0.3)), (1.0, 3.0));
        assert!(c.problems().is_empty());
    }

    #[test]
    fn bad_parameters_are_named() {
        let mut u = dist(Distribution::Uniform);
        (u.low, u.high) = (Some(2.0), Some(1.0));
        assert_eq!(
            u.problems(),
            vec![("low", "low 2 is above high 1".to_string())]
        );
        let mut n = dist(Distribution::Normal);
        (n.mean, n.sd) = (Some(1.0), Some(-1.0));
        assert_eq!(n.problems()[0].0, "sd");
        let t = dist(Distribution::Triangular);
        let keys: Vec<&str> = t.problems().iter().map(|p| p.0).collect();
        assert_eq!(keys, ["low", "high", "mode"]);
    }

    #[test]
    fn paths_read_as_the_file_does() {
        let s = super::super::builtin("eu-investai").unwrap().scenario();
        let catalog = Catalog::builtin();
        let mut d = Doc::of(&s, catalog);
        d.apply("build[0].count", 1000.4, Apply::Set).unwrap();
        d.apply(
            "catalog.country[*].electricity_eur_per_kwh",
            2.0,
            Apply::Scale,
        )
        .unwrap();
        d.apply("catalog.accelerator[b200].tdp_w", 1.0, Apply::Set)
            .unwrap();
        d.apply("catalog.accelerator[B200].price_usd", 45_000.0, Apply::Set)
            .unwrap();
        d.apply("economics.rent_change_per_year", -0.3, Apply::Set)
            .unwrap();
        let (s2, c2) = d.read(catalog).unwrap();
        assert_eq!(s2.builds[0].count, 1000);
        let b200 = c2.accelerators.iter().find(|a| a.id == "B200").unwrap();
        assert_eq!(
            (b200.price_usd_low, b200.price_usd_high),
            (Some(45_000.0), Some(45_000.0))
        );
        assert_eq!(s2.economics.rent_change_per_year, Some(-0.3));
        let de = |c: &Catalog| {
            c.countries
                .iter()
                .find(|x| x.code == "DE")
                .unwrap()
                .electricity_eur_per_kwh
        };
        assert!((de(&c2) - 2.0 * de(catalog)).abs() < 1e-12);
        let site = &s.sites[0].name;
        d.apply(&format!("site[{site}].pue"), 1.2, Apply::Set)
            .unwrap();
        // What does not read, with what would.
        let err = |p: &str| Doc::of(&s, catalog).apply(p, 1.0, Apply::Set).unwrap_err();
        assert!(
            err("biuld[0].count").contains("did you mean `build`"),
            "{}",
            err("biuld[0].count")
        );
        assert!(
            err("build[99].count").contains("there are"),
            "{}",
            err("build[99].count")
        );
        assert!(err("site[nowhere].pue").starts_with("no site named `nowhere`"));
        assert!(err("catalog.rent[0].x").contains("catalog.accelerator[ID].KEY"));
        assert!(err("name").starts_with("not a number here"));
        let mut d = Doc::of(&s, catalog);
        d.apply("economics.rent_chnage_per_year", 1.0, Apply::Set)
            .unwrap();
        let e = d.read(catalog).unwrap_err();
        assert!(e.contains("did you mean `rent_change_per_year`"), "{e}");
    }
}
