"""Pseudonyms are HMAC-SHA-256 keyed by PEIXUN_PII_SALT, computed by DuckDB in bulk, full length; no run
without a key of at least 32 characters."""

from __future__ import annotations

import hashlib
import hmac
import os
import subprocess
import sys

import duckdb
import pytest

from dagster_project.lib.pseudonym import hmac_sql, use_key
from tests.conftest import SALT

RFC_4231 = [  # (key, data, HMAC-SHA-256): the test cases of RFC 4231 whose data is text (1, 2, 6, 7)
    (b"\x0b" * 20, "Hi There", "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
    (b"Jefe", "what do ya want for nothing?", "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
    (b"\xaa" * 131, "Test Using Larger Than Block-Size Key - Hash Key First",
     "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
    (b"\xaa" * 131, "This is a test using a larger than block-size key and a larger than block-size data. The key "
                    "needs to be hashed before being used by the HMAC algorithm.",
     "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
]


@pytest.mark.parametrize(("key", "data", "expected"), RFC_4231)
def test_duckdb_computes_the_rfc_4231_vectors(key, data, expected):
    with duckdb.connect() as con:
        use_key(con, key)
        assert con.execute(f"select {hmac_sql('?::varchar')}", [data]).fetchone()[0] == expected


def test_duckdb_agrees_with_python_on_chinese_text_in_one_query():
    values = ["440101198001010011", "张三", "欧阳娜娜", "13800138000", "  ", "Ａ全角", None]
    key = SALT + "盐"  # a key that is not ASCII
    with duckdb.connect() as con:
        use_key(con, key)
        got = con.execute(f"select {hmac_sql('v')} from unnest(?) as t(v)", [values]).fetchall()
    expected = [hmac.new(key.encode(), v.encode(), hashlib.sha256).hexdigest() if v is not None else None
                for v in values]
    assert [g for (g,) in got] == expected
    assert all(len(g) == 64 for g in expected if g)  # the full 256 bits are stored


def test_without_a_key_the_query_fails_instead_of_storing_nulls():
    with duckdb.connect() as con, pytest.raises(duckdb.InvalidInputException, match="no pseudonym key"):
        con.execute(f"select {hmac_sql('v')} from (values ('440101198001010011')) t(v)").fetchall()


def test_the_key_never_appears_in_sql_text():
    assert SALT not in hmac_sql('"national_id"') and "getvariable" in hmac_sql("v")


@pytest.mark.parametrize("salt", [None, "short-salt"])
def test_peixun_run_refuses_without_a_long_salt(tmp_path, salt):
    env = {k: v for k, v in os.environ.items() if k != "PEIXUN_PII_SALT"}
    if salt:
        env["PEIXUN_PII_SALT"] = salt
    home = tmp_path / "home"
    done = subprocess.run([sys.executable, "-m", "dagster_project.cli", "run", "--home", str(home)], env=env,
                          capture_output=True, text=True)
    assert done.returncode == 2
    assert len(done.stderr.splitlines()) == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("peixun run: PEIXUN_PII_SALT ")
    assert "PEIXUN_PII_SALT=$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')" in done.stderr
    assert not home.exists()  # refused before anything was written
