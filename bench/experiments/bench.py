#!/usr/bin/env python3
"""Experiment benchmark: N items x 3 code evaluators against a standalone sim, timed end to end.

Usage: bench.py SERVER_URL API_KEY SIM_BASE_URL ITEMS CONCURRENCY
Sets up (provider, prompt, dataset, evaluators), warms the server up with a small experiment, then times
POST /api/experiments -> completed.
Also writes tests.jsonl for the promptfoo comparison (same items)."""
import json, sys, time, urllib.request

server, key, sim, items, concurrency = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])

def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(server + path, data=data, method=method,
                                 headers={"Authorization": "Bearer " + key, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=120) as r:
        return json.loads(r.read() or b"null")

questions = ["How do I reset my password? (#%d)" % i if i % 4 == 0 else "Question %d: how do I export my notes?" % i
             for i in range(items)]
with open("tests.jsonl", "w") as f:
    for q in questions:
        f.write(json.dumps({"vars": {"question": q}}) + "\n")

call("PUT", "/api/providers/benchsim", {"kind": "openai-compatible", "baseUrl": sim})
call("POST", "/api/prompts", {"name": "bench", "messages": [{"role": "user", "content": "{{question}}"}],
                              "model": {"provider": "benchsim", "name": "sim-1"}})
call("POST", "/api/datasets", {"name": "bench", "items": [{"input": {"question": q}, "expectedOutput":
                               "Go to Settings and follow the steps."} for q in questions]})
for ev in [{"name": "short", "kind": "code", "config": {"builtin": "length", "params": {"max": 600}}},
           {"name": "no-canned", "kind": "code", "config": {"builtin": "not-contains-any",
                                                              "params": {"values": ["As an AI"]}}},
           {"name": "close", "kind": "code", "config": {"builtin": "rouge-l", "params": {"threshold": 0.1}}}]:
    call("POST", "/api/evaluators", ev)

def timed_experiment(dataset):
    start = time.monotonic()
    exp = call("POST", "/api/experiments", {"dataset": dataset, "targets": [{"type": "prompt", "prompt": "bench",
                "version": 1}], "evaluators": ["short", "no-canned", "close"], "concurrency": concurrency})["experiment"]
    # Poll the light list endpoint (status and progress only): the detail endpoint computes scorecards.
    while call("GET", "/api/experiments?limit=1")["data"][0]["status"] in ("queued", "running"):
        time.sleep(0.05)
    return exp, time.monotonic() - start

# A long-running server is warm: one small experiment first (JIT, the HTTP connections to the
# provider), then the timed one. The warm-up's time is printed too.
call("POST", "/api/datasets", {"name": "warm-up", "items": [{"input": {"question": q}} for q in questions[:2 * concurrency]]})
_, warm_up = timed_experiment("warm-up")
exp, wall = timed_experiment("bench")
detail = call("GET", "/api/experiments/" + exp["id"])
card = detail["scorecards"][0]
ideal = items * 0.2 / concurrency
print(json.dumps({"warmUpSeconds": round(warm_up, 2), "status": detail["experiment"]["status"], "items": items, "concurrency": concurrency,
                  "wallSeconds": round(wall, 2), "idealSeconds": round(ideal, 2),
                  "overheadPercent": round(100 * (wall - ideal) / ideal, 1), "errors": card["errors"],
                  "latencyP50Ms": card.get("latencyP50Ms"), "criteria": [(c["name"], c["n"]) for c in card["criteria"]]}))
