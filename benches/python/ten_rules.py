#!/usr/bin/env python3
"""A straightforward Python audit of a recipe-layout export: the baseline of docs/PERFORMANCE.md.

What a competent engineer would write in an afternoon with the standard json module: read every
JSON file of the folder whole, sort the objects by collection from the file name, then check ten
of grantscope's rules (GS101, GS102, GS103, GS301, GS304, GS305, GS401, GS404, GS503, GS505)
with dictionaries and sets. No optimisation tricks, no shortcuts that skip files.

    python3 benches/python/ten_rules.py target/synth/M-7 [--as-of 2026-11-01]

Prints the number of findings per rule and the total on stdout.
"""

import json
import os
import sys
from collections import defaultdict
from datetime import datetime, timezone

BROAD = {"allMemberUsers", "allDirectoryUsers", "allExternalUsers",
         "allConfiguredConnectedOrganizationUsers"}
EXTERNAL = {"allExternalUsers", "allConfiguredConnectedOrganizationUsers",
            "specificConnectedOrganizationUsers"}


def parse_time(s):
    if not s:
        return None
    return datetime.fromisoformat(s.replace("Z", "+00:00"))


def main():
    args = sys.argv[1:]
    folder = args[0]
    as_of = datetime(2026, 11, 1, tzinfo=timezone.utc)
    if "--as-of" in args:
        as_of = datetime.fromisoformat(args[args.index("--as-of") + 1]).replace(tzinfo=timezone.utc)

    data = defaultdict(list)
    incompatible = {}
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".json") or name == "manifest.json":
            continue
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            doc = json.load(f)
        items = doc.get("value", [doc]) if isinstance(doc, dict) else doc
        base = name.split(".")[0]
        if base.startswith("incompatibleAccessPackages-"):
            incompatible[base[len("incompatibleAccessPackages-"):]] = {i["id"] for i in items}
        else:
            kind = base.split("-")[0]
            data[kind].extend(items)

    users = {}
    for u in data["users"]:
        users[u["id"]] = u
    settings = data["settings"][0] if data["settings"] else {}
    findings = defaultdict(list)

    for p in data["assignmentPolicies"]:
        scope = p.get("allowedTargetScope")
        req = p.get("requestorSettings") or {}
        self_service = req.get("enableTargetsToSelfAddAccess", False)
        approval = (p.get("requestApprovalSettings") or {}).get("isApprovalRequiredForAdd", False)
        if self_service and scope in BROAD:
            findings["GS101"].append(p["id"])
        if scope == "allExternalUsers":
            findings["GS102"].append(p["id"])
        if self_service and scope in EXTERNAL and not approval:
            findings["GS103"].append(p["id"])
        auto = p.get("automaticRequestSettings") is not None
        if (self_service or auto) and (p.get("expiration") or {}).get("type") == "noExpiration":
            findings["GS301"].append(p["id"])

    held = defaultdict(set)
    for a in data["assignments"]:
        if a.get("state") != "delivered":
            continue
        target = (a.get("target") or {}).get("objectId")
        package = (a.get("accessPackage") or {}).get("id")
        expiration = (a.get("schedule") or {}).get("expiration") or {}
        end = parse_time(expiration.get("endDateTime"))
        if expiration.get("type") in (None, "noExpiration") and end is None:
            findings["GS304"].append(a["id"])
        elif end is not None and end < as_of:
            findings["GS305"].append(a["id"])
        if target and package:
            held[target].add(package)

    for user, packages in held.items():
        for p in sorted(packages):
            for q in sorted(packages):
                if p < q and (q in incompatible.get(p, ()) or p in incompatible.get(q, ())):
                    findings["GS401"].append((user, p, q))
        if users.get(user, {}).get("accountEnabled") is False:
            findings["GS505"].append(user)

    for p, others in incompatible.items():
        for q in others:
            if p not in incompatible.get(q, set()):
                findings["GS404"].append((p, q))

    if settings.get("externalUserLifecycleAction") == "none":
        findings["GS503"].append("settings")

    total = 0
    for rule in sorted(findings):
        print(f"{rule} {len(findings[rule])}")
        total += len(findings[rule])
    print(f"total {total}")


if __name__ == "__main__":
    main()
