//! Memory attributes: MAIR_ELx attribute decoding and descriptor shareability.
//!
//! Encodings from DDI0487 D24.2.127 MAIR_EL1 (`Attr<n>`, 'dd', 'oooo', 'iiii') and the stage 1
//! Shareability rules of D8.6.

/// Device memory type (the 'dd' field of a MAIR attribute).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeviceType {
    /// Device-nGnRnE.
    NGnRnE,
    /// Device-nGnRE.
    NGnRE,
    /// Device-nGRE.
    NGRE,
    /// Device-GRE.
    GRE,
}

/// Cacheability of one cache level (inner or outer) of Normal memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cacheability {
    /// Non-cacheable.
    NonCacheable,
    /// Write-Through cacheable.
    WriteThrough {
        /// Transient hint.
        transient: bool,
        /// Read-Allocate.
        read_alloc: bool,
        /// Write-Allocate.
        write_alloc: bool,
    },
    /// Write-Back cacheable.
    WriteBack {
        /// Transient hint.
        transient: bool,
        /// Read-Allocate.
        read_alloc: bool,
        /// Write-Allocate.
        write_alloc: bool,
    },
}

impl Cacheability {
    /// Decode an 'oooo' or 'iiii' nibble that is not 0b0000.
    fn from_nibble(n: u8) -> Self {
        let read_alloc = n & 0b10 != 0;
        let write_alloc = n & 0b01 != 0;
        match n >> 2 {
            // 0b0100 is Non-cacheable; 0b00RW (RW != 00) Write-Through Transient.
            0b01 if n & 0b11 == 0 => Cacheability::NonCacheable,
            0b00 => Cacheability::WriteThrough {
                transient: true,
                read_alloc,
                write_alloc,
            },
            0b01 => Cacheability::WriteBack {
                transient: true,
                read_alloc,
                write_alloc,
            },
            0b10 => Cacheability::WriteThrough {
                transient: false,
                read_alloc,
                write_alloc,
            },
            _ => Cacheability::WriteBack {
                transient: false,
                read_alloc,
                write_alloc,
            },
        }
    }
}

/// Memory type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MemType {
    /// Device memory.
    Device(DeviceType),
    /// Normal memory.
    Normal {
        /// Inner cacheability.
        inner: Cacheability,
        /// Outer cacheability.
        outer: Cacheability,
    },
}

/// Shareability domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shareability {
    /// Non-shareable.
    NonShareable,
    /// Outer Shareable.
    OuterShareable,
    /// Inner Shareable.
    InnerShareable,
}

/// The memory attributes a translation assigns to its output address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MemAttrs {
    /// Device or Normal, with cacheability.
    pub mem_type: MemType,
    /// Effective shareability (Device and Normal Non-cacheable are always Outer Shareable).
    pub shareability: Shareability,
    /// MAIR attribute 0b1111_0000: Tagged Normal memory (FEAT_MTE2).
    pub tagged: bool,
}

impl MemAttrs {
    /// The attributes of a data access with stage 1 disabled: Device-nGnRnE (D8.2.12.1).
    pub const DEVICE_NGNRNE: MemAttrs = MemAttrs {
        mem_type: MemType::Device(DeviceType::NGnRnE),
        shareability: Shareability::OuterShareable,
        tagged: false,
    };

    /// Normal Inner and Outer Non-cacheable, Outer Shareable, untagged: what the
    /// pseudocode's NormalNCMemAttr() gives when a control (SCTLR_ELx.C/I, HCR_EL2.CD/ID,
    /// fetches from Device memory) forces Non-cacheable.
    pub const NORMAL_NC: MemAttrs = MemAttrs {
        mem_type: MemType::Normal {
            inner: Cacheability::NonCacheable,
            outer: Cacheability::NonCacheable,
        },
        shareability: Shareability::OuterShareable,
        tagged: false,
    };

    /// Whether this is any kind of Device memory.
    #[inline]
    pub fn is_device(&self) -> bool {
        matches!(self.mem_type, MemType::Device(_))
    }

    /// Decode MAIR attribute byte `attr` with the descriptor SH\[1:0\] field `sh`.
    ///
    /// UNPREDICTABLE encodings get these hypsim choices: `0b0000_dd01` (FEAT_XS, not
    /// implemented) and `0b0000_dd1x` are Device memory of type `dd`; `0b0100_0000` and
    /// `0b1010_0000` (FEAT_XS forms) are decoded as their non-XS meanings; any other
    /// `0bxxxx_0000` is Normal Inner/Outer Non-cacheable. The reserved SH value 0b01 is
    /// treated as Non-shareable.
    pub fn from_mair(attr: u8, sh: u8) -> MemAttrs {
        let outer_n = attr >> 4;
        let inner_n = attr & 0xf;
        let mut tagged = false;
        let mem_type = if outer_n == 0 {
            MemType::Device(match (attr >> 2) & 0b11 {
                0b00 => DeviceType::NGnRnE,
                0b01 => DeviceType::NGnRE,
                0b10 => DeviceType::NGRE,
                _ => DeviceType::GRE,
            })
        } else if inner_n == 0 {
            match attr {
                0b1010_0000 => {
                    let wt = Cacheability::WriteThrough {
                        transient: false,
                        read_alloc: true,
                        write_alloc: false,
                    };
                    MemType::Normal {
                        inner: wt,
                        outer: wt,
                    }
                }
                0b1111_0000 => {
                    tagged = true;
                    let wb = Cacheability::WriteBack {
                        transient: false,
                        read_alloc: true,
                        write_alloc: true,
                    };
                    MemType::Normal {
                        inner: wb,
                        outer: wb,
                    }
                }
                _ => MemType::Normal {
                    inner: Cacheability::NonCacheable,
                    outer: Cacheability::NonCacheable,
                },
            }
        } else {
            MemType::Normal {
                inner: Cacheability::from_nibble(inner_n),
                outer: Cacheability::from_nibble(outer_n),
            }
        };
        let always_outer = match mem_type {
            MemType::Device(_) => true,
            MemType::Normal { inner, outer } => {
                inner == Cacheability::NonCacheable && outer == Cacheability::NonCacheable
            }
        };
        let shareability = if always_outer {
            Shareability::OuterShareable
        } else {
            match sh & 0b11 {
                0b10 => Shareability::OuterShareable,
                0b11 => Shareability::InnerShareable,
                _ => Shareability::NonShareable,
            }
        };
        MemAttrs {
            mem_type,
            shareability,
            tagged,
        }
    }
}
