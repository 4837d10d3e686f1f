# SPDX-License-Identifier: Apache-2.0
"""python -m frame_tracking.health answers exactly like `frame-tracking health` against a real service."""

import socket
import subprocess
import sys

from conftest import env_path


def run(*args: str):
    return subprocess.run(list(args), capture_output=True, text=True, timeout=60)


def test_healthy_service_same_output_as_the_cli(serve):
    for flags in ([], ["--json"]):
        python = run(sys.executable, "-m", "frame_tracking.health", "--url", serve.admin_url + "/", *flags)
        cli = run(str(env_path("FT_CLI")), "health", "--url", serve.admin_url + "/", *flags)
        assert (python.returncode, cli.returncode) == (0, 0), python.stdout + python.stderr + cli.stdout
        assert python.stdout == cli.stdout
    assert python.stdout.startswith('{"health":{')
    assert python.stdout.endswith(f',"healthy":true,"url":"{serve.admin_url}/health"}}\n')


def test_no_service_is_unhealthy():
    with socket.socket() as sock:  # a port nobody listens on once closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    python = run(sys.executable, "-m", "frame_tracking.health", "--url", url, "--timeout-ms", "2000")
    assert python.returncode == 1
    assert python.stdout.startswith(f"unhealthy: no answer from {url}/health: ")
    bad = run(sys.executable, "-m", "frame_tracking.health", "--timeout-ms", "0")
    assert bad.returncode == 2
