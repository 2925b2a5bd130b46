"""How the test run uses the machine; loaded before tests/conftest.py. See docs/decisions.md ("The test
run's workers and bytecode").

- Bytecode is kept even where the machine asks Python not to write it (PYTHONDONTWRITEBYTECODE=1).
  Otherwise every worker, and every `leakbot` process a test starts, compiles the application and
  pytest's rewritten tests again from source.
- Two workers per core (`-n auto`): the end-to-end tests spend much of their time waiting on real
  clocks (retries' back-off, the platforms' rate limits, a reminder's due time), so one worker per
  core leaves a core idle for a third of the run. With the slow tests (LEAKBOT_SLOW_TESTS=1, CI), one
  per core: among them are stress tests (200 reports at once) whose promise, Slack's 3 s, a core
  shared by two workers cannot keep.
"""

import os
import sys

sys.dont_write_bytecode = False
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # the xdist workers and the subprocesses inherit it

WORKERS_PER_CORE = 2
MAX_WORKERS = 8  # each worker has a PostgreSQL database of its own and several local servers


def pytest_xdist_auto_num_workers(config) -> int:
    cores = os.cpu_count() or 1
    if os.environ.get("LEAKBOT_SLOW_TESTS") == "1":
        return cores
    return min(MAX_WORKERS, WORKERS_PER_CORE * cores)
