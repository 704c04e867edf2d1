#!/usr/bin/env python3
"""Prints the slowest test classes of a tier from its JUnit XML reports (Surefire's and Failsafe's).

Usage: slowest.py [-n N] [--since EPOCH_SECONDS] DIR...   (defaults: N = 10, every report)
Reads each DIR/TEST-*.xml's <testsuite> and <testcase>s; --since keeps only reports written
after the tier started, so an earlier tier's files left in target/ are not counted again.
Python 3 standard library only.
"""

import argparse
import glob
import os
import sys
import xml.etree.ElementTree as ET


def suites(dirs, since=None):
    """(seconds, class name, tests, failed) for every test class in the reports of dirs.

    A class's seconds are its report's <testsuite time=...> (from its start to its end, fixtures
    included). Its tests and failures are counted by each <testcase classname=...>: when JUnit runs
    classes at once in one JVM (tier 2), Surefire writes some cases into another class's report."""
    seconds, tests, failed = {}, {}, {}
    for d in dirs:
        for path in sorted(glob.glob(os.path.join(d, "TEST-*.xml"))):
            if since is not None and os.path.getmtime(path) < since:
                continue
            try:
                root = ET.parse(path).getroot()
            except ET.ParseError as e:  # a fork killed while writing leaves a partial file
                print(f"  (unreadable report {path}: {e})", file=sys.stderr)
                continue
            for s in ([root] if root.tag == "testsuite" else root.iter("testsuite")):
                suite = s.get("name", os.path.basename(path))
                try:
                    seconds[suite] = float(s.get("time", "0").replace(",", ""))
                except ValueError:
                    seconds[suite] = 0.0
                for case in s.iter("testcase"):
                    name = case.get("classname") or suite
                    tests[name] = tests.get(name, 0) + 1
                    bad = any(c.tag in ("failure", "error") for c in case)
                    failed[name] = failed.get(name, 0) + (1 if bad else 0)
    names = set(seconds) | set(tests)
    return [(seconds.get(n, 0.0), n, tests.get(n, 0), failed.get(n, 0)) for n in names]


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("-n", type=int, default=10)
    p.add_argument("--since", type=float)
    p.add_argument("dirs", nargs="+")
    o = p.parse_args(argv)
    rows = suites(o.dirs, o.since)
    if not rows:
        print("  (no test reports)")
        return 0
    rows.sort(key=lambda r: -r[0])
    total = sum(r[0] for r in rows)
    print(f"  slowest {min(o.n, len(rows))} of {len(rows)} test classes ({total:.0f} s summed over classes):")
    for seconds, name, tests, failed in rows[:o.n]:
        mark = f"  {failed} FAILED" if failed else ""
        print(f"  {seconds:8.1f} s  {name} ({tests} tests){mark}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
