//! `--inject-log FILE`: one JSON object per line per firing, in firing order, with exactly
//! the keys scripts read (issue 14): `kind`, `trigger`, `cpu`, `insn`, `time_ns`, `pc`,
//! `el`, `taken`. Addresses and syndromes are `"0x..."` strings.

use serde_json::{json, Value};

/// What became of a firing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Not taken yet (at the end of a run: still masked).
    Pending,
    /// Consumed by an ESB into DISR_EL1.
    Deferred,
    /// The exception was taken.
    Taken {
        /// Target EL.
        el: u8,
        /// Offset of the vector entry in the table (0x180: SError, current EL, SP_ELx).
        vector_offset: u64,
        /// ESR_ELx.
        esr: u64,
        /// FAR_ELx when the exception wrote it (never for an SError).
        far: Option<u64>,
        /// ELR_ELx.
        elr: u64,
    },
}

/// The exception that settles a firing's outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Awaits {
    /// The physical SError being taken (or deferred by ESB).
    SError,
    /// The next synchronous exception (the abort).
    Sync,
    /// The next IRQ (a RAS error signalled by interrupt).
    Irq,
}

/// One firing of an injection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Firing {
    /// What settles it (`None`: nothing is signalled; it stays "pending").
    pub awaits: Option<Awaits>,
    /// `serror`, `sea` or `ras`.
    pub kind: &'static str,
    /// The trigger as given.
    pub trigger: String,
    /// The CPU it fired on.
    pub cpu: usize,
    /// That CPU's retired instructions when it fired.
    pub insn: u64,
    /// Its physical count (simulated ns) when it fired.
    pub time_ns: u64,
    /// Where it was.
    pub pc: u64,
    /// At which EL.
    pub el: u8,
    /// What became of it.
    pub outcome: Outcome,
}

fn hex(v: u64) -> Value {
    Value::String(format!("{v:#x}"))
}

impl Firing {
    /// The log line's object.
    pub fn to_json(&self) -> Value {
        let taken = match self.outcome {
            Outcome::Pending => json!("pending"),
            Outcome::Deferred => json!("deferred"),
            Outcome::Taken {
                el,
                vector_offset,
                esr,
                far,
                elr,
            } => json!({
                "el": el,
                "vector_offset": hex(vector_offset),
                "esr": hex(esr),
                "far": far.map_or(Value::Null, hex),
                "elr": hex(elr),
            }),
        };
        json!({
            "kind": self.kind,
            "trigger": self.trigger,
            "cpu": self.cpu,
            "insn": self.insn,
            "time_ns": self.time_ns,
            "pc": hex(self.pc),
            "el": self.el,
            "taken": taken,
        })
    }
}

/// Write `firings` to `path`, one JSON object per line.
pub fn write(path: &std::path::Path, firings: &[Firing]) -> std::io::Result<()> {
    let mut out = String::new();
    for f in firings {
        out.push_str(&f.to_json().to_string());
        out.push('\n');
    }
    std::fs::write(path, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_lines_have_exactly_the_contract_keys() {
        let mut f = Firing {
            awaits: Some(Awaits::SError),
            kind: "serror",
            trigger: "insn=100".into(),
            cpu: 1,
            insn: 100,
            time_ns: 250,
            pc: 0x4008_0100,
            el: 2,
            outcome: Outcome::Pending,
        };
        let v = f.to_json();
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(|k| k.as_str()).collect();
        let mut want = [
            "kind", "trigger", "cpu", "insn", "time_ns", "pc", "el", "taken",
        ];
        want.sort();
        assert_eq!(keys, want);
        assert_eq!(v["pc"], "0x40080100");
        assert_eq!(v["taken"], "pending");
        f.outcome = Outcome::Taken {
            el: 2,
            vector_offset: 0x180,
            esr: 0xbe00_0011,
            far: None,
            elr: 0x4008_0104,
        };
        let v = f.to_json();
        assert_eq!(
            v["taken"],
            json!({"el": 2, "vector_offset": "0x180", "esr": "0xbe000011", "far": null, "elr": "0x40080104"})
        );
    }
}
