"""`peixun-dbt`: dbt, bound to the process that started it (dagster-dbt runs it as the dbt executable).

Killed with SIGKILL, `peixun run` (or a Dagster run worker) cannot stop its children, and a
`dbt build` left behind (parent: PID 1) would go on writing and locking the warehouse. So
before dbt starts, this process asks Linux for SIGKILL when its parent dies
(prctl PR_SET_PDEATHSIG), then leaves at once if the parent died before it asked. It also
drops from its environment the secrets dbt never needs (the salt, passwords, robot URLs).

And it runs dbt in the warehouse's folder, the profile naming the file by its name alone
(PEIXUN_DBT_WAREHOUSE, dbt/profiles.yml): dbt's partial-parse state keys on the profile's
connection, path included, so every home's `warehouse.duckdb` shares one parse of the project
and a new home does not parse it whole again (about 25 s with 170 nodes).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from pathlib import Path
from typing import NoReturn

from dagster_project.settings import secret_variables

PARENT_VARIABLE = "PEIXUN_DBT_PARENT"  # the pid of the process that starts dbt, set by PeixunDbtCli
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
WAREHOUSE_NAME_VARIABLE = "PEIXUN_DBT_WAREHOUSE"  # the warehouse file relative to dbt's working folder
PATHS_FROM_PROJECT = ("DBT_TARGET_PATH", "DBT_LOG_PATH")  # relative to the project (dagster-dbt's are)


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


def run_in_warehouse_folder() -> None:
    """Move to the folder of PEIXUN_WAREHOUSE and name the file relative to it; the project and the paths
    dbt is given relative to it stay where they were. Without a warehouse file (unset, `:memory:`) or its
    folder, nothing: dbt then names it by its whole path."""
    warehouse = os.environ.get("PEIXUN_WAREHOUSE", "")
    if not warehouse or warehouse.startswith(":") or not Path(warehouse).parent.is_dir():
        return
    project = Path(os.environ.get("DBT_PROJECT_DIR") or os.getcwd()).absolute()
    os.environ["DBT_PROJECT_DIR"] = str(project)
    for name in PATHS_FROM_PROJECT:
        if os.environ.get(name):
            os.environ[name] = str(project / os.environ[name])  # unchanged when it is absolute
    path = Path(warehouse).absolute()
    os.environ[WAREHOUSE_NAME_VARIABLE] = path.name
    os.chdir(path.parent)


def main() -> NoReturn:
    die_with_parent()
    run_in_warehouse_folder()
    for name in secret_variables():
        os.environ.pop(name, None)
    from dbt.cli.main import cli

    sys.argv[0] = "dbt"
    sys.exit(cli())


if __name__ == "__main__":
    main()
