import random, subprocess, re
from unicorn import Uc, UC_ARCH_ARM64, UC_MODE_ARM
from unicorn.arm64_const import *
R = random.Random(20240601)
FORMS = {
 "aese": "aese v{d}.16b, v{n}.16b", "aesd": "aesd v{d}.16b, v{n}.16b",
 "aesmc": "aesmc v{d}.16b, v{n}.16b", "aesimc": "aesimc v{d}.16b, v{n}.16b",
 "sha1c": "sha1c q{d}, s{n}, v{m}.4s", "sha1p": "sha1p q{d}, s{n}, v{m}.4s",
 "sha1m": "sha1m q{d}, s{n}, v{m}.4s", "sha1su0": "sha1su0 v{d}.4s, v{n}.4s, v{m}.4s",
 "sha256h": "sha256h q{d}, q{n}, v{m}.4s", "sha256h2": "sha256h2 q{d}, q{n}, v{m}.4s",
 "sha256su1": "sha256su1 v{d}.4s, v{n}.4s, v{m}.4s",
 "sha1h": "sha1h s{d}, s{n}", "sha1su1": "sha1su1 v{d}.4s, v{n}.4s",
 "sha256su0": "sha256su0 v{d}.4s, v{n}.4s",
}
REGS = [(1,2,3),(0,31,17),(5,5,6),(7,8,7),(9,10,10),(4,4,4)]
lines=[]; meta=[]
for name, f in FORMS.items():
    for (d,n,m) in REGS:
        lines.append(f.format(d=d,n=n,m=m)); meta.append((name,d,n,m))
open("a.s","w").write("\n".join(lines)+"\n")
subprocess.check_call(["aarch64-linux-gnu-as","-march=armv8.2-a+crypto","a.s","-o","a.o"])
subprocess.check_call(["aarch64-linux-gnu-objcopy","-O","binary","-j",".text","a.o","a.bin"])
code=open("a.bin","rb").read()
words=[int.from_bytes(code[i:i+4],"little") for i in range(0,len(code),4)]
assert len(words)==len(meta)
def run(word, d, n, m, vd, vn, vm):
    uc=Uc(UC_ARCH_ARM64, UC_MODE_ARM, cpu=UC_CPU_ARM64_MAX) if hasattr(Uc,'__init__') else None
    uc.mem_map(0x10000,0x1000); uc.mem_write(0x10000, word.to_bytes(4,"little"))
    uc.reg_write(UC_ARM64_REG_CPACR_EL1, 3<<20)
    for r,v in ((d,vd),(n,vn),(m,vm)):
        uc.reg_write(UC_ARM64_REG_Q0+r, v)
    uc.emu_start(0x10000, 0x10004)
    return uc.reg_read(UC_ARM64_REG_Q0+d)
out=[]
for w,(name,d,n,m) in zip(words,meta):
    for t in range(6):
        vd,vn,vm=(R.getrandbits(128) for _ in range(3))
        if t==0: vd,vn,vm = 0,0,0
        want=run(w,d,n,m,vd,vn,vm)
        out.append(f"    // {name} v{d}, v{n}, v{m}\n    ({w:#010x}, {d}, {n}, {m}, {vd:#034x}, {vn:#034x}, {vm:#034x}, {want:#034x}),")
print(len(out))
open("vec.rs","w").write("\n".join(out)+"\n")
