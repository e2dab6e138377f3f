use super::types::Scenario;

/// A scenario that ships with the program.
#[derive(Debug, Clone, Copy)]
pub struct BuiltinScenario {
    /// Name used on the command line (`gigafactory init eu-investai`).
    pub id: &'static str,
    /// One line on what it is.
    pub summary: &'static str,
    /// The commented TOML text, as `gigafactory init` writes it.
    pub text: &'static str,
}

impl BuiltinScenario {
    /// The scenario itself.
    pub fn scenario(&self) -> Scenario {
        // Built-in texts are tested to load and validate; failing here is a build defect.
        super::load(self.text)
            .unwrap_or_else(|p| panic!("built-in scenario {} is invalid: {p:?}", self.id))
            .scenario
    }
}

/// The built-in scenarios; the first is the default of `gigafactory run`.
pub const BUILTIN: [BuiltinScenario; 3] = [
    BuiltinScenario {
        id: "eu-investai",
        summary: "four gigafactories in four countries, as large as EUR 20 billion buys (297,216 B200), public tenants",
        text: include_str!("../../scenarios/eu-investai.toml"),
    },
    BuiltinScenario {
        id: "eu-ai-factories",
        summary: "the same EUR 20 billion spread over the 19 EuroHPC AI-Factory sites",
        text: include_str!("../../scenarios/eu-ai-factories.toml"),
    },
    BuiltinScenario {
        id: "frontier-lab",
        summary: "one 100,000-accelerator site for one frontier lab, refreshed after 4 years",
        text: include_str!("../../scenarios/frontier-lab.toml"),
    },
];

/// The built-in scenario called `id`.
pub fn builtin(id: &str) -> Option<&'static BuiltinScenario> {
    BUILTIN.iter().find(|b| b.id == id)
}
