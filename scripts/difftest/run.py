#!/usr/bin/env python3
"""Differential test of hypsim's A64 semantics (integer and FP/SIMD) against
Unicorn (and, for the forms Unicorn gets wrong, QEMU user mode).

  python3 scripts/difftest/run.py --runner "target/release/hypsim-difftest" \
      [--cases N] [--seed S] [--families ci|int|fp|qemu|all] [--class NAME ...]
      [--jobs J] [--self-check] [--scale NAME=F ...]
      [--min-per-insn N] [--per-insn-report FILE] [--require-qemu]

For every instruction class, N random single-instruction cases are
generated (classes.py), executed on Unicorn (oracle.py) -- or, for the
QEMU classes (QEMU_CLASSES), on qemu-aarch64 running qemu-harness.c
(oracle.QemuOracle) -- and streamed to the runner over its stdin (binary
protocol, README.md); the runner's results are read back from its stdout
and compared field by field.

Prints one line per class, details of the first 5 mismatches of a class,
a per-instruction (capstone mnemonic) summary of its mismatches, and
finally "N passed, M failed" (counting classes).  Exit status 1 if any
class mismatched or the runner crashed / broke the protocol.

Per-instruction accounting: every case is named by the row of hypsim's
decode tables (cpu/src/a64/*.insn) that its word decodes to
(insn_table.py; "(unallocated)" when none does).  Each class line is
followed by the least-covered instruction of the class; --per-insn-report
writes the whole table (class, instruction, cases).  With --min-per-insn
N, a class fails if an instruction it generated got fewer than N cases.  --scale
NAME=F runs F times --cases for that class (CI uses it for the classes
that spread over many instructions).
"""

import argparse
import collections
import multiprocessing
import os
import queue
import re
import shlex
import struct
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import classes  # noqa: E402
import insn_table  # noqa: E402
import oracle  # noqa: E402
from oracle import IN_REC, OUT_REC, REC_SIZE, NZCV_MASK, PROTO_VERSION  # noqa: E402

MAX_REPORTED = 5
CHUNK = 2048
# Classes that need FEAT_LSE / FEAT_LRCPC / FEAT_FlagM / FEAT_SHA512 /
# FEAT_SHA3 / FEAT_FRINTTS / FEAT_FCMA / FEAT_FHM, i.e. Unicorn's "max" CPU
# model; dropped (with a note) if the binding cannot select it.
NEEDS_MAX = {"flagm", "acqrel", "atomics", "crypto_sha512", "crypto_sha3",
             "fp_frintts", "simd_fcma", "simd_fhm"}

REG_FIELDS = (("Rd/Rt", 0), ("Rn", 5), ("Ra/Rt2", 10), ("Rm/Rs", 16))

# Class groups.  INT_CLASSES and FP_SIMD_CLASSES partition classes.CLASSES.
INT_CLASSES = list(classes.INT_CLASSES)
FP_SIMD_CLASSES = list(classes.FP_SIMD_CLASSES)
# What CI runs by default (--families ci): every integer class plus the
# FP/SIMD classes that pass against hypsim today.  Add a class of
# FP_SIMD_CLASSES to FP_SIMD_PASSING once its family is implemented in the
# core and `run.py --class NAME` shows 0 mismatches.
FP_SIMD_PASSING = [
    "fp_arith", "fp_cmp", "fp_cvt", "fp_minmax_recip",
    "simd_ldst", "simd_mov", "simd_3diff", "simd_permute",
    "simd_3same", "simd_2misc", "simd_by_elem", "simd_across", "simd_shift_imm", "simd_rdm",
    "simd_dot", "fp_frintts", "simd_fcma", "simd_fhm",
    "crypto_aes_sha", "crypto_sha512", "crypto_sha3",
]
# Classes checked against QEMU user mode (oracle.QemuOracle) instead of
# Unicorn: the FP/SIMD forms Unicorn 2.1.4 gets wrong (README, "QEMU oracle").
QEMU_CLASSES = list(classes.QEMU_CLASSES)
CI_CLASSES = INT_CLASSES + FP_SIMD_PASSING + QEMU_CLASSES
FAMILIES = {
    "ci": CI_CLASSES,
    "int": INT_CLASSES,
    "fp": FP_SIMD_CLASSES,
    "qemu": QEMU_CLASSES,
    "all": INT_CLASSES + FP_SIMD_CLASSES + QEMU_CLASSES,
}
MNEMONIC_LINES = 20


# --------------------------------------------------------------------------
# Reporting helpers
# --------------------------------------------------------------------------

_cs = None


def disasm(insn):
    global _cs
    try:
        if _cs is None:
            import capstone
            _cs = capstone.Cs(capstone.CS_ARCH_ARM64, capstone.CS_MODE_ARM)
        for i in _cs.disasm(struct.pack("<I", insn), oracle.PC0):
            return ("%s %s" % (i.mnemonic, i.op_str)).strip()
        return "<no disassembly>"
    except Exception as e:  # capstone missing or too old
        return "<capstone: %s>" % e


_REG_RE = re.compile(r"\b(?:[xw](\d+)|(fp)|(lr))\b")
_VREG_RE = re.compile(r"\b[vqdshb](\d+)\b")


def operand_regs(insn):
    """General registers named in the disassembly (in order, no ZR/SP), or
    None when capstone cannot decode the word."""
    text = disasm(insn)
    if text.startswith("<"):
        return None
    out = []
    for m in _REG_RE.finditer(text):
        r = int(m.group(1)) if m.group(1) else (29 if m.group(2) else 30)
        if r < 31 and r not in out:
            out.append(r)
    return out


def normalize(rec):
    """Comparable view of an output record: only the status when the
    instruction took an exception; reserved fields and PSTATE bits other
    than NZCV never count."""
    v = OUT_REC.unpack(rec)
    if v[0] != oracle.STATUS_OK:
        return (v[0],)
    vr = v[39]
    return ((v[0], v[1] & NZCV_MASK) + v[2:36] + (v[36] & oracle.FPCR_MASK, v[37] & oracle.FPSR_MASK)
            + tuple(vr[16 * i:16 * i + 16] for i in range(32)))


def field_names():
    return (["status", "nzcv"] + ["x%d" % i for i in range(31)] + ["sp", "pc", "data_crc", "fpcr", "fpsr"]
            + ["v%d" % i for i in range(32)])


def _vhex(b):
    return "0x%032x" % int.from_bytes(b, "little")


_SHAPE_RE = re.compile(r"^\s*(?:\{\s*)?(?:v\d+(\.\d*[bhsdq])|([bhsdqwx])\d+)")


def mnemonic_key(insn):
    """Grouping key for mismatch summaries: capstone mnemonic plus the shape
    of the first operand (arrangement like .4s, or the scalar register
    letter), e.g. "fadd .4s" or "fcvtzs s"."""
    text = disasm(insn)
    if text.startswith("<"):
        return "<undecodable by capstone>"
    parts = text.split(None, 1)
    key = parts[0]
    if len(parts) > 1:
        m = _SHAPE_RE.match(parts[1])
        if m:
            key += " " + (m.group(1) or m.group(2))
    return key

def describe(inrec, exp, got, orc):
    """Text block for one mismatch."""
    v = IN_REC.unpack(inrec)
    insn, nzcv, x, sp, seed = v[0], v[1], v[2:33], v[33], v[34]
    fpcr, fpsr, vin = v[35], v[36], v[39]
    out = ["  mismatch: insn 0x%08x  %s" % (insn, disasm(insn))]
    pre = []
    regs = operand_regs(insn)
    if regs is None:  # no disassembly (UNDEFINED encoding): use the usual fields
        seen = set()
        for name, sh in REG_FIELDS:
            rnum = (insn >> sh) & 31
            if rnum not in seen:
                seen.add(rnum)
                pre.append("%s=%s" % (name, "X%d:0x%x" % (rnum, x[rnum]) if rnum < 31 else "31"))
    else:
        pre += ["X%d=0x%x" % (r, x[r]) for r in regs]
    pre.append("SP=0x%x" % sp)
    pre.append("NZCV=%x" % (nzcv >> 28))
    pre.append("FPCR=0x%x FPSR=0x%x" % (fpcr, fpsr))
    pre.append("mem_seed=0x%x" % seed)
    out.append("    pre: " + " ".join(pre))
    text = disasm(insn)
    vregs = []
    if not text.startswith("<"):
        for m in _VREG_RE.finditer(text.split(None, 1)[1] if " " in text else ""):
            r = int(m.group(1))
            if r < 32 and r not in vregs:
                vregs.append(r)
    if vregs:
        out.append("    pre: " + " ".join("V%d=%s" % (r, _vhex(vin[16 * r:16 * r + 16])) for r in vregs))
    e, g = normalize(exp), normalize(got)
    if e[0] != g[0] or len(e) == 1:
        out.append("    status: expected %d got %d" % (OUT_REC.unpack(exp)[0], OUT_REC.unpack(got)[0]))
    else:
        for name, a, b in zip(field_names(), e, g):
            if a != b:
                if name == "nzcv":
                    out.append("    nzcv: expected %x got %x" % (a >> 28, b >> 28))
                elif name.startswith("v"):
                    out.append("    %s: expected %s got %s" % (name, _vhex(a), _vhex(b)))
                else:
                    out.append("    %s: expected 0x%x got 0x%x" % (name, a, b))
        if e[35] != g[35]:
            before, after = orc.page_after(inrec)
            ch = ["0x%x: %016x->%016x" % (oracle.DATA + o,
                                          int.from_bytes(before[o:o + 8], "little"),
                                          int.from_bytes(after[o:o + 8], "little"))
                  for o in range(0, oracle.PAGE, 8) if before[o:o + 8] != after[o:o + 8]]
            out.append("    expected data page changes: " + (", ".join(ch[:4]) if ch else "none"))
    return "\n".join(out)


# --------------------------------------------------------------------------
# Runner process plumbing
# --------------------------------------------------------------------------

class RunnerError(Exception):
    pass


class Runner:
    """The runner subprocess, fed by a writer thread and drained by a reader
    thread, so neither side can deadlock on a full pipe and the runner
    works while this process generates/executes the next chunk."""

    def __init__(self, cmd, timeout):
        self.cmd = cmd
        self.timeout = timeout
        self.errf = tempfile.TemporaryFile()
        try:
            self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=self.errf, bufsize=0)
        except OSError as e:
            raise RunnerError("cannot start runner %r: %s" % (" ".join(cmd), e))
        self.wq = queue.Queue()
        self.rq = queue.Queue()
        self.write_error = None
        self.pending = bytearray()
        self.eof = False
        self.closed = False
        self.wt = threading.Thread(target=self._writer, daemon=True)
        self.rt = threading.Thread(target=self._reader, daemon=True)
        self.wt.start()
        self.rt.start()

    def _writer(self):
        f = self.proc.stdin
        try:
            for data in iter(self.wq.get, None):
                mv = memoryview(data)
                while mv:
                    n = f.write(mv)
                    mv = mv[n:]
        except (BrokenPipeError, OSError) as e:
            self.write_error = e
        finally:
            try:
                f.close()
            except OSError:
                pass

    def _reader(self):
        fd = self.proc.stdout.fileno()
        try:
            while True:
                b = os.read(fd, 1 << 20)
                if not b:
                    break
                self.rq.put(b)
        finally:
            self.rq.put(None)

    def send(self, data):
        self.wq.put(data)

    def close_input(self):
        """EOF on the runner's stdin once everything queued is written."""
        if not self.closed:
            self.closed = True
            self.wq.put(None)

    def recv(self, nbytes):
        deadline = time.monotonic() + self.timeout
        while len(self.pending) < nbytes and not self.eof:
            left = deadline - time.monotonic()
            try:
                b = self.rq.get(timeout=max(left, 0.01))
            except queue.Empty:
                if time.monotonic() >= deadline:
                    raise RunnerError("runner produced no result for %d s (hung?)" % self.timeout)
                continue
            if b is None:
                self.eof = True
            else:
                self.pending += b
        if len(self.pending) < nbytes:
            raise RunnerError("runner closed its stdout after %d of %d expected bytes"
                              % (len(self.pending), nbytes) + self._exit_note())
        out = bytes(self.pending[:nbytes])
        del self.pending[:nbytes]
        return out

    def _exit_note(self):
        try:
            rc = self.proc.wait(timeout=5)
            return " (exit status %s)" % rc
        except subprocess.TimeoutExpired:
            return ""

    def finish(self):
        """Close stdin, wait for exit; complain about extra output / bad exit."""
        self.close_input()
        self.wt.join(self.timeout)
        try:
            rc = self.proc.wait(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise RunnerError("runner did not exit after EOF on stdin")
        self.rt.join(5)
        while True:
            try:
                b = self.rq.get_nowait()
            except queue.Empty:
                break
            if b:
                self.pending += b
        if self.pending:
            raise RunnerError("runner wrote %d bytes more than the expected results" % len(self.pending))
        if rc != 0:
            raise RunnerError("runner exited with status %d" % rc)

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def stderr_tail(self, limit=4000):
        try:
            self.errf.seek(0)
            data = self.errf.read()
        except OSError:
            return ""
        text = data.decode("utf-8", "replace")
        return text[-limit:]


# --------------------------------------------------------------------------
# One class
# --------------------------------------------------------------------------

def run_class(job):
    name, ncases, seed, cmd, timeout, qemu = job
    t0 = time.monotonic()
    fn = classes.CLASSES[name]
    g = classes.make_gen(name, seed)
    # qemu: (qemu-aarch64, harness) for the QEMU classes, else None (Unicorn)
    orc = oracle.QemuOracle(*qemu) if qemu else oracle.Oracle()
    res = {"name": name, "cases": 0, "mismatches": 0, "reports": [], "error": None,
           "exceptions": 0, "spec_disagree": 0, "spec_reports": []}
    pack = IN_REC.pack
    run = None if qemu else orc.run_fields
    out_record = None if qemu else orc.out_record
    full = g.full_case
    mnem = collections.Counter()       # mnemonic key -> mismatches
    per_insn = collections.Counter()   # decode row name -> cases
    insn_name = insn_table.name
    mnem_exc = collections.Counter()   # ... of which hypsim raised an exception only
    runner = None
    try:
        runner = Runner(cmd, timeout)
        # Pipelined: chunk k+1 is already on its way to the runner while the
        # results of chunk k are awaited, and stdin is closed right after the
        # last chunk.  So a runner that buffers up to CHUNK results before
        # flushing cannot deadlock against us (one that holds everything
        # until EOF would), and it works while we generate and run the oracle.
        inflight = collections.deque()
        generated = 0
        checked_version = False

        def produce():
            nonlocal generated
            m = min(CHUNK, ncases - generated)
            # full case: (insn, x, nzcv, sp, seed, undef, vbytes, fpcr, fpsr)
            cases = [full(fn(g)) for _ in range(m)]
            per_insn.update(insn_name(c[0]) for c in cases)
            recs = [pack(c[0], c[2], *c[1], c[3], c[4], c[7], c[8], 0, PROTO_VERSION, c[6]) for c in cases]
            runner.send(b"".join(recs))
            generated += m
            if generated >= ncases:
                runner.close_input()
            inflight.append((cases, recs))

        if ncases > 0:
            produce()
        else:
            runner.close_input()
        while inflight:
            if generated < ncases:
                produce()
            cases, recs = inflight.popleft()
            m = len(cases)
            if qemu:
                exp = orc.run_records(recs)
                sts = [struct.unpack_from("<I", e, 0)[0] for e in exp]
            else:
                exp, sts = [], []
                for c in cases:
                    rr = run(c[0], c[2], c[1], c[3], c[4], c[6], c[7], c[8])
                    sts.append(rr[0])
                    exp.append(out_record(rr))
            for c, st in zip(cases, sts):
                if st:
                    res["exceptions"] += 1
                if c[5] is not None and bool(st) != bool(c[5]):
                    res["spec_disagree"] += 1
                    if len(res["spec_reports"]) < 3:
                        res["spec_reports"].append(
                            "  oracle/spec: insn 0x%08x  %s: %s %s, the generator expects %s"
                            % (c[0], disasm(c[0]), "QEMU" if qemu else "Unicorn",
                               "faulted" if st else "completed",
                               "UNDEFINED" if c[5] else "completion"))
            got = runner.recv(m * REC_SIZE)
            if not checked_version and m:
                ver = OUT_REC.unpack_from(got, 0)[38]
                if ver != PROTO_VERSION:
                    raise RunnerError("runner answered with protocol version %d, expected %d"
                                      % (ver, PROTO_VERSION))
                checked_version = True
            if b"".join(exp) != got:
                for i in range(m):
                    gr = got[i * REC_SIZE:(i + 1) * REC_SIZE]
                    if normalize(exp[i]) != normalize(gr):
                        res["mismatches"] += 1
                        key = mnemonic_key(cases[i][0])
                        mnem[key] += 1
                        if exp[i][0] == oracle.STATUS_OK and gr[0] != oracle.STATUS_OK:
                            mnem_exc[key] += 1
                        if len(res["reports"]) < MAX_REPORTED:
                            res["reports"].append(describe(recs[i], exp[i], gr, orc))
            res["cases"] += m
        runner.finish()
    except RunnerError as e:
        res["error"] = str(e) + "\n  runner stderr:\n" + "\n".join(
            "    " + l for l in runner.stderr_tail().splitlines()) if runner else str(e)
    except Exception as e:  # a bug here must not look like a pass
        import traceback
        res["error"] = "harness error: %s\n%s" % (e, traceback.format_exc())
    finally:
        if runner is not None:
            runner.kill()
    res["time"] = time.monotonic() - t0
    res["mnemonics"] = [(k, n, mnem_exc[k]) for k, n in mnem.most_common()]
    res["per_insn"] = dict(per_insn)
    return res


def _child(job, q):
    q.put(run_class(job))


def run_jobs(jobs, njobs):
    """Run classes in up to `njobs` processes, one process per class, and
    yield results as they come.  A process that dies without a result (the
    QEMU inside Unicorn aborts on some unallocated encodings, see
    fpsimd.py "QEMU-ABORT") becomes an error result for its class instead
    of hanging the run."""
    ctx = multiprocessing.get_context("fork")
    q = ctx.Queue()
    todo = list(jobs)
    running = {}                      # name -> (process, job)
    while todo or running:
        while todo and len(running) < max(1, njobs):
            job = todo.pop(0)
            p = ctx.Process(target=_child, args=(job, q), daemon=True)
            p.start()
            running[job[0]] = p
        try:
            r = q.get(timeout=1.0)
        except queue.Empty:
            for name, p in list(running.items()):
                if not p.is_alive():
                    # one more look: the result may have been queued just now
                    try:
                        r = q.get(timeout=2.0)
                    except queue.Empty:
                        del running[name]
                        yield {"name": name, "cases": 0, "mismatches": 0, "reports": [],
                               "error": "oracle/harness process died (exit status %s); Unicorn "
                                        "aborts on some unallocated encodings (QEMU-ABORT)"
                                        % p.exitcode,
                               "exceptions": 0, "spec_disagree": 0, "spec_reports": [],
                               "time": 0.0, "per_insn": {}}
                        break
                    running.pop(r["name"]).join()
                    yield r
                    break
            continue
        running.pop(r["name"]).join()
        yield r


def insn_counts(r):
    """(instruction, cases) of a result, fewest first, "(unallocated)" left
    out (it is not an instruction)."""
    return sorted(((k, n) for k, n in r.get("per_insn", {}).items() if k != insn_table.UNALLOCATED),
                  key=lambda kn: (kn[1], kn[0]))


def below_min(r, min_per_insn):
    """Instructions of result `r` with fewer than `min_per_insn` cases."""
    return [(k, n) for k, n in insn_counts(r) if n < min_per_insn]


def format_result(r, min_per_insn=0):
    rate = r["cases"] / r["time"] if r["time"] > 0 else 0.0
    exc = 100.0 * r["exceptions"] / r["cases"] if r["cases"] else 0.0
    lines = ["class %s: %d cases, %d mismatches, %.2f s  (%.0f cases/s, %.1f%% exceptions)"
             % (r["name"], r["cases"], r["mismatches"], r["time"], rate, exc)]
    lines += r["reports"]
    mn = r.get("mnemonics") or []
    if mn:
        lines.append("  mismatches by instruction (capstone mnemonic + first operand shape; "
                     "'exc' = only hypsim raised an exception, e.g. not implemented):")
        for k, n, ne in mn[:MNEMONIC_LINES]:
            lines.append("    %-24s %7d%s" % (k, n, ("  (exc %d)" % ne) if ne else ""))
        if len(mn) > MNEMONIC_LINES:
            rest = sum(n for _, n, _ in mn[MNEMONIC_LINES:])
            lines.append("    ... %d more keys, %d mismatches" % (len(mn) - MNEMONIC_LINES, rest))
    if r["spec_disagree"]:
        lines.append("  warning: Unicorn disagrees with the generator's UNDEFINED/valid decode in %d cases"
                     % r["spec_disagree"])
        lines += r["spec_reports"]
    ic = insn_counts(r)
    if ic:
        line = "  per instruction: %d instructions, fewest %s (%d)" % (len(ic), ic[0][0], ic[0][1])
        un = r["per_insn"].get(insn_table.UNALLOCATED, 0)
        if un:
            line += ", %d unallocated" % un
        low = below_min(r, min_per_insn) if min_per_insn else []
        if low:
            shown = ", ".join("%s (%d)" % kn for kn in low[:8]) + (" ..." if len(low) > 8 else "")
            line += "\n  FAIL: %d below --min-per-insn %d: %s" % (len(low), min_per_insn, shown)
        lines.append(line)
    if r["error"]:
        lines.append("  ERROR: " + r["error"].rstrip())
    return "\n".join(lines)


def write_per_insn(path, results):
    """The per-instruction table: one line per (class, instruction)."""
    out = ["# class\tinstruction\tcases"]
    for r in sorted(results, key=lambda r: r["name"]):
        for k, n in sorted(r.get("per_insn", {}).items()):
            out.append("%s\t%s\t%d" % (r["name"], k, n))
    text = "\n".join(out) + "\n"
    if path == "-":
        sys.stdout.write(text)
    else:
        with open(path, "w") as f:
            f.write(text)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runner", help="runner command line (split like a shell would)")
    ap.add_argument("--cases", type=int, default=100000, help="cases per class (default 100000)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--class", dest="classes", action="append", metavar="NAME",
                    help="only this class (repeatable; overrides --families)")
    ap.add_argument("--families", default="ci", metavar="LIST",
                    help="comma-separated class groups: ci (default: CI_CLASSES = integer + FP/SIMD "
                         "classes that pass + QEMU classes), int, fp (FP_SIMD_CLASSES), "
                         "qemu (QEMU_CLASSES), all")
    ap.add_argument("--jobs", type=int, default=2, help="classes run in parallel (default 2)")
    ap.add_argument("--self-check", action="store_true",
                    help="use the Unicorn oracle as the runner too (tests the harness)")
    ap.add_argument("--timeout", type=float, default=120.0,
                    help="seconds to wait for a chunk of results before declaring the runner hung")
    ap.add_argument("--list", action="store_true", help="list the classes and exit")
    ap.add_argument("--require-qemu", action="store_true",
                    help="fail instead of dropping the QEMU classes when qemu-aarch64 or the "
                         "AArch64 cross compiler is missing (CI)")
    ap.add_argument("--scale", action="append", default=[], metavar="NAME=F",
                    help="run F x --cases for class NAME (repeatable)")
    ap.add_argument("--min-per-insn", type=int, default=0, metavar="N",
                    help="fail a class if an instruction it generated got fewer than N cases")
    ap.add_argument("--per-insn-report", metavar="FILE",
                    help="write the per-instruction case counts (class, instruction, cases) "
                         "to FILE ('-' = stdout)")
    a = ap.parse_args(argv)

    if a.list:
        for n, f in classes.CLASSES.items():
            grp = ("int" if n in INT_CLASSES else "qemu, in CI" if n in QEMU_CLASSES
                   else "fp, in CI" if n in CI_CLASSES else "fp")
            print("%-16s [%s] %s" % (n, grp, (f.__doc__ or "").strip().splitlines()[0]))
        return 0
    if a.self_check:
        cmd = [sys.executable, os.path.join(HERE, "oracle.py"), "--serve"]
    elif a.runner:
        cmd = shlex.split(a.runner)
    else:
        ap.error("--runner is required (or --self-check)")

    if a.classes:
        names = a.classes
    else:
        names = []
        for fam in a.families.split(","):
            fam = fam.strip()
            if fam not in FAMILIES:
                ap.error("unknown family %r (ci, int, fp, qemu, all)" % fam)
            names += [n for n in FAMILIES[fam] if n not in names]
    unknown = [n for n in names if n not in classes.CLASSES]
    if unknown:
        ap.error("unknown class(es): %s (see --list)" % ", ".join(unknown))

    model = oracle.Oracle().cpu_model
    if model != "max":
        dropped = [n for n in names if n in NEEDS_MAX]
        for n in dropped:
            print("note: class %s dropped: this Unicorn cannot select the 'max' CPU model" % n)
        names = [n for n in names if n not in NEEDS_MAX]

    qemu = None
    if any(n in QEMU_CLASSES for n in names):
        qemu_bin, cc = oracle.qemu_tools()
        why = None
        if a.self_check:
            why = "--self-check compares with Unicorn, which these classes exist to avoid"
        elif not (qemu_bin and cc):
            why = "%s not found" % " and ".join(
                t for t, p in (("qemu-aarch64", qemu_bin), ("aarch64-linux-gnu-gcc", cc)) if not p)
            if a.require_qemu:
                print("error: QEMU classes need qemu-aarch64 and the AArch64 cross compiler: %s "
                      "(scripts/install-deps.sh installs them)" % why)
                return 1
        if why:
            for n in names:
                if n in QEMU_CLASSES:
                    print("note: class %s dropped: %s" % (n, why))
            names = [n for n in names if n not in QEMU_CLASSES]
        else:
            qemu = (qemu_bin, oracle.build_qemu_harness(cc))

    import unicorn
    print("difftest: unicorn %s (cpu model %s), %d classes x %d cases, seed %d, runner: %s"
          % (unicorn.__version__, model, len(names), a.cases, a.seed,
             "self-check (unicorn)" if a.self_check else " ".join(cmd)), flush=True)

    scale = {}
    for item in a.scale:
        n, sep, f = item.partition("=")
        if not sep or n not in classes.CLASSES:
            ap.error("--scale wants NAME=F with a known class, got %r" % item)
        try:
            scale[n] = float(f)
        except ValueError:
            ap.error("--scale %s: %r is not a number" % (n, f))
    # Biggest first, so that the long classes do not end the run alone.
    jobs = sorted(((n, int(a.cases * scale.get(n, 1)), a.seed, cmd, a.timeout,
                   qemu if n in QEMU_CLASSES else None) for n in names),
                  key=lambda j: -j[1])
    results = []
    t0 = time.monotonic()
    for r in run_jobs(jobs, a.jobs):
        results.append(r)
        print(format_result(r, a.min_per_insn), flush=True)
    wall = time.monotonic() - t0

    def failed(r):
        return (r["mismatches"] or r["error"] or (a.self_check and r["spec_disagree"])
                or (a.min_per_insn and below_min(r, a.min_per_insn)))

    nfail = sum(1 for r in results if failed(r))
    total = sum(r["cases"] for r in results)
    print("total: %d cases in %.1f s wall (%.0f cases/s)" % (total, wall, total / wall if wall else 0))
    held = [r for r in results if insn_counts(r)]
    if held:
        worst = min(held, key=lambda r: insn_counts(r)[0][1])
        k, n = insn_counts(worst)[0]
        print("per instruction: %d (class, instruction) pairs, fewest cases %d (%s %s)%s"
              % (sum(len(insn_counts(r)) for r in results), n, worst["name"], k,
                 "; minimum %d" % a.min_per_insn if a.min_per_insn else ""))
    if a.per_insn_report:
        write_per_insn(a.per_insn_report, results)
    print("%d passed, %d failed" % (len(results) - nfail, nfail))
    return 1 if nfail else 0


if __name__ == "__main__":
    sys.exit(main())
