"""Open an HTML report in headless Chromium (through ChromeDriver's WebDriver API, with
nothing but the standard library), fail on any console message of level SEVERE (errors),
check that every chart's SVG drew something, and save a full-page screenshot.

Usage: python3 check_report.py REPORT.html SCREENSHOT.png EXPECTED_CHARTS
Exits non-zero, saying why, on any console error or empty chart.
"""

import base64
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

report = Path(sys.argv[1]).resolve()
shot = Path(sys.argv[2])
expected_charts = int(sys.argv[3])
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


port = free_port()
driver = subprocess.Popen(
    [CHROMEDRIVER, f"--port={port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
)
base = f"http://127.0.0.1:{port}"


def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.loads(r.read())["value"]


# Charts drawn: for each figure's SVG, the paths with a non-empty box, measured by the
# browser's layout (not by reading the markup).
MEASURE = """
const figs = Array.from(document.querySelectorAll('figure.chart svg'));
return figs.map(svg => {
  const title = (svg.querySelector('.title') || {}).textContent || '';
  const drawn = Array.from(svg.querySelectorAll('path')).filter(p => {
    const b = p.getBBox();
    return b.width > 0 || b.height > 0;
  }).length;
  const r = svg.getBoundingClientRect();
  return {title, drawn, width: r.width, height: r.height};
});
"""

problems = []
session = None
with tempfile.TemporaryDirectory() as profile:
    try:
        for _ in range(100):
            try:
                call("GET", "/status")
                break
            except OSError:
                time.sleep(0.1)
        caps = {
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "chrome",
                    "goog:chromeOptions": {
                        "binary": CHROMIUM,
                        "args": [
                            "--headless=new",
                            "--no-sandbox",
                            "--disable-gpu",
                            "--disable-dev-shm-usage",
                            "--disable-quic",
                            "--no-first-run",
                            "--disable-background-networking",
                            "--disable-component-update",
                            "--disable-sync",
                            f"--user-data-dir={profile}",
                            "--window-size=1000,1200",
                        ],
                    },
                    "goog:loggingPrefs": {"browser": "ALL"},
                }
            }
        }
        session = call("POST", "/session", caps)["sessionId"]
        s = f"/session/{session}"
        call("POST", s + "/url", {"url": report.as_uri()})
        charts = call("POST", s + "/execute/sync", {"script": MEASURE, "args": []})
        if len(charts) != expected_charts:
            problems.append(f"{len(charts)} charts, expected {expected_charts}")
        for c in charts:
            if c["drawn"] == 0 or c["width"] <= 0 or c["height"] <= 0:
                problems.append(f"chart not drawn: {c}")
        for entry in call("POST", s + "/se/log", {"type": "browser"}):
            if entry.get("level") == "SEVERE":
                problems.append(f"console error: {entry.get('message')}")
        height = call("POST", s + "/execute/sync", {
            "script": "return document.documentElement.scrollHeight", "args": []})
        call("POST", s + "/window/rect", {"width": 1000, "height": min(int(height) + 40, 16000)})
        png = base64.b64decode(call("GET", s + "/screenshot"))
        shot.parent.mkdir(parents=True, exist_ok=True)
        shot.write_bytes(png)
    finally:
        if session:
            try:
                call("DELETE", f"/session/{session}")
            except OSError:
                pass
        driver.terminate()
        driver.wait(timeout=10)

if problems:
    print("\n".join(problems), file=sys.stderr)
    sys.exit(1)
print(f"ok: {expected_charts} charts drawn, no console error; screenshot {shot}")
