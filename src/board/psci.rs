//! PSCI 1.1 and SMCCC 1.1 served by the emulator, as firmware would be (Arm DEN0022,
//! DEN0028; our notes in shared/gic-timer-psci-notes.md §7).

/// PSCI and SMCCC function IDs (SMC32 unless noted).
pub mod fid {
    pub const PSCI_VERSION: u32 = 0x8400_0000;
    pub const CPU_SUSPEND: u32 = 0x8400_0001;
    pub const CPU_SUSPEND64: u32 = 0xc400_0001;
    pub const CPU_OFF: u32 = 0x8400_0002;
    pub const CPU_ON: u32 = 0x8400_0003;
    pub const CPU_ON64: u32 = 0xc400_0003;
    pub const AFFINITY_INFO: u32 = 0x8400_0004;
    pub const AFFINITY_INFO64: u32 = 0xc400_0004;
    pub const MIGRATE_INFO_TYPE: u32 = 0x8400_0006;
    pub const SYSTEM_OFF: u32 = 0x8400_0008;
    pub const SYSTEM_RESET: u32 = 0x8400_0009;
    pub const PSCI_FEATURES: u32 = 0x8400_000a;
    pub const SMCCC_VERSION: u32 = 0x8000_0000;
    pub const SMCCC_ARCH_FEATURES: u32 = 0x8000_0001;
}

/// PSCI return codes.
pub mod ret {
    pub const SUCCESS: i64 = 0;
    pub const NOT_SUPPORTED: i64 = -1;
    pub const INVALID_PARAMETERS: i64 = -2;
    pub const ALREADY_ON: i64 = -4;
    pub const INVALID_ADDRESS: i64 = -9;
}

/// PSCI 1.1.
pub const PSCI_VERSION_1_1: i64 = 0x0001_0001;
/// SMCCC 1.1.
pub const SMCCC_VERSION_1_1: i64 = 0x0001_0001;

/// Power state of a PE as AFFINITY_INFO reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Power {
    /// Running (or waiting in WFI/WFE).
    On,
    /// Off until CPU_ON.
    Off,
}

/// What the board must do for a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Return this value in X0 and resume the caller.
    Return(i64),
    /// Power the system off.
    SystemOff,
    /// Reset the system.
    SystemReset,
    /// Start CPU `index` at `entry` with X0 = `context`, then return SUCCESS to the caller.
    CpuOn {
        index: usize,
        entry: u64,
        context: u64,
    },
    /// Stop the calling CPU.
    CpuOff,
    /// CPU_SUSPEND as standby: behave like WFI, then return SUCCESS.
    Standby,
}

/// The machine facts PSCI needs.
pub trait Platform {
    /// MPIDR affinity (Aff3..Aff0 bits only) of CPU `i`, for every CPU.
    fn cpu_affinities(&self) -> Vec<u64>;
    /// Power state of CPU `i`.
    fn power(&self, i: usize) -> Power;
    /// Whether `pa` is a valid entry address (in RAM).
    fn valid_entry(&self, pa: u64) -> bool;
}

/// Functions PSCI_FEATURES reports as implemented.
const IMPLEMENTED: &[u32] = &[
    fid::PSCI_VERSION,
    fid::CPU_SUSPEND,
    fid::CPU_SUSPEND64,
    fid::CPU_OFF,
    fid::CPU_ON,
    fid::CPU_ON64,
    fid::AFFINITY_INFO,
    fid::AFFINITY_INFO64,
    fid::MIGRATE_INFO_TYPE,
    fid::SYSTEM_OFF,
    fid::SYSTEM_RESET,
    fid::PSCI_FEATURES,
    fid::SMCCC_VERSION,
];

/// MPIDR affinity fields: Aff3 [39:32], Aff2..Aff0 [23:0].
const AFF_MASK: u64 = 0xff_00ff_ffff;

/// Serve one call: `x` holds X0..X3 of the caller.
pub fn call(p: &impl Platform, x: [u64; 4]) -> Action {
    let f = x[0] as u32;
    // SMC32 calls take 32-bit arguments (the upper halves are ignored).
    let arg = |i: usize| {
        if f & 0x4000_0000 == 0 {
            x[i] as u32 as u64
        } else {
            x[i]
        }
    };
    match f {
        fid::PSCI_VERSION => Action::Return(PSCI_VERSION_1_1),
        fid::SMCCC_VERSION => Action::Return(SMCCC_VERSION_1_1),
        fid::PSCI_FEATURES => Action::Return(if IMPLEMENTED.contains(&(arg(1) as u32)) {
            ret::SUCCESS
        } else {
            ret::NOT_SUPPORTED
        }),
        // Only the discovery calls themselves; no CPU-errata workaround is offered.
        fid::SMCCC_ARCH_FEATURES => Action::Return(match arg(1) as u32 {
            fid::SMCCC_VERSION | fid::SMCCC_ARCH_FEATURES => ret::SUCCESS,
            _ => ret::NOT_SUPPORTED,
        }),
        fid::MIGRATE_INFO_TYPE => Action::Return(2), // no Trusted OS: migration not required
        fid::SYSTEM_OFF => Action::SystemOff,
        fid::SYSTEM_RESET => Action::SystemReset,
        fid::CPU_OFF => Action::CpuOff,
        fid::CPU_SUSPEND | fid::CPU_SUSPEND64 => Action::Standby,
        fid::CPU_ON | fid::CPU_ON64 => {
            let target = arg(1) & AFF_MASK;
            let Some(index) = p.cpu_affinities().iter().position(|&a| a == target) else {
                return Action::Return(ret::INVALID_PARAMETERS);
            };
            if p.power(index) == Power::On {
                return Action::Return(ret::ALREADY_ON);
            }
            if !p.valid_entry(arg(2)) {
                return Action::Return(ret::INVALID_ADDRESS);
            }
            Action::CpuOn {
                index,
                entry: arg(2),
                context: arg(3),
            }
        }
        fid::AFFINITY_INFO | fid::AFFINITY_INFO64 => {
            if arg(2) != 0 {
                return Action::Return(ret::INVALID_PARAMETERS); // only level 0 is supported
            }
            match p
                .cpu_affinities()
                .iter()
                .position(|&a| a == arg(1) & AFF_MASK)
            {
                Some(i) => Action::Return(if p.power(i) == Power::On { 0 } else { 1 }),
                None => Action::Return(ret::INVALID_PARAMETERS),
            }
        }
        _ => {
            tracing::debug!("unknown firmware call {f:#x}: NOT_SUPPORTED");
            Action::Return(ret::NOT_SUPPORTED)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Two([Power; 2]);
    impl Platform for Two {
        fn cpu_affinities(&self) -> Vec<u64> {
            vec![0, 1]
        }
        fn power(&self, i: usize) -> Power {
            self.0[i]
        }
        fn valid_entry(&self, pa: u64) -> bool {
            (0x4000_0000..0x8000_0000).contains(&pa)
        }
    }

    #[test]
    fn version_features_and_unknown() {
        let p = Two([Power::On, Power::Off]);
        assert_eq!(call(&p, [0x8400_0000, 0, 0, 0]), Action::Return(0x10001));
        assert_eq!(
            call(&p, [0x8400_000a, 0x8000_0000, 0, 0]),
            Action::Return(0)
        );
        assert_eq!(
            call(&p, [0x8400_000a, 0x8400_0012, 0, 0]),
            Action::Return(-1)
        );
        assert_eq!(call(&p, [0xc200_0000, 0, 0, 0]), Action::Return(-1));
        assert_eq!(call(&p, [0x8400_0008, 0, 0, 0]), Action::SystemOff);
    }

    #[test]
    fn cpu_on_checks() {
        let p = Two([Power::On, Power::Off]);
        assert_eq!(
            call(&p, [0xc400_0003, 0, 0x4000_0000, 0]),
            Action::Return(-4)
        );
        assert_eq!(
            call(&p, [0xc400_0003, 7, 0x4000_0000, 0]),
            Action::Return(-2)
        );
        assert_eq!(call(&p, [0xc400_0003, 1, 0x1000, 0]), Action::Return(-9));
        assert_eq!(
            call(&p, [0xc400_0003, 1, 0x4000_1000, 5]),
            Action::CpuOn {
                index: 1,
                entry: 0x4000_1000,
                context: 5
            }
        );
        assert_eq!(call(&p, [0x8400_0004, 1, 0, 0]), Action::Return(1));
    }
}
