#!/usr/bin/env python3
"""Reads a Lua profile (NASTAVNIK_PROFILE=FILE nastavnik …, generator/profile.h) and prints
where the instructions went: per function itself (self), per function with what it calls
(total), and per line.

    NASTAVNIK_PROFILE=/tmp/p build/nastavnik build region.lua -o /tmp/x -j 1
    python3 bench/profile.py /tmp/p [N]
"""
import collections
import sys


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    own, total, lines = collections.Counter(), collections.Counter(), collections.Counter()
    whole = 0
    with open(sys.argv[1], encoding="utf-8", errors="replace") as f:
        for row in f:
            stack, _, count = row.rstrip("\n").rpartition(" ")
            count = int(count)
            frames = stack.split(";")
            whole += count
            lines[frames[-1]] += count
            if len(frames) > 1:
                own[frames[-2]] += count
            for frame in set(frames[:-1]):
                total[frame] += count
    for title, counter in (("self", own), ("total (with what it calls)", total), ("lines", lines)):
        print(f"== {title}")
        for name, count in counter.most_common(top):
            print(f"{100 * count / whole:6.2f} %  {name}")
    print(f"{whole / 1e6:.1f} M instructions sampled")


main()
