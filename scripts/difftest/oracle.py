#!/usr/bin/env python3
"""Unicorn oracle for hypsim's A64 difftest (integer and FP/SIMD).

This module owns the wire format (see README.md) and executes one input
record on Unicorn, producing one output record.  Run as a script with
``--serve`` it speaks the runner protocol on stdin/stdout, which is what
``run.py --self-check`` uses to test the harness itself.

Machine set-up for every case (identical on the hypsim side):
  * code page 0x4000_0000..0x4000_0FFF: the instruction at 0x4000_0000, the
    rest of the page zero;
  * data page 0x4000_1000..0x4000_1FFF filled by splitmix64(mem_seed);
  * EL1h (SP = SP_EL1), MMU off, NZCV from the record;
  * exactly one instruction is executed.

Unicorn notes (unicorn 2.1.4, QEMU 5 based; checked by hand, see README):
  * the CPU starts at EL1h with SCTLR_EL1.M = 0 (MMU off); PSTATE is
    rewritten for every case (0x3c5 | NZCV) so that nothing a previous case
    left behind (BTYPE after BR/BLR, DAIF, ...) survives;
  * a branch to an unmapped (or non-executable) target executes, and then
    Unicorn reports UC_ERR_FETCH_UNMAPPED (UC_ERR_FETCH_PROT) for the *next*
    fetch with PC = target: even with count=1 QEMU translates the block at
    the target before stopping.  An error
    with PC != 0x4000_0000 therefore means "the instruction completed";
    an error with PC still at 0x4000_0000 means the instruction itself
    raised an exception (UNDEFINED, data abort, alignment fault);
  * LDSMAX/LDSMIN of B/H/W write back the unsigned max/min (Unicorn bug);
    the oracle rewrites that memory value (see _fix_signed_minmax);
  * the exclusive monitor lives in the CPU state and survives between
    emu_start calls, so a CLREX (from a helper page) runs before every
    instruction of the load/store-exclusive encoding space.
"""

import ctypes
import os
import shutil
import struct
import subprocess
import sys
import zlib

from unicorn import Uc, UcError, UC_ARCH_ARM64, UC_MODE_ARM, UC_PROT_ALL, UC_PROT_READ, UC_PROT_WRITE
from unicorn import arm64_const as A

M64 = (1 << 64) - 1

PC0 = 0x4000_0000          # where the instruction lives (the code page)
CODE = 0x4000_0000
DATA = 0x4000_1000         # the 4 KiB data page
PAGE = 4096
HELPER = 0x3000_0000       # private page holding a CLREX; never used by cases

CLREX = 0xD503_3F5F
PSTATE_EL1H = 0x3C5        # EL1h, DAIF masked, everything else clear

PROTO_VERSION = 2
REC_SIZE = 800
# Input: u32 insn, u32 nzcv, u64 x[31], u64 sp, u64 mem_seed, u32 fpcr,
# u32 fpsr, u32 reserved (0), u32 version (2), 32 x 16 bytes V0..V31.
IN_REC = struct.Struct("<II31QQQIIII512s")
# Output: u32 status, u32 nzcv, u64 x[31], u64 sp, u64 pc, u32 data_crc,
# u32 fpcr, u32 fpsr, u32 version (2), 32 x 16 bytes V0..V31.
OUT_REC = struct.Struct("<II31QQQIIII512s")
assert IN_REC.size == REC_SIZE and OUT_REC.size == REC_SIZE

STATUS_OK = 0
STATUS_EXC = 1
NZCV_MASK = 0xF000_0000
# FPCR bits that cases set and that are compared: AHP 26, DN 25, FZ 24,
# RMode 23:22, FZ16 19.  FPSR: QC 27, IDC 7, IXC 4, UFC 3, OFC 2, DZC 1, IOC 0.
FPCR_MASK = 0x07C8_0000
FPSR_MASK = 0x0800_009F
CPACR_FPEN = 3 << 20

_X_REGS = [A.UC_ARM64_REG_X0 + i for i in range(29)] + [A.UC_ARM64_REG_X29, A.UC_ARM64_REG_X30]
_V_REGS = [A.UC_ARM64_REG_V0 + i for i in range(32)]
# u64-valued registers written / read per case (V0..V31 go through a
# separate 512-byte buffer).
_W_REGS = [A.UC_ARM64_REG_PSTATE, A.UC_ARM64_REG_SP] + _X_REGS + [A.UC_ARM64_REG_FPCR, A.UC_ARM64_REG_FPSR]
_R_REGS = _X_REGS + [A.UC_ARM64_REG_SP, A.UC_ARM64_REG_NZCV, A.UC_ARM64_REG_PC,
                     A.UC_ARM64_REG_FPCR, A.UC_ARM64_REG_FPSR]


# --------------------------------------------------------------------------
# Data page contents (shared with the generators, which need to know memory
# to make CAS compare values equal to it).
# --------------------------------------------------------------------------

_PAGE_FMT = struct.Struct("<512Q")


def make_page(seed):
    """splitmix64 fill of the data page: 512 little-endian u64 words."""
    s = seed & M64
    words = []
    for _ in range(512):
        s = (s + 0x9E3779B97F4A7C15) & M64
        z = s
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
        words.append(z ^ (z >> 31))
    return _PAGE_FMT.pack(*words)


_page_cache = {}


def page(seed):
    """(page bytes, crc32) for mem_seed, cached."""
    p = _page_cache.get(seed)
    if p is None:
        if len(_page_cache) > 8192:
            _page_cache.clear()
        b = make_page(seed)
        p = (b, zlib.crc32(b))
        _page_cache[seed] = p
    return p


# --------------------------------------------------------------------------
# The oracle
# --------------------------------------------------------------------------

def _fast_lib():
    """The binding's ctypes handle on libunicorn, if this binding exposes it.

    Calling uc_reg_write_batch & co. directly with preallocated ctypes arrays
    is ~3x faster than the generic Python wrappers.  Falls back to the
    public API when the internals differ."""
    try:
        from unicorn.unicorn_py3.unicorn import uclib  # unicorn >= 2.1
        for f in ("uc_reg_write_batch", "uc_reg_read_batch", "uc_emu_start", "uc_mem_write"):
            getattr(uclib, f)
        return uclib
    except Exception:
        return None


class Oracle:
    def __init__(self, fast=True):
        uc = Uc(UC_ARCH_ARM64, UC_MODE_ARM)
        self.cpu_model = "default"
        try:
            # Must be set before anything instantiates the vCPU.
            uc.ctl_set_cpu_model(A.UC_CPU_ARM64_MAX)
            self.cpu_model = "max"
        except (UcError, AttributeError):
            pass
        uc.mem_map(CODE, PAGE, UC_PROT_ALL)
        self.data = ctypes.create_string_buffer(PAGE)
        # Not executable: a branch into the data page must not make QEMU
        # translate the random words there (some of them trip an assertion
        # in QEMU's A64 translator and abort the whole process); the fetch
        # then fails with UC_ERR_FETCH_PROT after the branch completed.
        uc.mem_map_ptr(DATA, PAGE, UC_PROT_READ | UC_PROT_WRITE, ctypes.addressof(self.data))
        uc.mem_map(HELPER, PAGE, UC_PROT_ALL)
        uc.mem_write(HELPER, struct.pack("<I", CLREX))
        # FP/SIMD enabled at EL1 (CPACR_EL1.FPEN = 0b11).  Unicorn 2.1.4
        # resets it to 0 but does not trap anyway; no case writes it.
        uc.reg_write(A.UC_ARM64_REG_CPACR_EL1, CPACR_FPEN)
        self.uc = uc
        self.cur_seed = None      # seed whose page is in self.data ...
        self.clean = False        # ... and whether it is still unmodified
        self.code = ctypes.create_string_buffer(4)

        lib = _fast_lib() if fast else None
        self.lib = lib
        if lib is not None:
            self.uch = uc._uch
            nw, nr = len(_W_REGS), len(_R_REGS)
            self.w_ids = (ctypes.c_int * nw)(*_W_REGS)
            self.w_vals = (ctypes.c_uint64 * nw)()
            base = ctypes.addressof(self.w_vals)
            self.w_ptrs = (ctypes.c_void_p * nw)(*[base + 8 * i for i in range(nw)])
            self.r_ids = (ctypes.c_int * nr)(*_R_REGS)
            self.r_vals = (ctypes.c_uint64 * nr)()
            base = ctypes.addressof(self.r_vals)
            self.r_ptrs = (ctypes.c_void_p * nr)(*[base + 8 * i for i in range(nr)])
            self.nw, self.nr = nw, nr
            # V0..V31: one 512-byte buffer, written and read as a batch.
            self.vbuf = ctypes.create_string_buffer(512)
            vb = ctypes.addressof(self.vbuf)
            self.v_ids = (ctypes.c_int * 32)(*_V_REGS)
            self.v_ptrs = (ctypes.c_void_p * 32)(*[vb + 16 * i for i in range(32)])

    # -- helpers ----------------------------------------------------------

    def _load_page(self, seed):
        if seed != self.cur_seed or not self.clean:
            ctypes.memmove(self.data, page(seed)[0], PAGE)
            self.cur_seed = seed
            self.clean = True

    def _after_page(self):
        """crc32 of the data page now; tracks whether it is still pristine."""
        crc = zlib.crc32(self.data)
        if crc != page(self.cur_seed)[1] or self.data.raw != page(self.cur_seed)[0]:
            self.clean = False
        return crc

    def _exec(self, insn, nzcv, x, sp, v, fpcr, fpsr):
        """Set up registers, execute, return (err or None, regs tuple,
        V0..V31 as 512 bytes)."""
        if self.lib is not None:
            lib, uch = self.lib, self.uch
            struct.pack_into("<I", self.code, 0, insn)
            lib.uc_mem_write(uch, CODE, self.code, 4)
            vals = self.w_vals
            vals[0] = PSTATE_EL1H | (nzcv & NZCV_MASK)
            vals[1] = sp
            vals[2:33] = x
            vals[33] = fpcr & FPCR_MASK
            vals[34] = fpsr & FPSR_MASK
            lib.uc_reg_write_batch(uch, self.w_ids, self.w_ptrs, self.nw)
            ctypes.memmove(self.vbuf, v, 512)
            lib.uc_reg_write_batch(uch, self.v_ids, self.v_ptrs, 32)
            if (insn >> 24) & 0x3F == 0x08:
                lib.uc_emu_start(uch, HELPER, HELPER + 4, 0, 1)
            err = lib.uc_emu_start(uch, PC0, PC0 + 4, 0, 1)
            lib.uc_reg_read_batch(uch, self.r_ids, self.r_ptrs, self.nr)
            lib.uc_reg_read_batch(uch, self.v_ids, self.v_ptrs, 32)
            return err, self.r_vals[:], self.vbuf.raw
        uc = self.uc
        uc.mem_write(CODE, struct.pack("<I", insn))
        uc.reg_write_batch(list(zip(_W_REGS, [PSTATE_EL1H | (nzcv & NZCV_MASK), sp] + list(x)
                                    + [fpcr & FPCR_MASK, fpsr & FPSR_MASK])))
        for i in range(32):
            uc.reg_write(_V_REGS[i], int.from_bytes(v[16 * i:16 * i + 16], "little"))
        if (insn >> 24) & 0x3F == 0x08:
            uc.emu_start(HELPER, HELPER + 4, 0, 1)
        err = 0
        try:
            uc.emu_start(PC0, PC0 + 4, 0, 1)
        except UcError as e:
            err = e.errno
        vout = b"".join(uc.reg_read(r).to_bytes(16, "little") for r in _V_REGS)
        return err, list(uc.reg_read_batch(_R_REGS)), vout

    def _fix_signed_minmax(self, insn, x, sp):
        """Work around a Unicorn 2.1.4 bug: LDSMAX*/LDSMIN* (and STSMAX/
        STSMIN) of bytes, halfwords and words compare the operands without
        sign-extending them (QEMU's non-atomic min/max helpers dropped
        MO_SIGN; fixed upstream by "tcg: Fix do_nonatomic_op_* vs signed
        operations"), so the value written back to memory is the *unsigned*
        max/min.  The register result (the old memory value) is right.
        Rewrite the memory word with the architected value:
        Mem = SignedMax/Min(SInt(old), SInt(Rs<size-1:0>))."""
        size = insn >> 30
        n = 1 << size
        rn, rs = (insn >> 5) & 31, (insn >> 16) & 31
        addr = sp if rn == 31 else x[rn]
        off = addr - DATA
        if not 0 <= off <= PAGE - n:
            return
        bits = 8 * n
        sign = 1 << (bits - 1)
        mask = (1 << bits) - 1
        old = int.from_bytes(page(self.cur_seed)[0][off:off + n], "little")
        ws = 0 if rs == 31 else x[rs] & mask
        a, b = (old ^ sign) - sign, (ws ^ sign) - sign
        new = (min(a, b) if (insn >> 12) & 1 else max(a, b)) & mask
        ctypes.memmove(ctypes.addressof(self.data) + off, new.to_bytes(n, "little"), n)

    # -- public -----------------------------------------------------------

    def run_fields(self, insn, nzcv, x, sp, seed, v, fpcr, fpsr):
        """Execute one case (v: V0..V31 as 512 bytes); returns
        (status, nzcv, x[31], sp, pc, crc, fpcr, fpsr, v, err)."""
        self._load_page(seed)
        err, r, vout = self._exec(insn, nzcv, x, sp, v, fpcr, fpsr)
        pc = r[33]
        # An error with the PC moved = the instruction (a branch) completed
        # and Unicorn failed fetching the next one at the branch target.
        if err and pc == PC0:
            self._after_page()
            return STATUS_EXC, 0, [0] * 31, 0, 0, 0, 0, 0, bytes(512), err
        # LDSMAX/LDSMIN/STSMAX/STSMIN, size B/H/W (see _fix_signed_minmax)
        if (insn & 0x3F20EC00) == 0x38204000 and insn >> 30 != 3:
            self._fix_signed_minmax(insn, x, sp)
        crc = self._after_page()
        return (STATUS_OK, r[32] & NZCV_MASK, r[:31], r[31], pc, crc,
                r[34] & FPCR_MASK, r[35] & FPSR_MASK, vout, err)

    def run_record(self, rec, off=0):
        v = IN_REC.unpack_from(rec, off)
        return self.out_record(self.run_fields(v[0], v[1], v[2:33], v[33], v[34], v[39], v[35], v[36]))

    @staticmethod
    def out_record(res):
        st, nzcv, x, sp, pc, crc, fpcr, fpsr, vout, _ = res
        return OUT_REC.pack(st, nzcv, *x, sp, pc, crc, fpcr, fpsr, PROTO_VERSION, vout)

    def run_many(self, buf):
        """buf holds whole input records; returns the concatenated outputs."""
        n = len(buf) // REC_SIZE
        unpack, out_record, run = IN_REC.unpack_from, self.out_record, self.run_fields
        out = []
        for i in range(n):
            v = unpack(buf, i * REC_SIZE)
            if v[38] != PROTO_VERSION:
                raise ValueError("input record has protocol version %d, expected %d" % (v[38], PROTO_VERSION))
            out.append(out_record(run(v[0], v[1], v[2:33], v[33], v[34], v[39], v[35], v[36])))
        return b"".join(out)

    def page_after(self, rec):
        """Run one record and return (data page before, data page after)."""
        v = IN_REC.unpack_from(rec, 0)
        self.run_fields(v[0], v[1], v[2:33], v[33], v[34], v[39], v[35], v[36])
        return page(v[34])[0], self.data.raw


# --------------------------------------------------------------------------
# The QEMU oracle (README, "QEMU oracle"): qemu-aarch64 running
# qemu-harness.c, for the FP/SIMD forms that Unicorn gets wrong
# --------------------------------------------------------------------------

HERE = os.path.dirname(os.path.abspath(__file__))
QEMU_HARNESS_SRC = os.path.join(HERE, "qemu-harness.c")


def qemu_harness_path():
    """Where the harness binary is built: $CARGO_TARGET_DIR (default
    <repo>/target)/difftest/qemu-harness."""
    target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(HERE, "..", "..", "target")
    return os.path.normpath(os.path.join(target, "difftest", "qemu-harness"))


def qemu_tools():
    """(qemu-aarch64, cross gcc) paths; None for what is missing."""
    qemu = shutil.which("qemu-aarch64") or shutil.which("qemu-aarch64-static")
    cc = shutil.which(os.environ.get("CROSS_COMPILE", "aarch64-linux-gnu-") + "gcc")
    return qemu, cc


def build_qemu_harness(cc):
    """Build the harness if it is missing or older than its source (static,
    so qemu-aarch64 needs no sysroot).  Returns its path."""
    out = qemu_harness_path()
    if os.path.exists(out) and os.path.getmtime(out) >= os.path.getmtime(QEMU_HARNESS_SRC):
        return out
    os.makedirs(os.path.dirname(out), exist_ok=True)
    tmp = "%s.%d.tmp" % (out, os.getpid())
    subprocess.run([cc, "-static", "-O2", "-Wall", "-Wextra", "-Werror", "-o", tmp, QEMU_HARNESS_SRC],
                   check=True)
    os.replace(tmp, out)
    return out


class QemuOracle:
    """Runs batches of input records in one qemu-aarch64 -cpu max process
    each (the harness executes each record's word once and answers with an
    output record).  Only for FP/SIMD register-to-register words (and
    FJCVTZS W8): X8 is loaded and saved, the other X registers, SP and the
    data page are not set up, the output copies them and this class fills in
    the CRC of the untouched data page."""

    cpu_model = "max"

    def __init__(self, qemu, harness, timeout=300):
        self.cmd = [qemu, "-cpu", "max", harness]
        self.timeout = timeout

    def run_records(self, recs):
        """Output records (bytes) for a list of input records."""
        if not recs:
            return []
        p = subprocess.run(self.cmd, input=b"".join(recs), stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=self.timeout)
        if p.returncode != 0 or len(p.stdout) != REC_SIZE * len(recs):
            raise RuntimeError("%s: exit status %d, %d bytes for %d records: %s"
                               % (" ".join(self.cmd), p.returncode, len(p.stdout), len(recs),
                                  p.stderr.decode("utf-8", "replace")[-2000:]))
        out = []
        for i, rec in enumerate(recs):
            o = bytearray(p.stdout[i * REC_SIZE:(i + 1) * REC_SIZE])
            struct.pack_into("<I", o, 272, page(IN_REC.unpack_from(rec, 0)[34])[1])
            out.append(bytes(o))
        return out

    def page_after(self, rec):
        b = page(IN_REC.unpack_from(rec, 0)[34])[0]
        return b, b


def serve(inp=0, outp=1):
    """Runner protocol on fds: answer every complete record as it arrives."""
    orc = Oracle()
    pending = b""
    while True:
        chunk = os.read(inp, 1 << 20)
        if not chunk:
            break
        pending += chunk
        n = len(pending) // REC_SIZE
        if n == 0:
            continue
        res = memoryview(orc.run_many(pending[: n * REC_SIZE]))
        pending = pending[n * REC_SIZE:]
        while res:
            w = os.write(outp, res)
            res = res[w:]
    if pending:
        sys.stderr.write("oracle: %d trailing bytes (partial record)\n" % len(pending))
        return 1
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--serve"]:
        sys.exit(serve())
    sys.stderr.write("usage: oracle.py --serve   (runner protocol on stdin/stdout)\n")
    sys.exit(2)
