"""Runs scim2-tester against a live zscim and prints one JSON summary line (used by run-suites.py)."""
import json
import sys

from httpx2 import Client
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import Status, check_server

base_url, token = sys.argv[1], sys.argv[2]
client = SyncSCIMClient(Client(base_url=base_url, headers={"Authorization": f"Bearer {token}"}, timeout=30))
results = check_server(client)
passed_states = {Status.SUCCESS, Status.COMPLIANT, Status.ACCEPTABLE}
summary = {"passed": 0, "failed": 0, "skipped": 0, "deviations": 0, "failures": [], "deviation_titles": []}
for r in results:
    label = f"{r.resource_type or '-'} / {r.title}: {r.reason}"
    if r.status in passed_states:
        summary["passed"] += 1
    elif r.status == Status.DEVIATION:
        summary["passed"] += 1
        summary["deviations"] += 1
        summary["deviation_titles"].append(label)
    elif r.status == Status.SKIPPED:
        summary["skipped"] += 1
    else:
        summary["failed"] += 1
        summary["failures"].append(f"{r.status.name} {label}")
print(json.dumps(summary))
