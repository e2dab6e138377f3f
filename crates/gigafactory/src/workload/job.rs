use std::collections::HashMap;
use std::fmt;

/// How a job ended in the trace it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Outcome {
    /// Ran to the end.
    Completed,
    /// Stopped by its user (before or after starting).
    Cancelled,
    /// Failed: an error, a time-out or a node failure.
    Failed,
}

impl Outcome {
    /// The three outcomes, in the order reports list them.
    pub const ALL: [Outcome; 3] = [Outcome::Completed, Outcome::Cancelled, Outcome::Failed];

    /// Name in the native format.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Completed => "completed",
            Outcome::Cancelled => "cancelled",
            Outcome::Failed => "failed",
        }
    }

    /// Parse the native-format name.
    pub fn parse(s: &str) -> Option<Outcome> {
        match s {
            "completed" => Some(Outcome::Completed),
            "cancelled" => Some(Outcome::Cancelled),
            "failed" => Some(Outcome::Failed),
            _ => None,
        }
    }
}

/// The kind of work a job does, where the trace says (Acme's `type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JobKind {
    /// Model evaluation.
    Eval,
    /// Pre-training.
    Pretrain,
    /// Supervised fine-tuning.
    Sft,
    /// Multimodal LLM work.
    Mllm,
    /// Debugging sessions.
    Debug,
    /// Anything else.
    Other,
}

impl JobKind {
    /// Name in the native format.
    pub fn as_str(self) -> &'static str {
        match self {
            JobKind::Eval => "eval",
            JobKind::Pretrain => "pretrain",
            JobKind::Sft => "sft",
            JobKind::Mllm => "mllm",
            JobKind::Debug => "debug",
            JobKind::Other => "other",
        }
    }

    /// Parse a name, ignoring case (Acme writes `Pretrain`, `SFT`).
    pub fn parse(s: &str) -> Option<JobKind> {
        Some(match s.to_ascii_lowercase().as_str() {
            "eval" => JobKind::Eval,
            "pretrain" => JobKind::Pretrain,
            "sft" => JobKind::Sft,
            "mllm" => JobKind::Mllm,
            "debug" => JobKind::Debug,
            "other" => JobKind::Other,
            _ => return None,
        })
    }
}

/// A tenant, as an index into the stream's [`Tenants`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TenantId(pub u32);

/// Tenant names, interned: jobs carry a [`TenantId`], the stream keeps the names.
#[derive(Debug, Clone, Default)]
pub struct Tenants {
    names: Vec<String>,
    index: HashMap<String, TenantId>,
}

impl Tenants {
    /// The id of `name`, adding it if new.
    pub fn intern(&mut self, name: &str) -> TenantId {
        // Most workloads have a handful of tenants: comparing names beats hashing them.
        if self.names.len() <= 16 {
            if let Some(i) = self.names.iter().position(|n| n == name) {
                return TenantId(i as u32);
            }
        } else if let Some(id) = self.index.get(name) {
            return *id;
        }
        let id = TenantId(self.names.len() as u32);
        self.names.push(name.to_string());
        self.index.insert(name.to_string(), id);
        id
    }

    /// The name of `id`.
    pub fn name(&self, id: TenantId) -> &str {
        &self.names[id.0 as usize]
    }

    /// How many tenants.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// One job: a gang of GPUs that start and stop together.
///
/// `duration_s` is the run time on the reference accelerator (H100 SXM); a trace's
/// recorded run time is on the trace's own hardware, and a scenario says how to scale it.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    /// Numeric id: the trace's own where it is a number, else the record's ordinal.
    pub id: u64,
    /// Who submitted it.
    pub tenant: TenantId,
    /// Submission time, seconds: since the Unix epoch (UTC) for traces with calendar
    /// times, since the trace's own origin for traces with relative times.
    pub submit_s: i64,
    /// GPUs, possibly fractional (shared GPUs in Alibaba's traces).
    pub gpus: f64,
    /// Run time, seconds (0 for a job cancelled before it started).
    pub duration_s: u64,
    /// How it ended in the trace.
    pub outcome: Outcome,
    /// Kind of work, where the trace has it.
    pub kind: Option<JobKind>,
    /// Requested wall time, seconds, where the trace has it.
    pub wall_time_s: Option<u64>,
    /// Earlier attempts that were retried (Philly).
    pub retries: u32,
}

impl Job {
    /// GPU-seconds the job consumed: GPUs × run time.
    pub fn gpu_seconds(&self) -> f64 {
        self.gpus * self.duration_s as f64
    }
}

/// Where a read failed: file, line (1-based) and what was wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ReadError {
    /// File name as given.
    pub file: String,
    /// Line of the record, where known.
    pub line: Option<u64>,
    /// What was found against what was expected.
    pub message: String,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A message may quote what it found: a long (or binary) field is cut, and control
        // characters shown escaped, so that an error stays one readable line.
        const MAX: usize = 200;
        let mut message = String::new();
        let mut shown = 0;
        for c in self.message.chars() {
            if message.chars().count() >= MAX {
                break;
            }
            if c.is_control() {
                message.extend(c.escape_default());
            } else {
                message.push(c);
            }
            shown += 1;
        }
        let n = self.message.chars().count();
        if shown < n {
            message.push_str(&format!("… ({n} characters in all)"));
        }
        match self.line {
            Some(l) => write!(f, "{}:{l}: {message}", self.file),
            None => write!(f, "{}: {message}", self.file),
        }
    }
}
