//! Checks of `[prices]`: each price a number from 0 (a free tier) to a bound no market
//! comes near, and a price for every class that a tenant of the scenario has.

use super::*;
use crate::scenario::TenantClass;

/// The highest price per GPU-hour taken, EUR: H100s rented for about $2–8 an hour
/// (catalogue `rent`, 2023–2026); a hundred times the dearest is a typo, not a price.
const MAX_EUR_PER_GPU_HOUR: f64 = 1000.0;

pub(super) fn prices(s: &Scenario, v: &mut Checks) {
    let Some(p) = &s.prices else {
        return;
    };
    let root = FieldPath::root().key("prices");
    for class in TenantClass::ALL {
        if let Some(x) = p.of(class) {
            v.range(
                root.key(class.as_str()),
                x,
                0.0,
                MAX_EUR_PER_GPU_HOUR,
                "a price per GPU-hour (0 for a free tier)",
                " EUR",
            );
        }
    }
    if s.workload.is_some() {
        v.push(
            root.clone(),
            "prices are per class of tenant, and a trace's users have no class: price the \
             [[tenant]] tables of a synthetic workload instead",
        );
    }
    for (j, class) in p.market_linked.iter().enumerate() {
        if p.of(*class).is_some() {
            v.push(
                root.key("market_linked").index(j),
                format!(
                    "`{c}` has a price and is market-linked: give `{c} = …` or list it in \
                     `market_linked`, not both",
                    c = class.as_str()
                ),
            );
        } else if p.market_linked[..j].contains(class) {
            v.push(
                root.key("market_linked").index(j),
                format!("`{}` is listed twice", class.as_str()),
            );
        }
    }
    for (i, t) in s.tenants.iter().enumerate() {
        if p.of(t.class).is_none() && !p.market(t.class) {
            v.push(
                root.clone(),
                format!(
                    "no price for class `{c}` (tenant[{i}], \"{n}\"): add `{c} = …` (EUR per \
                     GPU-hour; 0 for a free tier) or list it in `market_linked`",
                    c = t.class.as_str(),
                    n = t.name
                ),
            );
        }
    }
}
