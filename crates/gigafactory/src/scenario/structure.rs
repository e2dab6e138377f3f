//! The structural check: the parsed TOML tree against the scenario's JSON Schema.
//!
//! Serde stops at the first error and does not say where a missing field belongs; this
//! walk reports every unknown key (with a suggestion), missing field, wrong type and bad
//! date at once, each at its place in the file. It is driven by the same schema that
//! `gigafactory schema` prints, so the two cannot drift apart. What passes becomes a
//! JSON value that serde then maps onto [`super::Scenario`] without further surprises.

use std::collections::HashMap;
use std::ops::Range;

use serde_json::{Map, Number, Value};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::problem::{FieldPath, Problem, did_you_mean};
use crate::units::Date;

/// Byte ranges of every key and value in a scenario text, by field path.
#[derive(Debug, Clone, Default)]
pub struct SpanIndex {
    spans: HashMap<FieldPath, (Option<Range<usize>>, Range<usize>)>,
}

impl SpanIndex {
    /// Give each problem its place: the key or value at its path, or, where that is absent
    /// (a missing field), the nearest enclosing table that is present.
    pub fn locate(&self, problems: Vec<Problem>) -> Vec<Problem> {
        let mut located: Vec<Problem> = problems
            .into_iter()
            .map(|p| {
                if p.span.is_some() {
                    return p;
                }
                let mut path = Some(p.path.clone());
                while let Some(q) = path {
                    if let Some((key, value)) = self.spans.get(&q) {
                        let span = match (p.target, key) {
                            (super::problem::Target::Key, Some(k)) => k.clone(),
                            _ => value.clone(),
                        };
                        return p.at(span);
                    }
                    path = q.parent();
                }
                p
            })
            .collect();
        // In the order they stand in the file (stable: ties keep validation order).
        located.sort_by_key(|p| p.span.as_ref().map_or(usize::MAX, |s| s.start));
        located
    }
}

/// Walk `doc` against `schema`; return the document as JSON, the span index, and every
/// structural problem.
pub(crate) fn check(
    text: &str,
    doc: &Spanned<DeTable<'_>>,
    schema: &Value,
) -> (Value, SpanIndex, Vec<Problem>) {
    let mut w = Walker {
        text,
        defs: schema.get("$defs"),
        index: SpanIndex::default(),
        problems: Vec::new(),
    };
    let root = FieldPath::root();
    // The root table's span is the whole text; a problem there points at its first line.
    w.index.spans.insert(root.clone(), (None, 0..0));
    let json = w.table(&root, doc.get_ref(), 0..0, schema);
    w.problems
        .sort_by_key(|p| p.span.as_ref().map_or(0, |s| s.start));
    (json.unwrap_or(Value::Null), w.index, w.problems)
}

struct Walker<'a> {
    text: &'a str,
    defs: Option<&'a Value>,
    index: SpanIndex,
    problems: Vec<Problem>,
}

/// What a schema node asks for, once references and optional wrappers are resolved.
enum Want<'a> {
    Object(&'a Value),
    Array(&'a Value),
    Str { date: bool },
    Integer { min: Option<f64>, max: Option<f64> },
    Number { min: Option<f64>, max: Option<f64> },
    Bool,
    OneOf(Vec<&'a str>),
    Any,
}

impl<'a> Walker<'a> {
    fn resolve(&self, mut s: &'a Value) -> &'a Value {
        while let Some(r) = s.get("$ref").and_then(Value::as_str) {
            let name = r.trim_start_matches("#/$defs/");
            match self.defs.and_then(|d| d.get(name)) {
                Some(t) => s = t,
                None => break,
            }
        }
        s
    }

    fn want(&self, s: &'a Value) -> Want<'a> {
        let s = self.resolve(s);
        if let Some(alts) = s
            .get("anyOf")
            .or_else(|| s.get("oneOf"))
            .and_then(Value::as_array)
        {
            let consts: Vec<&str> = alts
                .iter()
                .filter_map(|a| a.get("const")?.as_str())
                .collect();
            if !consts.is_empty() && consts.len() == alts.len() {
                return Want::OneOf(consts);
            }
            let non_null: Vec<&Value> = alts
                .iter()
                .filter(|a| a.get("type").and_then(Value::as_str) != Some("null"))
                .collect();
            return match non_null.as_slice() {
                [one] => self.want(one),
                _ => Want::Any,
            };
        }
        if let Some(e) = s.get("enum").and_then(Value::as_array) {
            return Want::OneOf(e.iter().filter_map(Value::as_str).collect());
        }
        let ty = match s.get("type") {
            Some(Value::String(t)) => t.as_str(),
            Some(Value::Array(ts)) => ts
                .iter()
                .filter_map(Value::as_str)
                .find(|t| *t != "null")
                .unwrap_or("null"),
            _ => return Want::Any,
        };
        let num = |k: &str| s.get(k).and_then(Value::as_f64);
        let format_max = match s.get("format").and_then(Value::as_str) {
            Some("uint32") => Some(f64::from(u32::MAX)),
            Some("uint8") => Some(255.0),
            _ => None,
        };
        match ty {
            "object" => Want::Object(s),
            "array" => Want::Array(s.get("items").unwrap_or(&Value::Null)),
            "string" => Want::Str {
                date: s.get("format").and_then(Value::as_str) == Some("date"),
            },
            "integer" => Want::Integer {
                min: num("minimum"),
                max: num("maximum").or(format_max),
            },
            "number" => Want::Number {
                min: num("minimum"),
                max: num("maximum"),
            },
            "boolean" => Want::Bool,
            _ => Want::Any,
        }
    }

    fn found(&self, v: &DeValue<'_>, span: &Range<usize>) -> String {
        let lit = self.text.get(span.clone()).unwrap_or("").trim();
        match v {
            DeValue::String(_) => format!("the string {lit}"),
            DeValue::Integer(_) => format!("the integer {lit}"),
            DeValue::Float(_) => format!("the float {lit}"),
            DeValue::Boolean(b) => format!("the boolean {b}"),
            DeValue::Datetime(d) => format!("the date-time {d}"),
            DeValue::Array(a) if a.iter().all(|x| x.get_ref().is_table()) && !a.is_empty() => {
                "an array of tables".into()
            }
            DeValue::Array(_) => "an array".into(),
            DeValue::Table(_) => "a table".into(),
        }
    }

    fn mismatch(&mut self, path: &FieldPath, v: &Spanned<DeValue<'_>>, expected: &str) {
        let found = self.found(v.get_ref(), &v.span());
        self.problems.push(
            Problem::value(path.clone(), format!("expected {expected}, found {found}"))
                .at(v.span()),
        );
    }

    fn value(
        &mut self,
        path: &FieldPath,
        v: &Spanned<DeValue<'_>>,
        schema: &'a Value,
    ) -> Option<Value> {
        match (self.want(schema), v.get_ref()) {
            (Want::Any, _) => None,
            (Want::Object(s), DeValue::Table(t)) => self.table(path, t, v.span(), s),
            (Want::Object(_), _) => {
                self.mismatch(path, v, "a table");
                None
            }
            (Want::Array(items), DeValue::Array(a)) => {
                let mut out = Vec::with_capacity(a.len());
                for (i, item) in a.iter().enumerate() {
                    let p = path.index(i);
                    self.index.spans.insert(p.clone(), (None, item.span()));
                    out.push(self.value(&p, item, items).unwrap_or(Value::Null));
                }
                Some(Value::Array(out))
            }
            (Want::Array(items), DeValue::Table(_))
                if matches!(self.want(items), Want::Object(_)) =>
            {
                let key = match path.0.last() {
                    Some(super::problem::Seg::Key(k)) => k.clone(),
                    _ => String::new(),
                };
                self.mismatch(
                    path,
                    v,
                    &format!("an array of tables (write [[{key}]], not [{key}])"),
                );
                None
            }
            (Want::Array(_), _) => {
                self.mismatch(path, v, "an array");
                None
            }
            (Want::Str { date }, DeValue::String(s)) => {
                if date {
                    self.date(path, v, s)
                } else {
                    Some(Value::String(s.to_string()))
                }
            }
            (Want::Str { date: true }, DeValue::Datetime(d)) => {
                let s = d.to_string();
                self.date(path, v, &s)
            }
            (Want::Str { date: true }, _) => {
                self.mismatch(path, v, "a date written YYYY-MM-DD");
                None
            }
            (Want::Str { .. }, _) => {
                self.mismatch(path, v, "a string");
                None
            }
            (Want::OneOf(options), DeValue::String(s)) => self.one_of(path, v, s, &options),
            (Want::OneOf(options), _) => {
                self.mismatch(path, v, &format!("one of {}", quoted_list(&options)));
                None
            }
            (Want::Integer { min, max }, DeValue::Integer(i)) => {
                let n = i64::from_str_radix(i.as_str(), i.radix()).ok();
                self.integer(path, v, n, min, max)
            }
            (Want::Integer { .. }, _) => {
                self.mismatch(path, v, "an integer");
                None
            }
            (Want::Number { min, max }, DeValue::Integer(_) | DeValue::Float(_)) => {
                self.number(path, v, min, max)
            }
            (Want::Number { .. }, _) => {
                self.mismatch(path, v, "a number");
                None
            }
            (Want::Bool, DeValue::Boolean(b)) => Some(Value::Bool(*b)),
            (Want::Bool, _) => {
                self.mismatch(path, v, "true or false");
                None
            }
        }
    }

    /// A string that must be one of `options`.
    fn one_of(
        &mut self,
        path: &FieldPath,
        v: &Spanned<DeValue<'_>>,
        s: &str,
        options: &[&str],
    ) -> Option<Value> {
        if options.contains(&s) {
            return Some(Value::String(s.to_string()));
        }
        let list = quoted_list(options);
        let hint = did_you_mean(s, options.iter().copied())
            .map(|m| format!(" (did you mean \"{m}\"?)"))
            .unwrap_or_default();
        let found = self.found(v.get_ref(), &v.span());
        self.problems.push(
            Problem::value(
                path.clone(),
                format!("expected one of {list}, found {found}{hint}"),
            )
            .at(v.span()),
        );
        None
    }

    /// A whole number `n` (`None` where it does not fit an i64) within `min` and `max`.
    fn integer(
        &mut self,
        path: &FieldPath,
        v: &Spanned<DeValue<'_>>,
        n: Option<i64>,
        min: Option<f64>,
        max: Option<f64>,
    ) -> Option<Value> {
        let in_range = n.is_some_and(|n| {
            min.is_none_or(|m| n as f64 >= m) && max.is_none_or(|m| n as f64 <= m)
        });
        match n {
            Some(n) if in_range => Some(Value::Number(n.into())),
            _ => {
                // The type's own range (a u32's 0 to 4294967295) says little: below
                // its minimum, say what the least is; above, what the most is.
                let range = match (min, max, n) {
                    (Some(a), _, Some(n)) if (n as f64) < a => {
                        format!("a whole number of {a} or more")
                    }
                    (_, Some(b), _) => format!("a whole number of at most {b}"),
                    (Some(a), None, _) => format!("a whole number of {a} or more"),
                    _ => "an integer".to_string(),
                };
                self.mismatch(path, v, &range);
                None
            }
        }
    }

    /// A finite number within `min` and `max`.
    fn number(
        &mut self,
        path: &FieldPath,
        v: &Spanned<DeValue<'_>>,
        min: Option<f64>,
        max: Option<f64>,
    ) -> Option<Value> {
        let raw = match v.get_ref() {
            DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
                .ok()
                .map(|n| n as f64),
            DeValue::Float(f) => f.as_str().parse::<f64>().ok(),
            _ => None,
        };
        match raw {
            Some(x)
                if x.is_finite() && min.is_none_or(|m| x >= m) && max.is_none_or(|m| x <= m) =>
            {
                Number::from_f64(x).map(Value::Number)
            }
            _ => {
                self.mismatch(path, v, "a finite number");
                None
            }
        }
    }

    fn date(&mut self, path: &FieldPath, v: &Spanned<DeValue<'_>>, s: &str) -> Option<Value> {
        match s.parse::<Date>() {
            Ok(d) => Some(Value::String(d.to_string())),
            Err(e) => {
                let found = self.found(v.get_ref(), &v.span());
                self.problems
                    .push(Problem::value(path.clone(), format!("{e}, found {found}")).at(v.span()));
                None
            }
        }
    }

    fn table(
        &mut self,
        path: &FieldPath,
        t: &DeTable<'_>,
        span: Range<usize>,
        schema: &'a Value,
    ) -> Option<Value> {
        let props = schema.get("properties").and_then(Value::as_object);
        let closed = schema.get("additionalProperties") == Some(&Value::Bool(false));
        let mut out = Map::new();
        // Required fields that an unknown key was probably meant to be: reported once, as
        // the typo, not again as missing.
        let mut suggested: Vec<&str> = Vec::new();
        for (k, v) in t.iter() {
            let key: &str = k.get_ref();
            let p = path.key(key);
            self.index
                .spans
                .insert(p.clone(), (Some(k.span()), v.span()));
            match props.and_then(|m| m.get(key)) {
                Some(s) => {
                    if let Some(j) = self.value(&p, v, s) {
                        out.insert(key.to_string(), j);
                    }
                }
                None if closed => {
                    let known: Vec<&str> = props
                        .map(|m| m.keys().map(String::as_str).collect())
                        .unwrap_or_default();
                    let msg = match did_you_mean(key, known.iter().copied()) {
                        Some(m) => {
                            suggested.push(m);
                            format!("unknown field `{key}`; did you mean `{m}`?")
                        }
                        None => format!(
                            "unknown field `{key}`; expected one of: {}",
                            known.join(", ")
                        ),
                    };
                    self.problems.push(Problem::key(p, msg).at(k.span()));
                }
                None => {}
            }
        }
        let required = schema.get("required").and_then(Value::as_array);
        for r in required.into_iter().flatten().filter_map(Value::as_str) {
            if !t.iter().any(|(k, _)| k.get_ref() == r) && !suggested.contains(&r) {
                let what = match props.and_then(|m| m.get(r)).map(|s| self.want(s)) {
                    Some(Want::Array(items)) if matches!(self.want(items), Want::Object(_)) => {
                        format!("at least one [[{r}]] table is required")
                    }
                    _ => "missing required field".to_string(),
                };
                // A missing field is shown at the start of the table it belongs in.
                self.problems
                    .push(Problem::value(path.key(r), what).at(span.start..span.start));
            }
        }
        Some(Value::Object(out))
    }
}

fn quoted_list(options: &[&str]) -> String {
    options
        .iter()
        .map(|o| format!("\"{o}\""))
        .collect::<Vec<_>>()
        .join(", ")
}
