"""Loaded before tests/conftest.py: the test run keeps compiled bytecode even where the machine asks Python
not to write it (PYTHONDONTWRITEBYTECODE=1). Without this every worker, and every `leakbot` process a test
starts, compiles the application, its libraries and pytest's rewritten tests again from source: about a
minute of the suite's three on two cores. See docs/decisions.md ("The test run writes bytecode")."""

import os
import sys

sys.dont_write_bytecode = False
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # the xdist workers and the subprocesses inherit it
