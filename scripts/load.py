"""Load script (not a test): N concurrent chat sessions against the app on localhost.

    .venv/bin/python scripts/load.py [--sessions 8] [--questions 2] [--seconds 600] [--backend fake|llama-cpp]

Starts `rag chat` in a subprocess on a free loopback port, drives N sessions at
once through the app's /ask endpoint (the same queue and pipeline as the chat),
each asking its own questions, for a bounded number of questions and time, then
stops the server and prints: requests served, failures, answers that carried
another session's question, latency p50/p95, and the server's peak memory.
Traffic goes to 127.0.0.1 only.
"""
from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = [
    "Wie viele Soldaten will Pjöngjang bereitstellen?", "Who is Nico Lange?", "Was kritisiert Roderich Kiesewetter?",
    "Wo fand der BRICS-Gipfel statt?", "What role does China play according to the IZ piece?", "Was sagt Kori Schake über Nordkorea?",
    "Wer ist Andrei Lankov?", "Wann ratifizierte die Duma das Abkommen mit Nordkorea?", "Was meldete der ukrainische Geheimdienst HUR?",
    "How many North Korean soldiers are in Russia?",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def peak_rss_mb(pid: int) -> float:
    total = 0.0
    for p in [pid] + [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1]) / 1024
        except OSError:
            pass
    return total


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sessions", type=int, default=8)
    ap.add_argument("--questions", type=int, default=2, help="questions per session")
    ap.add_argument("--seconds", type=float, default=900, help="stop sending new questions after this")
    ap.add_argument("--backend", default="llama-cpp")
    args = ap.parse_args()

    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    env = dict(os.environ, GRADIO_ANALYTICS_ENABLED="False", RAG_LLM_BACKEND=args.backend)
    server = subprocess.Popen([sys.executable, "-m", "rag.cli", "chat", "--port", str(port)], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        t0 = time.time()
        while True:
            try:
                urllib.request.urlopen(url, timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.time() - t0 > 600:
                    print("the app did not start:", (server.stderr.read() or "")[-2000:])
                    return 1
                time.sleep(1)
        print(f"app up in {time.time() - t0:.0f} s on {url}; {args.sessions} sessions × {args.questions} questions", flush=True)

        from gradio_client import Client

        lat: list[float] = []
        fails: list[str] = []
        crossed = 0
        peak = [0.0]
        stop = threading.Event()
        lock = threading.Lock()

        def sample():
            while not stop.is_set():
                peak[0] = max(peak[0], peak_rss_mb(server.pid))
                time.sleep(0.5)

        def session(i: int):
            nonlocal crossed
            client = Client(url, verbose=False)
            for j in range(args.questions):
                if time.time() - start > args.seconds:
                    return
                q = QUESTIONS[(i + j * args.sessions) % len(QUESTIONS)]
                t = time.time()
                try:
                    out = client.predict(q, [], 0, api_name="/ask")
                except Exception as e:
                    with lock:
                        fails.append(f"{type(e).__name__}: {e}")
                    continue
                with lock:
                    if "error" in out:
                        fails.append(out["error"])
                    else:
                        lat.append(time.time() - t)
                        if out["question"] != q:
                            crossed += 1

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        start = time.time()
        threads = [threading.Thread(target=session, args=(i,)) for i in range(args.sessions)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        stop.set()
        wall = time.time() - start
        lat.sort()
        p = lambda q: lat[min(len(lat) - 1, int(q * (len(lat) - 1)))] if lat else float("nan")  # noqa: E731
        print(f"backend           {args.backend}")
        print(f"requests served   {len(lat)} in {wall:.0f} s")
        print(f"failures          {len(fails)}" + (f" (first: {fails[0]})" if fails else ""))
        print(f"crossed answers   {crossed}")
        print(f"latency p50 / p95 {p(.5):.1f} / {p(.95):.1f} s (queue wait included)")
        print(f"mean              {statistics.mean(lat):.1f} s" if lat else "")
        print(f"server peak RSS   {peak[0]:.0f} MB")
        return 0 if not fails and not crossed else 1
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    sys.exit(main())
