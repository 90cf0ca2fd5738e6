#!/usr/bin/env python3
"""A storm of wrong passwords at a running server, and the server's memory meanwhile.

Each of CLIENTS threads opens the sign-in page (its own session and CSRF token), waits
for the others, then all post a wrong password at once for usernames that do not
exist (storm.0, storm.1, ...). With --forwarded each claims an address of its own in
X-Forwarded-For (start the server with TRUSTED_PROXIES=127.0.0.1 so that the address
throttle holds none back and every attempt reaches password hashing or its queue);
without it the address throttle stops all but the first 20. With --pid the server's
VmRSS and VmHWM (from /proc/PID/status) are read before, right after, and --settle
seconds after; --reset-peak first resets the server's VmHWM (/proc/PID/clear_refs,
needs the right to write it), so that the peak is the storm's.

Prints one JSON object: answers by status, seconds taken, memory in MB.
Standard library only. Usage:
  sign_in_storm.py --base http://127.0.0.1:18080 [--clients 128] [--forwarded]
      [--pid PID [--reset-peak] [--settle 20]]
"""

import argparse
import http.client
import json
import re
import threading
import time
import urllib.parse

TOKEN_INPUT = re.compile(r'<input[^>]*name="csrf_token"[^>]*>')
TOKEN_VALUE = re.compile(r'value="([^"]+)"')


def memory_mb(pid):
    """VmRSS and VmHWM of process PID, in MB."""
    figures = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                figures[name] = round(int(value.split()[0]) / 1024, 1)
    return figures


def one_client(host, port, number, forwarded, barrier, results):
    connection = http.client.HTTPConnection(host, port, timeout=60)
    try:
        connection.request("GET", "/login")
        response = connection.getresponse()
        page = response.read().decode("utf-8", "replace")
        cookie = (response.getheader("Set-Cookie") or "").split(";")[0]
        tag = TOKEN_INPUT.search(page)
        token = TOKEN_VALUE.search(tag.group(0)).group(1) if tag else ""
        body = urllib.parse.urlencode({
            "username": f"storm.{number}",
            "password": "not-the-password-at-all",
            "csrf_token": token,
        })
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
        if forwarded:
            headers["X-Forwarded-For"] = f"10.{number // 250}.{number % 250}.1"
        barrier.wait()
        connection.request("POST", "/login", body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        results[number] = response.status
    except Exception as error:  # noqa: BLE001 - every failure is reported, none hidden
        results[number] = f"error: {error}"
        try:
            barrier.abort()
        except threading.BrokenBarrierError:
            pass
    finally:
        connection.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:18080")
    parser.add_argument("--clients", type=int, default=128)
    parser.add_argument("--forwarded", action="store_true")
    parser.add_argument("--pid", type=int)
    parser.add_argument("--reset-peak", action="store_true")
    parser.add_argument("--settle", type=float, default=20.0)
    args = parser.parse_args()
    if not 1 <= args.clients <= 1000:
        parser.error("--clients must be from 1 to 1000")
    url = urllib.parse.urlparse(args.base)
    report = {"clients": args.clients, "forwarded": args.forwarded}
    if args.pid:
        report["before_mb"] = memory_mb(args.pid)
        if args.reset_peak:
            with open(f"/proc/{args.pid}/clear_refs", "w", encoding="ascii") as refs:
                refs.write("5")
    barrier = threading.Barrier(args.clients + 1)
    results = [None] * args.clients
    threads = [
        threading.Thread(
            target=one_client,
            args=(url.hostname, url.port or 80, number, args.forwarded, barrier, results),
        )
        for number in range(args.clients)
    ]
    for thread in threads:
        thread.start()
    barrier.wait(timeout=120)
    started = time.monotonic()
    for thread in threads:
        thread.join(timeout=120)
    report["seconds"] = round(time.monotonic() - started, 2)
    answers = {}
    for result in results:
        answers[str(result)] = answers.get(str(result), 0) + 1
    report["answers"] = answers
    if args.pid:
        report["right_after_mb"] = memory_mb(args.pid)
        time.sleep(args.settle)
        report[f"after_{args.settle:g}s_mb"] = memory_mb(args.pid)
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
