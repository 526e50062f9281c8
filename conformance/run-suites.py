#!/usr/bin/env python3
"""Conformance runner: builds zscim, serves it on a temporary SQLite file with a test tenant,
installs the pinned third-party suites (scim2-tester, scim-sanity) into a venv, runs both,
prints each suite's counts and a last line `N passed, M failed`, and exits non-zero on any
failure that `suites/excused.json` does not excuse (with its reason).

Usage: python3 conformance/run-suites.py [--skip-build]
"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUITES = ROOT / "conformance" / "suites"
VENV = ROOT / ".build-conformance-venv"


def log(message):
    print(message, flush=True)


def build_zscim(skip):
    if not skip:
        subprocess.run(["swift", "build", "--product", "zscim"], cwd=ROOT, check=True)
    bin_path = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip()
    binary = Path(bin_path) / "zscim"
    if not binary.exists():
        sys.exit(f"zscim binary not found at {binary}; run without --skip-build")
    return binary


def ensure_venv():
    python = VENV / "bin" / "python"
    marker = VENV / "requirements.installed"
    wanted = (SUITES / "requirements.txt").read_text()
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    if not marker.exists() or marker.read_text() != wanted:
        subprocess.run([str(python), "-m", "pip", "install", "-q", "-r", str(SUITES / "requirements.txt")], check=True)
        marker.write_text(wanted)
    return python


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(binary, workdir):
    database = str(workdir / "conformance.sqlite")
    common = ["--database", database, "--schemas", str(ROOT / "schemas")]
    created = subprocess.run([str(binary), "tenant", "create", "conformance", *common], check=True, capture_output=True, text=True)
    token = created.stdout.strip().splitlines()[-1]
    port = free_port()
    server = subprocess.Popen(
        [str(binary), "serve", *common, "--port", str(port), "--log-level", "warning"],
        stdout=open(workdir / "server.log", "w"), stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=1) as r:
                if r.status == 200:
                    return server, base + "/scim/v2", token
        except OSError:
            time.sleep(0.1)
        if server.poll() is not None:
            break
    server.kill()
    sys.exit("zscim did not start:\n" + (workdir / "server.log").read_text())


def run_scim2_tester(python, base, token):
    out = subprocess.run([str(python), str(SUITES / "scim2_tester_run.py"), base, token], capture_output=True, text=True, timeout=600)
    if out.returncode != 0:
        return {"passed": 0, "failed": 1, "skipped": 0, "failures": ["scim2-tester crashed: " + out.stderr[-2000:]]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_scim_sanity(base, token):
    executable = VENV / "bin" / "scim-sanity"
    out = subprocess.run([str(executable), "probe", base, "--token", token, "--i-accept-side-effects", "--json-output"],
                         capture_output=True, text=True, timeout=600)
    try:
        report = json.loads(out.stdout)
    except json.JSONDecodeError:
        return {"passed": 0, "failed": 1, "skipped": 0, "failures": ["scim-sanity output is not JSON: " + (out.stdout + out.stderr)[-2000:]]}
    summary = {"passed": 0, "failed": 0, "skipped": 0, "failures": [], "raw": report}
    for result in report.get("results", []):
        status = str(result.get("status", "")).lower()
        label = f"{result.get('phase', '')} / {result.get('name', '')}: {result.get('message', '')}"
        if status in ("pass", "passed", "ok", "success"):
            summary["passed"] += 1
        elif status in ("skip", "skipped"):
            summary["skipped"] += 1
        elif status in ("warn", "warning"):
            summary["passed"] += 1
        else:
            summary["failed"] += 1
            summary["failures"].append(label)
    return summary


def apply_excuses(suite, summary):
    excuses = [e for e in json.loads((SUITES / "excused.json").read_text())["excused"] if e["suite"] == suite]
    remaining, excused = [], []
    for failure in summary["failures"]:
        match = next((e for e in excuses if e["match"] in failure), None)
        (excused if match else remaining).append((failure, match))
    summary["failed"] = len(remaining)
    summary["excused"] = len(excused)
    summary["failures"] = [f for f, _ in remaining]
    summary["excused_list"] = [(f, e["reason"]) for f, e in excused]
    return summary


def main():
    skip_build = "--skip-build" in sys.argv
    binary = build_zscim(skip_build)
    python = ensure_venv()
    with tempfile.TemporaryDirectory(prefix="zscim-conformance-") as tmp:
        workdir = Path(tmp)
        server, base, token = start_server(binary, workdir)
        try:
            results = {
                "scim2-tester": apply_excuses("scim2-tester", run_scim2_tester(python, base, token)),
                "scim-sanity": apply_excuses("scim-sanity", run_scim_sanity(base, token)),
            }
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
        passed = failed = 0
        for name, s in results.items():
            log(f"{name}: {s['passed']} passed, {s['failed']} failed, {s.get('skipped', 0)} skipped, {s.get('excused', 0)} excused")
            for f in s["failures"]:
                log(f"  FAILED {f}")
            for f, reason in s.get("excused_list", []):
                log(f"  excused {f}\n    reason: {reason}")
            for d in s.get("deviation_titles", []):
                log(f"  deviation (counted as passed) {d}")
            passed += s["passed"]
            failed += s["failed"]
        if failed:
            log("server log (tail):\n" + (workdir / "server.log").read_text()[-3000:])
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
