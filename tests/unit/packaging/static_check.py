# SPDX-License-Identifier: Apache-2.0
"""What the static checks (check_deploy.py, check_guide.py) share: how a check reports its outcome."""


def report(problems, summary):
    """Prints each problem, or "ok: <summary>" when there is none; returns the exit status (1 = problems)."""
    for problem in problems:
        print(problem)
    if problems:
        return 1
    print("ok:", summary)
    return 0
