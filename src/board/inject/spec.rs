//! `--inject KIND,TRIGGER[,key=value...]` (and `--inject-file`): what to inject, when,
//! and where. The syntax is a contract scripts depend on (issue 14); every malformed
//! spec is rejected with a message naming the offending part, before the guest runs.

use serde::Deserialize;

/// The ESR ISS of the default SError: DFSC 0b010001 (asynchronous SError), AET = UC.
pub const DEFAULT_SERROR_ISS: u32 = 0x11;
/// ERXSTATUS of a `ras` injection without `status=`: V, UE, UET = UC (uncontainable).
pub const DEFAULT_RAS_STATUS: u64 = cpu::ras::status::V | cpu::ras::status::UE;
/// ESR_ELx.ISS.IDS: the rest of the ISS is IMPLEMENTATION DEFINED.
const IDS: u32 = 1 << 24;
/// ESR_ELx ISS bits an SError reports (IDS and ISS\[23:0\]).
const ISS_MASK: u32 = 0x1ff_ffff;

/// What is injected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A physical SError with this ESR ISS (EC 0x2F).
    SError {
        /// ESR_ELx.ISS (IDS \[24\] and ISS \[23:0\]).
        iss: u32,
    },
    /// A synchronous External abort on the matching access itself.
    Sea,
    /// An error recorded in a RAS error record of the CPU, and signalled.
    Ras(cpu::ras::RasError),
}

impl Kind {
    /// The name used on the command line and in the log.
    pub fn name(&self) -> &'static str {
        match self {
            Kind::SError { .. } => "serror",
            Kind::Sea => "sea",
            Kind::Ras(_) => "ras",
        }
    }
}

/// Which accesses a `pa=` trigger matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Data reads.
    Read,
    /// Data writes.
    Write,
    /// Instruction fetches.
    Fetch,
    /// Translation table walks (descriptor reads).
    Walk,
    /// All of them.
    Any,
}

impl Access {
    /// Whether an access of `kind` matches.
    pub fn matches(&self, kind: cpu::WatchKind) -> bool {
        use cpu::WatchKind as W;
        matches!(
            (self, kind),
            (Access::Any, _)
                | (Access::Read, W::Read)
                | (Access::Write, W::Write)
                | (Access::Fetch, W::Fetch)
                | (Access::Walk, W::Walk)
        )
    }
}

/// When it fires.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trigger {
    /// When the target CPU has retired this many instructions.
    Insn(u64),
    /// At this simulated time (ns of the target CPU's physical counter).
    Time(u64),
    /// When a CPU is about to execute the instruction at this virtual address, at this
    /// EL if given.
    Pc {
        /// Virtual address.
        va: u64,
        /// Only at this EL.
        el: Option<u8>,
    },
    /// When an access touches `[pa, pa + len)`.
    Pa {
        /// Physical address.
        pa: u64,
        /// Bytes covered (at least 1).
        len: u64,
        /// Which accesses.
        access: Access,
    },
}

/// One injection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spec {
    /// What.
    pub kind: Kind,
    /// When.
    pub trigger: Trigger,
    /// The trigger as given (`insn=1000`), for the log.
    pub trigger_text: String,
    /// The CPU it applies to: for `insn=`/`time=` the one counted (default 0), for `pc=`
    /// and `pa=` the only one that matches (default any).
    pub cpu: Option<usize>,
    /// How many times it fires.
    pub count: u32,
}

/// `--inject-file`: a list of specs, each either the command-line text or a table of
/// the same keys (`kind = "serror"`, `insn = 1000`, `aet = "ce"`, ...).
#[derive(Deserialize)]
#[serde(untagged)]
enum FileEntry {
    Text(String),
    Table(toml::Table),
}

#[derive(Deserialize)]
struct TomlFile {
    inject: Vec<FileEntry>,
}

/// Parse one `--inject` value.
pub fn parse(text: &str) -> Result<Spec, String> {
    let mut parts = text.split(',').map(str::trim);
    let kind = parts.next().unwrap_or("");
    let mut pairs = Vec::new();
    for p in parts {
        let (k, v) = p
            .split_once('=')
            .ok_or_else(|| format!("'{p}' is not key=value"))?;
        pairs.push((k.trim().to_string(), v.trim().to_string()));
    }
    build(kind, &pairs)
}

/// Parse an `--inject-file`: TOML (`inject = [...]`) or JSON (a list), by content.
pub fn parse_file(path: &std::path::Path) -> Result<Vec<Spec>, String> {
    let name = path.display();
    let text = std::fs::read_to_string(path).map_err(|e| format!("--inject-file {name}: {e}"))?;
    let entries: Vec<FileEntry> = if text.trim_start().starts_with('[') {
        serde_json::from_str::<Vec<serde_json::Value>>(&text)
            .map_err(|e| format!("--inject-file {name}: not a JSON list: {e}"))?
            .into_iter()
            .map(json_entry)
            .collect::<Result<_, _>>()
            .map_err(|e| format!("--inject-file {name}: {e}"))?
    } else {
        toml::from_str::<TomlFile>(&text)
            .map_err(|e| format!("--inject-file {name}: {e}"))?
            .inject
    };
    entries
        .into_iter()
        .enumerate()
        .map(|(i, e)| {
            match e {
                FileEntry::Text(t) => parse(&t).map_err(|e| format!("{t}: {e}")),
                FileEntry::Table(t) => {
                    let mut kind = String::new();
                    let mut pairs = Vec::new();
                    for (k, v) in t {
                        let v = match v {
                            toml::Value::String(s) => s,
                            toml::Value::Integer(n) => n.to_string(),
                            other => {
                                return Err(format!(
                                    "key '{k}': {other} is not a string or integer"
                                ))
                            }
                        };
                        if k == "kind" {
                            kind = v;
                        } else {
                            pairs.push((k, v));
                        }
                    }
                    build(&kind, &pairs)
                }
            }
            .map_err(|e| format!("--inject-file {name}: entry {}: {e}", i + 1))
        })
        .collect()
}

fn json_entry(v: serde_json::Value) -> Result<FileEntry, String> {
    match v {
        serde_json::Value::String(s) => Ok(FileEntry::Text(s)),
        serde_json::Value::Object(o) => {
            let mut t = toml::Table::new();
            for (k, v) in o {
                let v = match v {
                    serde_json::Value::String(s) => toml::Value::String(s),
                    serde_json::Value::Number(n) => match n.as_i64() {
                        Some(i) => toml::Value::Integer(i),
                        None => return Err(format!("key '{k}': {n} is not an integer")),
                    },
                    other => return Err(format!("key '{k}': {other} is not a string or integer")),
                };
                t.insert(k, v);
            }
            Ok(FileEntry::Table(t))
        }
        other => Err(format!("{other} is neither a spec string nor an object")),
    }
}

const TRIGGERS: [&str; 4] = ["insn", "time", "pc", "pa"];

/// Build a spec from its kind and key=value pairs (in the order given).
fn build(kind: &str, pairs: &[(String, String)]) -> Result<Spec, String> {
    match kind {
        "serror" | "sea" | "ras" => {}
        "" => return Err("no kind: start with serror, sea or ras".into()),
        k => return Err(format!("unknown kind '{k}': expected serror, sea or ras")),
    }
    let mut seen = std::collections::HashSet::new();
    for (k, _) in pairs {
        if !seen.insert(k.as_str()) {
            return Err(format!("key '{k}' given twice"));
        }
    }
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let triggers: Vec<&(String, String)> = pairs
        .iter()
        .filter(|(k, _)| TRIGGERS.contains(&k.as_str()))
        .collect();
    let (tkey, tval) = match triggers.as_slice() {
        [t] => (t.0.as_str(), t.1.as_str()),
        [] => {
            return Err(
                "no trigger: give exactly one of insn=N, time=DURATION, pc=0xADDR, pa=0xADDR"
                    .into(),
            )
        }
        _ => {
            return Err("more than one trigger: give exactly one of insn=, time=, pc=, pa=".into())
        }
    };
    let mut allowed: Vec<&str> = vec![tkey, "cpu", "count"];
    let trigger = match tkey {
        "insn" => Trigger::Insn(number(tkey, tval)?),
        "time" => Trigger::Time(duration(tval)?),
        "pc" => {
            allowed.push("el");
            let el = match get("el") {
                None => None,
                Some(v @ ("0" | "1" | "2")) => Some(v.parse().unwrap()),
                Some(v) => return Err(format!("el={v}: expected 0, 1 or 2")),
            };
            Trigger::Pc {
                va: number(tkey, tval)?,
                el,
            }
        }
        _ => {
            allowed.extend(["len", "access"]);
            let len = get("len").map_or(Ok(1), |v| number("len", v))?;
            if len == 0 {
                return Err("len=0: a pa= trigger covers at least one byte".into());
            }
            let access = match get("access").unwrap_or("any") {
                "read" => Access::Read,
                "write" => Access::Write,
                "fetch" => Access::Fetch,
                "walk" => Access::Walk,
                "any" => Access::Any,
                v => {
                    return Err(format!(
                        "access={v}: expected read, write, fetch, walk or any"
                    ))
                }
            };
            let pa = number(tkey, tval)?;
            if pa.checked_add(len).is_none() {
                return Err(format!(
                    "pa={tval},len={len} runs past the end of the address space"
                ));
            }
            Trigger::Pa { pa, len, access }
        }
    };
    let kind = match kind {
        "serror" => {
            allowed.extend(["iss", "aet", "ids"]);
            Kind::SError {
                iss: serror_iss(get("iss"), get("aet"), get("ids"))?,
            }
        }
        "sea" => {
            if !matches!(trigger, Trigger::Pc { .. } | Trigger::Pa { .. }) {
                return Err(
                    "sea aborts an access, so it needs a pc= (the fetch) or pa= trigger".into(),
                );
            }
            Kind::Sea
        }
        _ => {
            allowed.extend([
                "record", "status", "addr", "misc0", "misc1", "misc2", "misc3", "signal",
            ]);
            let record = get("record").map_or(Ok(0), |v| number("record", v))?;
            if record >= cpu::ras::NUM_RECORDS as u64 {
                return Err(format!(
                    "record={record}: each CPU has records 0 to {}",
                    cpu::ras::NUM_RECORDS - 1
                ));
            }
            let opt = |k: &str| get(k).map(|v| number(k, v)).transpose();
            let signal = match get("signal").unwrap_or("serror") {
                "serror" => cpu::ras::RasSignal::SError,
                "irq" => cpu::ras::RasSignal::Irq,
                "none" => cpu::ras::RasSignal::None,
                v => return Err(format!("signal={v}: expected serror, irq or none")),
            };
            Kind::Ras(cpu::ras::RasError {
                record: record as usize,
                status: opt("status")?.unwrap_or(DEFAULT_RAS_STATUS),
                addr: opt("addr")?,
                misc: [opt("misc0")?, opt("misc1")?, opt("misc2")?, opt("misc3")?],
                signal,
            })
        }
    };
    if let Some((k, _)) = pairs.iter().find(|(k, _)| !allowed.contains(&k.as_str())) {
        let valid = allowed[1..].join(", ");
        return Err(format!(
            "unknown key '{k}' for {} with {tkey}= (valid: {valid})",
            kind.name()
        ));
    }
    let cpu = get("cpu")
        .map(|v| number("cpu", v).map(|n| n as usize))
        .transpose()?;
    let count = match get("count") {
        None => 1,
        Some(v) => match number("count", v)? {
            n @ 1..=0xffff_ffff => n as u32,
            _ => return Err(format!("count={v}: expected 1 to 4294967295")),
        },
    };
    if count > 1 && matches!(trigger, Trigger::Insn(_) | Trigger::Time(_)) {
        return Err(format!(
            "count={count}: an {tkey}= trigger is one point in the run and fires once"
        ));
    }
    Ok(Spec {
        kind,
        trigger,
        trigger_text: format!("{tkey}={tval}"),
        cpu,
        count,
    })
}

/// The ESR ISS of an SError from `iss=`, `aet=` and `ids=`.
fn serror_iss(iss: Option<&str>, aet: Option<&str>, ids: Option<&str>) -> Result<u32, String> {
    let ids = match ids {
        None | Some("0") => false,
        Some("1") => true,
        Some(v) => return Err(format!("ids={v}: expected 0 or 1")),
    };
    let iss = iss.map(|v| number("iss", v)).transpose()?;
    if let Some(v) = iss {
        if v > ISS_MASK as u64 {
            return Err(format!(
                "iss={v:#x}: an SError ISS has 25 bits (IDS and ISS[23:0])"
            ));
        }
    }
    match (iss, aet, ids) {
        (Some(_), Some(_), _) => Err("give iss= or aet=, not both".into()),
        (_, Some(_), true) => {
            Err("aet= describes an architected syndrome; ids=1 needs iss=".into())
        }
        (None, None, true) => Err("ids=1 needs iss= (the IMPLEMENTATION DEFINED syndrome)".into()),
        (Some(v), None, ids) => Ok(v as u32 | if ids { IDS } else { 0 }),
        (None, Some(a), false) => {
            // ESR_ELx ISS for an SError: AET [12:10], DFSC [5:0] = 0b010001.
            let aet = match a {
                "uc" => 0b000,
                "ueu" => 0b001,
                "ueo" => 0b010,
                "uer" => 0b011,
                "ce" => 0b110,
                v => return Err(format!("aet={v}: expected uc, ueu, uer, ueo or ce")),
            };
            Ok(aet << 10 | DEFAULT_SERROR_ISS)
        }
        (None, None, false) => Ok(DEFAULT_SERROR_ISS),
    }
}

/// A decimal or 0x-hex number.
fn number(key: &str, v: &str) -> Result<u64, String> {
    crate::cli::parse_u64(v).map_err(|e| format!("{key}={v}: {e}"))
}

/// A simulated duration: a decimal number with a unit ns, us, ms or s (`1.5ms`), in ns.
pub fn duration(v: &str) -> Result<u64, String> {
    let err = || format!("time={v}: expected a number with a unit ns, us, ms or s (e.g. 250us)");
    let split = v.find(|c: char| c.is_ascii_alphabetic()).ok_or_else(err)?;
    let (num, unit) = v.split_at(split);
    let scale: u128 = match unit {
        "ns" => 1,
        "us" => 1_000,
        "ms" => 1_000_000,
        "s" => 1_000_000_000,
        _ => return Err(err()),
    };
    let (int, frac) = num.split_once('.').unwrap_or((num, ""));
    if int.is_empty() && frac.is_empty()
        || !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit())
    {
        return Err(err());
    }
    let digits = format!("{int}{frac}");
    let value: u128 = digits.parse().map_err(|_| err())?;
    let div = 10u128.pow(frac.len() as u32);
    let ns = value * scale / div;
    if !(value * scale).is_multiple_of(div) {
        return Err(format!("time={v}: finer than one nanosecond"));
    }
    u64::try_from(ns).map_err(|_| format!("time={v}: too large"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serror_syndromes() {
        let iss = |t: &str| match parse(t).unwrap().kind {
            Kind::SError { iss } => iss,
            k => panic!("{k:?}"),
        };
        assert_eq!(iss("serror,insn=5"), 0x11);
        assert_eq!(iss("serror,insn=5,aet=ce"), 0x1811);
        assert_eq!(iss("serror,insn=5,aet=uer"), 0x0c11);
        assert_eq!(iss("serror,insn=5,aet=ueo"), 0x0811);
        assert_eq!(iss("serror,insn=5,aet=ueu"), 0x0411);
        assert_eq!(iss("serror,insn=5,iss=0x123"), 0x123);
        assert_eq!(iss("serror,insn=5,ids=1,iss=0x123"), 0x100_0123);
    }

    #[test]
    fn ras_errors() {
        let Kind::Ras(e) =
            parse("ras,insn=5,record=1,status=0x44000000,addr=0x8000,misc0=7,signal=irq")
                .unwrap()
                .kind
        else {
            panic!()
        };
        assert_eq!((e.record, e.status, e.addr), (1, 0x4400_0000, Some(0x8000)));
        assert_eq!(e.misc, [Some(7), None, None, None]);
        assert_eq!(e.signal, cpu::ras::RasSignal::Irq);
        let Kind::Ras(d) = parse("ras,pc=0x40080000").unwrap().kind else {
            panic!()
        };
        assert_eq!(
            (d.record, d.status, d.signal),
            (0, 0x6000_0000, cpu::ras::RasSignal::SError)
        );
    }

    #[test]
    fn triggers() {
        let s = parse("sea,pa=0x40001000,len=8,access=write,count=3,cpu=1").unwrap();
        assert_eq!(
            s.trigger,
            Trigger::Pa {
                pa: 0x4000_1000,
                len: 8,
                access: Access::Write
            }
        );
        assert_eq!((s.cpu, s.count), (Some(1), 3));
        assert_eq!(s.trigger_text, "pa=0x40001000");
        let s = parse("serror,pc=0xffff800080001000,el=1").unwrap();
        assert_eq!(
            s.trigger,
            Trigger::Pc {
                va: 0xffff_8000_8000_1000,
                el: Some(1)
            }
        );
        assert_eq!(
            parse("serror,time=1.5ms").unwrap().trigger,
            Trigger::Time(1_500_000)
        );
        assert_eq!(
            parse("serror,time=20us").unwrap().trigger,
            Trigger::Time(20_000)
        );
        assert_eq!(
            parse("serror,time=3s").unwrap().trigger,
            Trigger::Time(3_000_000_000)
        );
        assert_eq!(
            parse("serror,insn=1_000").unwrap().trigger,
            Trigger::Insn(1000)
        );
    }

    #[test]
    fn malformed_specs_name_the_problem() {
        for (spec, says) in [
            ("", "no kind"),
            ("boom,insn=1", "unknown kind 'boom'"),
            ("serror", "no trigger"),
            ("serror,insn=1,pc=0x10", "more than one trigger"),
            ("serror,insn=x", "insn=x"),
            ("serror,insn=1,colour=red", "unknown key 'colour'"),
            ("serror,insn=1,len=4", "unknown key 'len'"),
            ("serror,pc=0x1000,access=read", "unknown key 'access'"),
            ("serror,time=10", "time=10"),
            ("serror,time=10xs", "time=10xs"),
            ("serror,time=0.5ns", "finer than one nanosecond"),
            ("serror,insn=1,aet=big", "aet=big"),
            ("serror,insn=1,aet=ce,iss=0x11", "not both"),
            ("serror,insn=1,ids=1", "ids=1 needs iss="),
            ("serror,insn=1,iss=0x2000000", "25 bits"),
            ("serror,insn=1,count=2", "fires once"),
            ("serror,pa=0x40000000,count=0", "count=0"),
            ("serror,pa=0x40000000,len=0", "len=0"),
            ("serror,pa=0x40000000,access=exec", "access=exec"),
            ("serror,pc=0x40000000,el=3", "el=3"),
            ("sea,insn=100", "needs a pc= (the fetch) or pa= trigger"),
            ("serror,insn=1,cpu=1,cpu=2", "given twice"),
            ("serror,insn", "'insn' is not key=value"),
            ("ras,insn=1,record=2", "records 0 to 1"),
            ("ras,insn=1,signal=loud", "signal=loud"),
            ("ras,insn=1,aet=ce", "unknown key 'aet'"),
        ] {
            let e = parse(spec).unwrap_err();
            assert!(e.contains(says), "{spec:?}: {e}");
        }
    }

    #[test]
    fn files_in_toml_and_json() {
        let dir = std::env::temp_dir().join(format!("hypsim-inject-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let t = dir.join("a.toml");
        std::fs::write(
            &t,
            "inject = [\"serror,insn=10,aet=ce\", { kind = \"sea\", pa = \"0x40001000\", access = \"read\" }]\n",
        )
        .unwrap();
        let j = dir.join("a.json");
        std::fs::write(
            &j,
            r#"["serror,insn=10,aet=ce", {"kind": "sea", "pa": "0x40001000", "access": "read"}]"#,
        )
        .unwrap();
        let a = parse_file(&t).unwrap();
        assert_eq!(a, parse_file(&j).unwrap());
        assert_eq!(a[0], parse("serror,insn=10,aet=ce").unwrap());
        assert_eq!(a[1].kind, Kind::Sea);
        std::fs::write(&t, "inject = [{ kind = \"sea\", insn = 5 }]\n").unwrap();
        let e = parse_file(&t).unwrap_err();
        assert!(e.contains("entry 1") && e.contains("needs a pc="), "{e}");
        assert!(parse_file(&dir.join("missing.toml")).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
