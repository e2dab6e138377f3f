use serde::{Deserialize, Serialize};

/// A EuroHPC AI-Factory host site.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogSite {
    /// Short id (`"kajaani"`).
    pub id: String,
    /// Name of the site or hosting entity.
    pub name: String,
    /// ISO country code.
    pub country: String,
    /// City, empty where the source names none.
    pub city: String,
    /// The AI Factory system or project.
    pub system: String,
    /// Date the EuroHPC JU selected it.
    pub selected: String,
    /// Source key.
    pub source: String,
}
