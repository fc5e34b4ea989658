#!/usr/bin/env python3
"""KVM benchmark for scripts/bench.sh: boot Debian's kernel at EL2 with the repo's VMM
test (hypsim.kvmtest=1) under hypsim or QEMU and print the wall seconds to KVM's
"... mode initialized successfully" line and to power-off, plus the nested guest's loop
speed as the VMM test reports it (iterations per second of the guest's clock: simulated
time under hypsim, host time under QEMU).

Usage: bench-kvm.py --emulator hypsim|qemu --kernel K --initrd I [--mode vhe|nvhe]
Env: HYPSIM (default target/release/hypsim), QEMU (default qemu-system-aarch64).
"""
import argparse
import os
import re
import subprocess
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--emulator", choices=["hypsim", "qemu"], required=True)
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--initrd", required=True)
    ap.add_argument("--mode", choices=["vhe", "nvhe"], default="vhe")
    ap.add_argument("--timeout", type=float, default=900)
    a = ap.parse_args()
    append = "console=ttyAMA0 panic=-1 hypsim.kvmtest=1"
    if a.mode == "nvhe":
        append += " kvm-arm.mode=nvhe"
    if a.emulator == "hypsim":
        cmd = [os.environ.get("HYPSIM", "target/release/hypsim"), "run", "--kernel", a.kernel, "--initrd", a.initrd,
               "--el", "2", "--append", append, "--max-insns", "8000000000"]
    else:
        cmd = [os.environ.get("QEMU", "qemu-system-aarch64"), "-M",
               "virt,virtualization=on,gic-version=3", "-cpu", "max", "-m", "1G",
               "-nographic", "-no-reboot", "-nic", "none", "-kernel", a.kernel,
               "-initrd", a.initrd, "-append", append]
    start = time.monotonic()
    t_init = None
    loop = None
    passed = False
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         stdin=subprocess.DEVNULL, text=True, errors="replace")
    try:
        for line in p.stdout:
            if t_init is None and re.search(r"kvm \[\d+\]: .*mode initialized successfully", line):
                t_init = time.monotonic() - start
            m = re.search(r"KVMTEST loop: (\d+) iterations in ([\d.]+) ms", line)
            if m and loop is None:
                loop = int(m.group(1)) / (float(m.group(2)) / 1000)
            passed |= "KVMTEST PASS" in line
            if time.monotonic() - start > a.timeout:
                p.kill()
                break
    finally:
        p.wait()
    total = time.monotonic() - start
    init = f"{t_init:.1f} s" if t_init is not None else "not reached"
    speed = f"{loop / 1e6:.1f} M iterations/s" if loop else "no loop figure"
    print(f"{a.emulator:7s} {a.mode:5s} KVM init at {init}, power-off at {total:.1f} s, "
          f"nested guest loop {speed}, VMM test {'PASS' if passed else 'FAIL'}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
