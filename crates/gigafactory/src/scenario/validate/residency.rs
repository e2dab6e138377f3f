//! Checks of a tenant's placement and data-residency rules: every country a catalogue
//! country (not the EU27 aggregate: `region = "eu"` says that), every site a `[[site]]`
//! of the plan, each named once.

use super::*;

pub(super) fn residency(s: &Scenario, catalog: &Catalog, v: &mut Checks) {
    let codes = || {
        catalog
            .countries
            .iter()
            .filter(|c| c.bloc != "aggregate")
            .map(|c| c.code.as_str())
    };
    // Where the optimiser draws candidate sites from the catalogue, their ids (EuroHPC
    // sites) or country codes name sites too.
    let candidates = s.optimize.as_ref().map(|o| o.candidates);
    let mut names: Vec<&str> = s.sites.iter().map(|x| x.name.as_str()).collect();
    match candidates {
        Some(super::super::Candidates::EurohpcSites) => {
            names.extend(catalog.sites.iter().map(|x| x.id.as_str()));
        }
        Some(super::super::Candidates::Countries) => names.extend(codes()),
        _ => {}
    }
    for (i, t) in s.tenants.iter().enumerate() {
        let p = FieldPath::root().key("tenant").index(i);
        for (field, list) in [
            ("allowed_countries", &t.allowed_countries),
            ("allowed_sites", &t.allowed_sites),
        ] {
            if list.as_ref().is_some_and(Vec::is_empty) {
                v.push(
                    p.key(field),
                    "an empty list admits no site: leave the field out to admit any",
                );
            }
        }
        let countries = t.allowed_countries.as_deref().unwrap_or_default();
        for (j, code) in countries.iter().enumerate() {
            let at = p.key("allowed_countries").index(j);
            match catalog.country(code) {
                Some(c) if c.bloc == "aggregate" => v.push(
                    at,
                    format!(
                        "\"{code}\" is an aggregate, not a country: give `region = \"eu\"` for \
                         the member states"
                    ),
                ),
                Some(_) => {}
                None => {
                    let hint = did_you_mean(code, codes())
                        .map(|m| format!(" (did you mean \"{m}\"?)"))
                        .unwrap_or_default();
                    v.push(
                        at,
                        format!(
                            "unknown country \"{code}\"{hint}; expected an ISO code from \
                             `gigafactory catalog countries`"
                        ),
                    );
                }
            }
            if countries[..j].iter().any(|o| o.eq_ignore_ascii_case(code)) {
                v.push(
                    p.key("allowed_countries").index(j),
                    format!("\"{code}\" is listed twice"),
                );
            }
        }
        let sites = t.allowed_sites.as_deref().unwrap_or_default();
        for (j, name) in sites.iter().enumerate() {
            let at = p.key("allowed_sites").index(j);
            if !names.contains(&name.as_str()) {
                let hint = did_you_mean(name, names.iter().copied())
                    .map(|m| format!(" (did you mean \"{m}\"?)"))
                    .unwrap_or_default();
                v.push(at, format!("no [[site]] is named \"{name}\"{hint}"));
            } else if sites[..j].contains(name) {
                v.push(at, format!("\"{name}\" is listed twice"));
            }
        }
    }
}
