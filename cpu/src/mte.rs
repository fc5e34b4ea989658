//! FEAT_MTE2/MTE3 (Arm ARM D10 "The Memory Tagging Extension"): whether allocation tags
//! may be accessed, whether a data access is tag checked, the check itself with its
//! synchronous, asynchronous and asymmetric faults, allocation-tag reads and writes, and
//! the tag arithmetic of IRG/ADDG/SUBG.
//!
//! Speed: tags live beside RAM (`mmu::GuestRam`). An access to Untagged memory never
//! gets here: translation marks Tagged pages, and only those call [`Cpu::tag_gate`]. A
//! Tagged page whose accesses are not checked in the current regime (TCF = 0, no tag
//! access, TBI off, TCMA) goes to the fast path like any other; a checked one never does,
//! so the check cannot be skipped when PSTATE.TCO clears.

use crate::a64::Op;
use crate::bits::HCR_ATA;
use crate::exc::Exc;
use crate::platform::Platform;
use crate::regime::RegimeId;
use crate::state::Cpu;
use crate::syndrome::AbortStatus;
use crate::sysreg::SR;
use crate::translate::Translated;
use mmu::walk::AccessKind;

/// SCTLR_ELx.ATA / ATA0.
const SCTLR_ATA: u64 = 1 << 43;
const SCTLR_ATA0: u64 = 1 << 42;

/// GMID_EL1.BS = 6: LDGM/STGM move the tags of 4 << 6 = 256 bytes (16 granules, one
/// 64-bit register of tags), as QEMU's `max` CPU.
pub(crate) const GMID: u64 = 6;
/// Bytes LDGM/STGM cover.
pub(crate) const GM_BYTES: u64 = 4 << GMID;

/// Tag check faults counted for `--stats`, by how they were reported.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TagFaults {
    /// Synchronous Data Aborts (TCF = 1, or a read with TCF = 3).
    pub sync: u64,
    /// Asynchronous reports in TFSR_ELx / TFSRE0_EL1 (TCF = 2, or a write with TCF = 3).
    pub asynchronous: u64,
}

/// The logical (pointer) tag of an address: bits \[59:56\].
#[inline(always)]
pub(crate) fn ptr_tag(va: u64) -> u8 {
    ((va >> 56) & 0xf) as u8
}

/// `va` with its logical tag replaced by `tag` (AArch64.AddressWithAllocationTag).
#[inline(always)]
pub(crate) fn with_tag(va: u64, tag: u8) -> u64 {
    (va & !(0xf << 56)) | ((tag as u64 & 0xf) << 56)
}

/// AArch64.ChooseNonExcludedTag: step `offset` times from `tag` through the tags not
/// in `exclude` (with `offset` = 0: the first non-excluded tag from `tag` on).
pub(crate) fn choose_non_excluded(tag: u8, offset: u8, exclude: u16) -> u8 {
    if exclude == 0xffff {
        return 0;
    }
    let excluded = |t: u8| exclude & (1 << t) != 0;
    let mut t = tag & 0xf;
    if offset == 0 {
        while excluded(t) {
            t = (t + 1) & 0xf;
        }
    }
    for _ in 0..offset {
        t = (t + 1) & 0xf;
        while excluded(t) {
            t = (t + 1) & 0xf;
        }
    }
    t
}

/// Whether the instruction `op` (encoding `raw`) makes tag-checked accesses: every data
/// access except those based on SP with an immediate offset and no writeback
/// ("tagchecked = wback || n != 31" in each instruction's decode; register-offset forms
/// are always checked) and PC-relative literal loads.
pub(crate) fn insn_tag_checked(op: Op, raw: u32) -> bool {
    let n31 = (raw >> 5) & 31 == 31;
    match op {
        // STGP sets the tag of the granule it stores to.
        Op::LDR_lit | Op::LDR_V_lit | Op::STGP => false,
        Op::LDST_reg | Op::LDST_V_reg => true,
        _ if !n31 => true,
        // Pre/post-index (idx 01/11, bits 11:10) write back; 10 is unprivileged.
        Op::LDST_imm9 | Op::LDST_V_imm9 => raw & (1 << 10) != 0,
        // Pairs: bits 24:23 01 post, 11 pre.
        Op::LDSTP | Op::LDSTP_V => raw & (1 << 23) != 0,
        Op::LDST_MULTI_POST | Op::LDST_SINGLE_POST => true,
        _ => false,
    }
}

/// The stage 2 Permission fault of an allocation-tag access (`write`: a tag store) or a
/// tag-checked access to a NoTagAccess page (FEAT_MTE_PERM), at stage 2 level and IPA
/// `at`: ESR_EL2.ISS2.TagAccess = 1, and WnR set only for tag writes (a tag check reads
/// the tag). Taken to EL2 with HPFAR_EL2 like any stage 2 fault.
fn no_tag_access_fault(va: u64, at: (i8, u64), write: bool) -> Exc {
    let f = mmu::walk::Fault::stage2(mmu::walk::FaultKind::Permission, at.0, at.1);
    let mut e = Exc::data_abort(AbortStatus::Walk(f), va, write);
    if let crate::syndrome::Syndrome::DataAbort { tag_access, .. } = &mut e.syndrome {
        *tag_access = true;
    }
    e.ipa = Some(at.1);
    e.target = Some(2);
    e
}

impl Cpu {
    /// AArch64.AllocationTagAccessIsEnabled(el): SCTLR_ELx.ATA (ATA0 for EL0, from the
    /// SCTLR of EL0's regime), and for EL0/EL1 outside the VHE host HCR_EL2.ATA.
    pub(crate) fn tag_access_enabled(&self, el: u8) -> bool {
        if !self.cfg.mte {
            return false;
        }
        if el < 2 && self.cfg.has_el2 && !self.in_host() && self.hcr() & HCR_ATA == 0 {
            return false;
        }
        match el {
            0 => self.el0_sctlr() & SCTLR_ATA0 != 0,
            1 => self.sr.get(SR::SCTLR_EL1) & SCTLR_ATA != 0,
            _ => self.sr.get(SR::SCTLR_EL2) & SCTLR_ATA != 0,
        }
    }

    /// The tag check fault mode of an access by `el`: SCTLR_ELx.TCF, or TCF0 for EL0
    /// (0 none, 1 synchronous, 2 asynchronous, 3 asymmetric).
    fn tcf(&self, el: u8) -> u8 {
        let shift = if el == 0 { 38 } else { 40 };
        let sctlr = match el {
            0 => self.el0_sctlr(),
            1 => self.sr.get(SR::SCTLR_EL1),
            _ => self.sr.get(SR::SCTLR_EL2),
        };
        ((sctlr >> shift) & 3) as u8
    }

    /// The TCF of a data access at `va` by `el` to Tagged memory, or 0 when its regime
    /// leaves it unchecked whatever PSTATE.TCO and the instruction: no tag access, TBI
    /// off for the address, or TCMA with the all-zeros/all-ones tag
    /// (AArch64.AccessIsTagChecked without its TCO and instruction terms).
    pub(crate) fn tag_check_mode(&self, va: u64, el: u8) -> u8 {
        let tcf = self.tcf(el);
        if tcf == 0 || !self.tag_access_enabled(el) {
            return 0;
        }
        let upper = va & (1 << 55) != 0;
        let (tbi, tcma) = match self.regime_of(el) {
            RegimeId::El2 => {
                let tcr = self.sr.get(SR::TCR_EL2);
                (tcr & (1 << 20) != 0, tcr & (1 << 30) != 0)
            }
            r => {
                let tcr = if r == RegimeId::El10 {
                    self.sr.get(SR::TCR_EL1)
                } else {
                    self.sr.get(SR::TCR_EL2)
                };
                let (tbi, tcma) = if upper { (38, 58) } else { (37, 57) };
                (tcr & (1 << tbi) != 0, tcr & (1 << tcma) != 0)
            }
        };
        // TCMA covers VA[59:55] all zeros or all ones: tag 0 in the lower half, 0xF in
        // the upper.
        let match_all = (va >> 55) & 0x1f;
        if !tbi || (tcma && (match_all == 0 || match_all == 0x1f)) {
            return 0;
        }
        tcf
    }

    /// Tag checking for a data access of `size` bytes at `va` that translated to `t`.
    /// Returns whether the fast path may remember the page: yes unless the access is to
    /// Tagged memory in a regime that checks it.
    #[inline(always)]
    pub(crate) fn tag_gate<B: Platform>(
        &mut self,
        bus: &mut B,
        va: u64,
        t: &Translated,
        size: u64,
        write: bool,
        unpriv: bool,
    ) -> Result<bool, Exc> {
        if !t.tagged {
            return Ok(true);
        }
        self.tag_check(bus, va, t, size, write, unpriv)
    }

    #[inline(never)]
    fn tag_check<B: Platform>(
        &mut self,
        bus: &mut B,
        va: u64,
        t: &Translated,
        size: u64,
        write: bool,
        unpriv: bool,
    ) -> Result<bool, Exc> {
        let el = if unpriv { 0 } else { self.pstate.el };
        let tcf = self.tag_check_mode(va, el);
        if tcf == 0 {
            return Ok(true);
        }
        if self.pstate.tco || !self.current_insn_tag_checked(bus) {
            return Ok(false);
        }
        if let Some(at) = t.no_tag_access {
            // The check would read the allocation tag: a tag read (WnR = 0).
            return Err(no_tag_access_fault(va, at, false));
        }
        let pa = t.pa;
        let ptag = ptr_tag(va);
        let ram = bus.ram();
        let first = pa & !(mmu::TAG_GRANULE - 1);
        let mut g = first;
        while g < pa + size {
            let Some(off) = ram.offset(g, 1) else {
                break;
            };
            if ram.tag(off) != ptag {
                // The first mismatching granule: FAR is its address within the access.
                let fault_va = va.wrapping_add(g.max(pa) - pa);
                self.tag_check_fault(fault_va, tcf, write, el)?;
                break;
            }
            g += mmu::TAG_GRANULE;
        }
        Ok(false)
    }

    /// AArch64.TagCheckFault: a synchronous Data Abort (DFSC 0b010001), or the
    /// asynchronous report in TFSR_ELx.TF0/TF1 (by VA\[55\]) of the accessing EL —
    /// TFSRE0_EL1 for EL0. Asymmetric mode (FEAT_MTE3) faults reads synchronously and
    /// reports writes asynchronously.
    fn tag_check_fault(&mut self, va: u64, tcf: u8, write: bool, el: u8) -> Result<(), Exc> {
        let sync = tcf == 1 || (tcf == 3 && !write);
        if sync {
            self.tag_faults.sync += 1;
            return Err(Exc::data_abort(AbortStatus::TagCheck, va, write));
        }
        self.tag_faults.asynchronous += 1;
        let bit = if va & (1 << 55) != 0 { 2 } else { 1 };
        let r = match el {
            0 => SR::TFSRE0_EL1,
            1 => SR::TFSR_EL1,
            _ => SR::TFSR_EL2,
        };
        self.sr.set(r, self.sr.get(r) | bit);
        Ok(())
    }

    /// Whether the instruction being executed makes tag-checked accesses (read back from
    /// the linked code page: only checked accesses to Tagged memory ask).
    fn current_insn_tag_checked<B: Platform>(&self, bus: &mut B) -> bool {
        let pa = self.dcache.cur_pa | (self.pc & 0xfff);
        let ram = bus.ram();
        let Some(off) = ram.offset(pa, 4) else {
            return true;
        };
        let raw = u32::from_le_bytes(ram.read_at(off));
        insn_tag_checked(crate::a64::decode(raw), raw)
    }

    /// Translate `va` for an allocation-tag access (AArch64.MemTag): the RAM offset of
    /// its granule when tags are stored there, `None` when the access reads 0 / is
    /// ignored (tag access disabled at this EL, Untagged memory, not RAM). Faults are
    /// those of a data read or write; tag accesses are never tag checked.
    pub(crate) fn tag_target<B: Platform>(
        &mut self,
        bus: &mut B,
        va: u64,
        write: bool,
    ) -> Result<Option<u64>, Exc> {
        if write {
            self.jit_effect();
        }
        let acc = if write {
            AccessKind::Write
        } else {
            AccessKind::Read
        };
        let t = self.translate(bus, va, acc, false)?;
        if !t.tagged || !self.tag_access_enabled(self.pstate.el) {
            return Ok(None);
        }
        if let Some(at) = t.no_tag_access {
            return Err(no_tag_access_fault(va, at, write));
        }
        Ok(bus.ram().offset(t.pa, 1))
    }

    /// Read the allocation tag of the granule at `va` (0 where no tags apply).
    pub(crate) fn load_tag<B: Platform>(&mut self, bus: &mut B, va: u64) -> Result<u8, Exc> {
        Ok(match self.tag_target(bus, va, false)? {
            Some(off) => bus.ram().tag(off),
            None => 0,
        })
    }

    /// Write the allocation tag of the granule at `va` (ignored where no tags apply).
    pub(crate) fn store_tag<B: Platform>(
        &mut self,
        bus: &mut B,
        va: u64,
        tag: u8,
    ) -> Result<(), Exc> {
        if let Some(off) = self.tag_target(bus, va, true)? {
            bus.ram().set_tag(off, tag);
        }
        Ok(())
    }

    /// Set every granule of the naturally aligned `bytes`-sized block at `va` (within one
    /// page: DC GVA, STZGM) to `tag`, with one translation for the block.
    pub(crate) fn store_tag_block<B: Platform>(
        &mut self,
        bus: &mut B,
        va: u64,
        bytes: u64,
        tag: u8,
    ) -> Result<(), Exc> {
        if let Some(off) = self.tag_target(bus, va, true)? {
            let ram = bus.ram();
            for g in (0..bytes).step_by(mmu::TAG_GRANULE as usize) {
                ram.set_tag(off + g, tag);
            }
        }
        Ok(())
    }

    /// AArch64.ChooseRandomNonExcludedTag for IRG: an offset of four bits from the
    /// RGSR_EL1.SEED LFSR (AArch64.NextRandomTagBit: the new top bit, SEED\[5\] ^ \[3\] ^
    /// \[2\] ^ \[0\], shifted in), applied from RGSR_EL1.TAG. With GCR_EL1.RRND = 1 the
    /// generator is IMPLEMENTATION DEFINED; hypsim keeps the same one (with a fixed
    /// non-zero seed if SEED is 0, which the LFSR cannot leave), so runs stay
    /// deterministic.
    pub(crate) fn random_tag(&mut self, exclude: u16) -> u8 {
        let rgsr = self.sr.get(SR::RGSR_EL1);
        let mut lfsr = ((rgsr >> 8) & 0xffff) as u16;
        if lfsr == 0 && self.sr.get(SR::GCR_EL1) & (1 << 16) != 0 {
            lfsr = 0xace1;
        }
        let mut offset = 0u8;
        for i in 0..4 {
            let top = (lfsr ^ (lfsr >> 2) ^ (lfsr >> 3) ^ (lfsr >> 5)) & 1;
            lfsr = (lfsr >> 1) | (top << 15);
            offset |= (top as u8) << i;
        }
        let tag = choose_non_excluded((rgsr & 0xf) as u8, offset, exclude);
        let rgsr = (rgsr & !0xff_ff0f) | ((lfsr as u64) << 8) | tag as u64;
        self.sr.set(SR::RGSR_EL1, rgsr);
        tag
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_excluded_tags() {
        assert_eq!(choose_non_excluded(3, 0, 0), 3);
        assert_eq!(choose_non_excluded(3, 0, 1 << 3), 4);
        assert_eq!(choose_non_excluded(3, 2, 1 << 4), 6);
        assert_eq!(choose_non_excluded(15, 1, 1), 1, "wraps, skipping 0");
        assert_eq!(choose_non_excluded(5, 3, 0xffff), 0);
        assert_eq!(with_tag(0x0a00_0000_1234_5678, 3), 0x0300_0000_1234_5678);
        assert_eq!(ptr_tag(0xf500_0000_0000_0000), 5);
    }

    #[test]
    fn sp_based_immediate_accesses_are_unchecked() {
        let ldr_sp = 0xf94003e0; // ldr x0, [sp]
        let ldr_x1 = 0xf9400020; // ldr x0, [x1]
        let ldr_sp_pre = 0xf8410fe0; // ldr x0, [sp, #16]!
        let ldr_sp_reg = 0xf8626be0; // ldr x0, [sp, x2]
        for (raw, want) in [
            (ldr_sp, false),
            (ldr_x1, true),
            (ldr_sp_pre, true),
            (ldr_sp_reg, true),
        ] {
            assert_eq!(
                insn_tag_checked(crate::a64::decode(raw), raw),
                want,
                "{raw:#x}"
            );
        }
    }
}
