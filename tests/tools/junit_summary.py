"""Reads a JUnit XML file the way CI services do, with junitparser (over Python's strict XML
parser), and prints what it understood as JSON: the totals and every suite, case (with its
system-out) and result.

Usage: junit_summary.py FILE. Exits non-zero (with the parser's error) if the file is not
well-formed XML or not JUnit. Used by tests/cli/consumers.rs.
"""

import json
import sys

from junitparser import JUnitXml, TestSuite


def result(r):
    return {
        "kind": type(r).__name__.lower(),
        "message": r.message,
        "type": r.type,
        "text": r.text,
    }


def main(path):
    xml = JUnitXml.fromfile(path)
    suites = [xml] if isinstance(xml, TestSuite) else list(xml)
    out = {
        "tests": xml.tests,
        "failures": xml.failures,
        "errors": xml.errors,
        "skipped": xml.skipped,
        "suites": [
            {
                "name": s.name,
                "tests": s.tests,
                "failures": s.failures,
                "errors": s.errors,
                "skipped": s.skipped,
                "cases": [
                    {
                        "classname": c.classname,
                        "name": c.name,
                        "results": [result(r) for r in c.result],
                        "systemOut": c.system_out,
                    }
                    for c in s
                ],
            }
            for s in suites
        ],
    }
    json.dump(out, sys.stdout, indent=1, ensure_ascii=True)


if __name__ == "__main__":
    main(sys.argv[1])
