"""The local pool's retries when a worker dies between two tasks (not during one)."""

from __future__ import annotations

import os
import threading
import time

from analyses.experiments.engines import run_local


def answer_then_die(task: dict) -> dict:
    """Return the task's answer; the first task's worker then dies, once its result is out."""
    if task["die_after"]:
        threading.Timer(0.05, os._exit, args=(1,)).start()
    return {"run_id": task["run_id"], "status": "ok", "pid": os.getpid()}


def test_a_worker_dying_after_its_result_costs_nothing() -> None:
    """The pool breaks after task 0's result came back and before task 1 is submitted: task 1
    must run on a new pool, and task 0 keep its result (it is not charged for the death)."""
    tasks = [{"run_id": 0, "die_after": True}, {"run_id": 1, "die_after": False},
             {"run_id": 2, "die_after": False}]
    results = []
    for result in run_local(answer_then_die, tasks, workers=1):
        results.append(result)
        time.sleep(0.5)  # the consumer is slow: the death is seen before the next submit
    assert sorted(r["run_id"] for r in results) == [0, 1, 2]
    assert all(r["status"] == "ok" for r in results)
    assert results[0]["pid"] != results[1]["pid"]  # task 1 ran in a new worker
