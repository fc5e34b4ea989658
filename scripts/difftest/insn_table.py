"""Instruction names for the difftest's per-instruction accounting.

Reads hypsim's decode tables (cpu/src/a64/*.insn, format described at the
top of a64.insn) and names an instruction word by the row that hypsim's
decoder picks for it: the most specific matching row (most fixed bits),
ties broken by file name and then line order, as cpu/build.rs does.  A word
that no row matches is "(unallocated)".

The name is that of the decode row (e.g. LOG_sreg, ADD_imm, SHA512H), which
is what the per-instruction minimum in run.py counts: a row whose handler
UNDEFs on some reserved field values still counts those cases, since they
exercise the same handler.
"""

import glob
import os

HERE = os.path.dirname(os.path.abspath(__file__))
TABLE_DIR = os.path.join(HERE, "..", "..", "cpu", "src", "a64")

UNALLOCATED = "(unallocated)"
M32 = 0xFFFF_FFFF

# Rows are bucketed on bits 31:21 of the word (2048 buckets), each bucket
# holding the rows whose fixed bits there agree with the bucket index, most
# specific first; a lookup then scans a short list.
_BUCKET_SHIFT = 21


def _parse(path):
    rows = []
    with open(path) as f:
        for ln, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            toks = line.split()
            mask = value = 0
            pos = 32
            for t in toks[3:]:
                if ":" in t:
                    pos -= int(t.split(":")[1])
                    continue
                for ch in t:
                    pos -= 1
                    if ch in "01":
                        mask |= 1 << pos
                        value |= int(ch) << pos
                    elif ch != "x":
                        raise ValueError("%s:%d: bad pattern char %r" % (path, ln, ch))
            if pos != 0:
                raise ValueError("%s:%d: pattern is not 32 bits" % (path, ln))
            rows.append((toks[0], mask, value))
    return rows


class Table:
    def __init__(self, table_dir=TABLE_DIR):
        rows = []
        for p in sorted(glob.glob(os.path.join(table_dir, "*.insn"))):
            rows += _parse(p)
        if not rows:
            raise FileNotFoundError("no decode tables (*.insn) in %s" % table_dir)
        # Stable sort: equal specificity keeps file/line order (cpu/build.rs).
        rows.sort(key=lambda r: -bin(r[1]).count("1"))
        self.names = sorted({r[0] for r in rows})
        self.patterns = {n: (m, v) for n, m, v in rows}
        top_bits = 32 - _BUCKET_SHIFT
        self.buckets = []
        for b in range(1 << top_bits):
            hi = b << _BUCKET_SHIFT
            self.buckets.append([(n, m, v) for n, m, v in rows
                                 if (hi ^ v) & m & (M32 << _BUCKET_SHIFT) == 0])

    def name(self, insn):
        """Decode row name of `insn`, or UNALLOCATED."""
        for n, m, v in self.buckets[insn >> _BUCKET_SHIFT]:
            if insn & m == v:
                return n
        return UNALLOCATED


_table = None


def name(insn):
    """Decode row name of `insn` (module-level table, loaded on first use)."""
    global _table
    if _table is None:
        _table = Table()
    return _table.name(insn)


def pattern(row):
    """(mask, value) of the fixed bits of decode row `row` (a KeyError for
    an unknown name)."""
    global _table
    if _table is None:
        _table = Table()
    return _table.patterns[row]
