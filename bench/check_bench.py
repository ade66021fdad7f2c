#!/usr/bin/env python3
"""How long `nastavnik check` takes on a description, and its peak memory.

    python3 bench/check_bench.py [build/nastavnik] [samples/sosnovsky-district.lua] [runs]

Prints the mean and best wall time of one run (each run a fresh process, as a secretary
runs it) and the peak resident memory of the process.
"""
import resource
import subprocess
import sys
import time

binary = sys.argv[1] if len(sys.argv) > 1 else "build/nastavnik"
sample = sys.argv[2] if len(sys.argv) > 2 else "samples/sosnovsky-district.lua"
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 50

times = []
for _ in range(runs):
    start = time.perf_counter()
    subprocess.run([binary, "check", sample], check=True, stdout=subprocess.DEVNULL)
    times.append(time.perf_counter() - start)
peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(f"check {sample}: {runs} runs, mean {1000 * sum(times) / runs:.1f} ms, "
      f"best {1000 * min(times):.1f} ms, peak memory {peak_kib / 1024:.1f} MiB")
