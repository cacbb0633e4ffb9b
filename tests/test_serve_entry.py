"""The ``actionbot`` console script (:func:`adapters.cli.main`): a plain ``actionbot serve`` (no option, or
``--workers N``, or ``WEB_CONCURRENCY``) runs the server without typer; everything else goes through typer's
command line, which answers help and refuses bad values as before. Either way a refusal is one line and an exit
code, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from adapters.cli.serving import plain_serve
from store.db import make_engine, upgrade

CONSOLE_SCRIPT = "import sys; sys.argv[0] = 'actionbot'; from adapters.cli import main; main()"
TYPER = "from adapters.cli import app; app(prog_name='actionbot')"


@pytest.mark.parametrize(
    ("args", "environ", "plain"),
    [
        (["serve"], {}, (1, False)),
        (["serve", "--workers", "4"], {}, (4, False)),
        (["serve", "--workers=4"], {}, (4, False)),
        (["serve", "--workers", "64"], {}, (64, False)),
        (["serve"], {"WEB_CONCURRENCY": "3"}, (3, True)),
        (["serve", "--workers", "2"], {"WEB_CONCURRENCY": "3"}, (2, False)),  # the command line wins
        (["serve", "--workers", "2"], {"WEB_CONCURRENCY": "nonsense"}, (2, False)),  # and the variable is unread
        # typer's to answer: help, a value out of range or not a plain number, anything else
        (["serve", "--help"], {}, None),
        (["serve", "--workers", "0"], {}, None),
        (["serve", "--workers", "65"], {}, None),
        (["serve", "--workers", "02"], {}, None),
        (["serve", "--workers", " 2"], {}, None),
        (["serve", "--workers"], {}, None),
        (["serve", "--workers", "2", "--workers", "3"], {}, None),
        (["serve", "--port", "80"], {}, None),
        (["serve"], {"WEB_CONCURRENCY": "0"}, None),
        (["serve"], {"WEB_CONCURRENCY": ""}, None),
        (["serve"], {"WEB_CONCURRENCY": "two"}, None),
        (["clock"], {}, None),
        ([], {}, None),
    ],
)
def test_only_a_plain_serve_skips_typer(
    args: list[str], environ: dict[str, str], plain: tuple[int, bool] | None
) -> None:
    assert plain_serve(args, environ) == plain


@pytest.fixture
def socket_mode_env(tmp_path: Path) -> dict[str, str]:
    url = f"sqlite:///{tmp_path / 'serve.db'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    kept = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "MICROSOFT_", "DATABASE_URL", "WEB_"))}
    return kept | {"DATABASE_URL": url, "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_APP_TOKEN": "xapp-test",
                   "SLACK_API_URL": "http://127.0.0.1:9/api/", "PORT": "9"}


@pytest.mark.parametrize("entry", [CONSOLE_SCRIPT, TYPER], ids=["console script", "typer"])
def test_several_workers_with_socket_mode_are_refused_in_one_line_either_way(
    entry: str, socket_mode_env: dict[str, str], tmp_path: Path
) -> None:
    done = subprocess.run([sys.executable, "-c", entry, "serve", "--workers", "2"], env=socket_mode_env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "actionbot: --workers: Slack's Socket Mode is one connection per app and runs in one process: use "
        "--workers 1, or Slack over HTTP (SLACK_SIGNING_SECRET, no SLACK_APP_TOKEN) to run several"
    ]


@pytest.mark.parametrize(
    ("args", "environ", "says"),
    [
        (["serve", "--workers", "0"], {}, "Invalid value for '--workers'"),
        (["serve"], {"WEB_CONCURRENCY": "two"}, "env var: 'WEB_CONCURRENCY'"),
        (["serve", "--help"], {}, "Web processes sharing the port"),
    ],
)
def test_the_console_script_leaves_help_and_bad_values_to_typer(
    args: list[str], environ: dict[str, str], says: str, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "WEB_CONCURRENCY"} | environ | {"COLUMNS": "200"}
    done = subprocess.run([sys.executable, "-c", CONSOLE_SCRIPT, *args], env=env, cwd=tmp_path, capture_output=True,
                          text=True, timeout=60, check=False)
    assert says in done.stdout + done.stderr
    assert done.returncode == (0 if "--help" in args else 2)
    assert "Traceback" not in done.stderr


def test_ctrl_c_during_a_plain_serve_start_up_says_aborted_as_typer_does(tmp_path: Path) -> None:
    interrupted = ("import sys; sys.argv[0] = 'actionbot'\nimport adapters.cli.serving as serving\n"
                   "def interrupted(*args, **kwargs):\n    raise KeyboardInterrupt\n"
                   "serving.run = interrupted\nfrom adapters.cli import main\nmain()")
    env = {k: v for k, v in os.environ.items() if k != "WEB_CONCURRENCY"}
    done = subprocess.run([sys.executable, "-c", interrupted, "serve"], env=env, cwd=tmp_path, capture_output=True,
                          text=True, timeout=60, check=False)
    assert (done.returncode, done.stderr.strip()) == (1, "Aborted!")
