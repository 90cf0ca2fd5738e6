#!/usr/bin/env python3
"""The registration rush through HTTP (bench/run.sh; see BENCHMARKS.md).

Signs in every secretary listed (one per line: username and unit id), reads each
session's CSRF token from the registration form, then runs CLIENTS threads for
DURATION seconds; each thread keeps one HTTP/1.1 connection open and posts the
registration form (POST /initiatives) again and again, round-robin over its own
secretaries' sessions, the way the browser would send it. Prints one JSON object:
answers by status, registrations per second, latency percentiles, 5xx, errors.

--alongside runs a shell command (bench/run.sh: wrk on the root dashboard) from the
moment the rush starts, its output going to --alongside-out, and waits for it.

Standard library only. Usage:
  http_rush.py --base http://127.0.0.1:18080 --users FILE --year 2026 \
      [--clients 16] [--duration 20] [--alongside CMD --alongside-out FILE]
  (the password in LAMTHEOBAC_BENCH_PASSWORD)
"""

import argparse
import http.client
import json
import os
import random
import re
import subprocess
import sys
import threading
import time
import urllib.parse
from datetime import date, timedelta

# The hidden CSRF input, whatever the order of its attributes.
TOKEN_INPUT = re.compile(r'<input[^>]*name="csrf_token"[^>]*>')
TOKEN_VALUE = re.compile(r'value="([^"]+)"')
COOKIE_NAME = "lamtheobac_session"

TITLES = [
    "Mô hình dân vận khéo trong cải cách hành chính",
    "Công trình thắp sáng đường quê",
    "Mô hình tiếp công dân một cửa, tận tình, đúng hẹn",
    "Công trình sửa chữa nhà văn hóa khu dân cư",
    "Mô hình chi bộ mẫu mực, đảng viên tiên phong",
    "Công trình nhà tình nghĩa cho gia đình chính sách",
    "Mô hình số hóa hồ sơ lưu trữ của cơ quan",
    "Mô hình tủ sách Bác Hồ tại cơ sở",
]
FIELDS = ["professional", "admin_reform", "serving_people", "cultural_office",
          "social_welfare", "other"]


class Session:
    """One signed-in secretary: the session cookie and the form's CSRF token."""

    def __init__(self, username, unit_id):
        self.username = username
        self.unit_id = unit_id
        self.cookie = ""
        self.token = ""

    def take_cookie(self, response):
        for name, value in response.getheaders():
            if name.lower() == "set-cookie" and value.startswith(COOKIE_NAME + "="):
                self.cookie = value.split(";", 1)[0]


def request(conn, session, method, path, body=None):
    headers = {"Cookie": session.cookie} if session.cookie else {}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    data = response.read()
    session.take_cookie(response)
    return response, data


def csrf_token(page):
    found = TOKEN_INPUT.search(page.decode("utf-8", "replace"))
    value = found and TOKEN_VALUE.search(found.group(0))
    return value.group(1) if value else None


def sign_in(host, port, session, password):
    conn = http.client.HTTPConnection(host, port, timeout=60)
    try:
        response, page = request(conn, session, "GET", "/login")
        token = csrf_token(page)
        if response.status != 200 or not token:
            raise RuntimeError(f"/login answered {response.status} without a token")
        form = urllib.parse.urlencode({"username": session.username, "password": password,
                                       "csrf_token": token})
        response, _ = request(conn, session, "POST", "/login", form)
        if response.status != 303:
            raise RuntimeError(f"sign-in of {session.username} refused ({response.status})")
        # The token changes at sign-in: read the new one from the registration form.
        response, page = request(conn, session, "GET", "/initiatives/new")
        token = csrf_token(page)
        if response.status != 200 or not token:
            raise RuntimeError(f"/initiatives/new answered {response.status} to {session.username}")
        session.token = token
    finally:
        conn.close()


def registration(session, year, rng):
    start = date(year, 1, 1) + timedelta(days=rng.randrange(90))
    due = min(start + timedelta(days=60 + rng.randrange(241)), date(year, 12, 31))
    model = rng.random() < 0.68
    cost = rng.randrange(100) * 500_000 if model else 10_000_000 + rng.randrange(100) * 10_000_000
    return urllib.parse.urlencode({
        "year": str(year),
        "kind": "model" if model else "work",
        "title": rng.choice(TITLES),
        "field": rng.choice(FIELDS),
        "description": "Đăng ký trong đợt thi đua đầu năm theo nghị quyết của chi bộ: nội dung, "
                       "người phụ trách, kinh phí và tiến độ thực hiện.",
        "unit_id": str(session.unit_id),
        "estimated_cost_vnd": f"{cost:,}".replace(",", "."),
        "actual_value_vnd": "",
        "status": "registered",
        "start_date": start.strftime("%d/%m/%Y"),
        "due_date": due.strftime("%d/%m/%Y"),
        "completion_date": "",
        "version": "",
        "csrf_token": session.token,
    })


def rush(host, port, sessions, year, deadline, seed, results):
    rng = random.Random(seed)
    statuses = {}
    latencies = []
    errors = 0
    conn = http.client.HTTPConnection(host, port, timeout=60)
    turn = 0
    while time.monotonic() < deadline:
        session = sessions[turn % len(sessions)]
        turn += 1
        body = registration(session, year, rng)
        began = time.monotonic()
        try:
            response, _ = request(conn, session, "POST", "/initiatives", body)
        except (OSError, http.client.HTTPException):
            errors += 1
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=60)
            continue
        latencies.append(time.monotonic() - began)
        statuses[response.status] = statuses.get(response.status, 0) + 1
        if response.getheader("Connection", "").lower() == "close":
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=60)
    conn.close()
    results.append((statuses, latencies, errors))


def percentile(values, share):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--users", required=True)
    parser.add_argument("--year", type=int, required=True)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--alongside")
    parser.add_argument("--alongside-out")
    args = parser.parse_args()
    password = os.environ.get("LAMTHEOBAC_BENCH_PASSWORD", "bench-password-2026")
    url = urllib.parse.urlsplit(args.base)
    host, port = url.hostname, url.port or 80

    sessions = []
    with open(args.users, encoding="utf-8") as users:
        for line in users:
            if line.strip():
                username, unit_id = line.split()
                sessions.append(Session(username, int(unit_id)))
    if len(sessions) < args.clients:
        sys.exit(f"http_rush: {len(sessions)} secretaries for {args.clients} clients")

    began = time.monotonic()
    failures = []

    def sign_in_all(part):
        for session in part:
            try:
                sign_in(host, port, session, password)
            except (RuntimeError, OSError, http.client.HTTPException) as error:
                failures.append(str(error))

    threads = [threading.Thread(target=sign_in_all, args=(sessions[i::4],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        sys.exit("http_rush: " + failures[0])
    signed_in = time.monotonic() - began

    results = []
    alongside = None
    if args.alongside:
        with open(args.alongside_out or os.devnull, "w", encoding="utf-8") as out:
            alongside = subprocess.Popen(args.alongside, shell=True, stdout=out)
    start = time.monotonic()
    deadline = start + args.duration
    threads = [threading.Thread(target=rush, args=(host, port, sessions[i::args.clients],
                                                   args.year, deadline, i, results))
               for i in range(args.clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.monotonic() - start
    if alongside is not None and alongside.wait() != 0:
        sys.exit(f"http_rush: the command alongside failed ({alongside.returncode})")

    statuses, latencies, errors = {}, [], 0
    for part_statuses, part_latencies, part_errors in results:
        for status, count in part_statuses.items():
            statuses[status] = statuses.get(status, 0) + count
        latencies.extend(part_latencies)
        errors += part_errors
    registered = statuses.get(303, 0)
    print(json.dumps({
        "sessions": len(sessions),
        "sign_in_seconds": round(signed_in, 1),
        "clients": args.clients,
        "seconds": round(seconds, 2),
        "requests": sum(statuses.values()),
        "statuses": {str(status): count for status, count in sorted(statuses.items())},
        "registered": registered,
        "registrations_per_s": round(registered / seconds, 1),
        "server_errors": sum(count for status, count in statuses.items() if status >= 500),
        "connection_errors": errors,
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 1),
        "p95_ms": round(percentile(latencies, 0.95) * 1000, 1),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
        "max_ms": round(max(latencies, default=0) * 1000, 1),
    }))


if __name__ == "__main__":
    main()
