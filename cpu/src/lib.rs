//! The hypsim A64 core: a table-generated decoder, an interpreter generic over the bus,
//! the system-register table, exception entry/return and the cycle model.
//!
//! `Cpu` never names a device or the GIC: it reaches memory through [`mmu::Bus`] and
//! leaves firmware calls (PSCI/SMCCC) to the board by returning [`Exit::FirmwareCall`].
#![deny(missing_docs)]

pub mod a64;
mod alu;
mod bits;
mod debug;
mod decode_cache;
mod events;
mod exc;
mod exception;
mod exec;
mod fast_tlb;
mod flow;
mod interrupts;
mod irq_out;
mod jit;
mod memory;
mod mte;
mod platform;
mod pmu;
mod profile;
pub mod ras;
mod regime;
mod run;
mod snapshot;
mod softfp;
mod spe_regs;
mod spe_unit;
mod stage2;
mod state;
mod syndrome;
pub mod sysreg;
mod timer;
mod timing;
mod translate;
mod vgic;
mod warn;
mod watch;

pub use bits::ec;
pub use events::Event;
pub use exc::{Exc, ExcKind};
pub use flow::Exit;
pub use irq_out::{PeIrq, PeIrqLevels};
pub use jit::{supported as jit_supported, JitStats, Sabotage as JitSabotage};
pub use mte::TagFaults;
pub use platform::{Platform, SysRegAccess};
pub use profile::{filter as spe_filter, ProfileStats, SampleConfig};
pub use regime::{RegimeId, TlbiOp};
pub use snapshot::CpuState;
pub use spe_unit::SpuStats;
pub use state::{Conduit, Cpu, CpuConfig, Pstate};
pub use syndrome::{AbortStatus, Syndrome, SysRegTrap};
pub use timer::Timer;
pub use timing::core_model::{
    CacheGeometry, ClassTable, CoreModel, PredictorGeometry, TlbGeometry, WindowGeometry,
};
pub use timing::detailed::{DataSource, Events, OpRecord};
pub use timing::{class_cost, Flat, TimingModel};
pub use warn::WarnKind;
pub use watch::{WatchKind, WatchVerdict, WatchedAccess};
