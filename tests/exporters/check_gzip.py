"""Inflates every NAME.gz that test_gzip wrote with Python's gzip and zlib modules and,
when there is one, the gzip program, and compares with NAME.bin.

usage: check_gzip.py DIR"""
import glob
import gzip
import os
import shutil
import subprocess
import sys
import zlib


def main():
    d = sys.argv[1]
    names = sorted(os.path.basename(p)[:-3] for p in glob.glob(os.path.join(d, "*.gz")))
    gzip_program = shutil.which("gzip")
    passed = failed = 0
    for name in names:
        raw = open(os.path.join(d, name + ".bin"), "rb").read()
        gz = open(os.path.join(d, name + ".gz"), "rb").read()
        results = {
            "gzip module": lambda: gzip.decompress(gz),
            "zlib": lambda: zlib.decompress(gz, wbits=31),
        }
        if gzip_program:
            results["gzip -d"] = lambda: subprocess.run([gzip_program, "-d", "-c"], input=gz, stdout=subprocess.PIPE,
                                                        check=True).stdout
        for how, inflate in results.items():
            try:
                ok = inflate() == raw
                why = "" if ok else "differs"
            except Exception as e:  # a decoder's refusal is a failure like any other
                ok, why = False, repr(e)
            if ok:
                passed += 1
            else:
                failed += 1
                print(f"FAIL {name} ({how}): {why}", file=sys.stderr)
        ratio = len(gz) / len(raw) if raw else 0
        print(f"{name:16} {len(raw):9} -> {len(gz):9} bytes ({ratio:.3f})")
    if not names:
        print("no .gz files", file=sys.stderr)
        failed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
