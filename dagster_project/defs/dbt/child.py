"""`peixun-dbt`: dbt, bound to the process that started it (dagster-dbt runs it as the dbt executable).

Killed with SIGKILL, `peixun run` (or a Dagster run worker) cannot stop its children, and a
`dbt build` left behind (parent: PID 1) would go on writing and locking the warehouse. So
before dbt starts, this process asks Linux for SIGKILL when its parent dies
(prctl PR_SET_PDEATHSIG), then leaves at once if the parent died before it asked. It also
drops from its environment the secrets dbt never needs (the salt, passwords, robot URLs).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from typing import NoReturn

from dagster_project.settings import secret_variables

PARENT_VARIABLE = "PEIXUN_DBT_PARENT"  # the pid of the process that starts dbt, set by PeixunDbtCli
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def die_with_parent() -> None:
    """SIGKILL when the parent dies; exit now when it is already gone (Linux; elsewhere nothing)."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    expected = os.environ.get(PARENT_VARIABLE)
    if expected and os.getppid() != int(expected):  # orphaned before the request took effect
        os._exit(1)


def main() -> NoReturn:
    die_with_parent()
    for name in secret_variables():
        os.environ.pop(name, None)
    from dbt.cli.main import cli

    sys.argv[0] = "dbt"
    sys.exit(cli())


if __name__ == "__main__":
    main()
