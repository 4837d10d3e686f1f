#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Checks docs/frame-tracking-guide.md against the code: snippets, OTEL_* variables and CLI flags.
#
# Usage: check_guide.py SOURCE_DIR snippets|variables|flags [CLI]
#   snippets   every ```cpp block starts with `// examples/<file>: <region>` and equals that region of the
#              example (between `// guide:begin <region>` and `// guide:end <region>`, dedented); the examples
#              are built against the installed package by the package.examples test, so the guide's code compiles.
#   variables  every OTEL_* variable the code reads, and every FRAME_TRACKING_* flag variable, appears in the guide.
#   flags      every long flag of every command and subcommand in `CLI --help` appears in the guide, and
#              every command is named in it.
#   reference  prints the guide's command-line reference table from `CLI --help` (to paste when commands change).
# Prints one line per problem and exits 1 when there is any.
import os
import re
import subprocess
import sys
import textwrap

from static_check import report


def guide_text(source):
    return open(os.path.join(source, "docs/frame-tracking-guide.md")).read()


def example_region(source, file, region):
    path = os.path.join(source, "examples", file)
    if not os.path.isfile(path):
        return None
    lines = open(path).read().splitlines()
    try:
        begin = next(i for i, line in enumerate(lines) if line.strip() == f"// guide:begin {region}")
        end = next(i for i, line in enumerate(lines) if line.strip() == f"// guide:end {region}")
    except StopIteration:
        return None
    return textwrap.dedent("\n".join(lines[begin + 1:end])).strip("\n")


def check_snippets(source, problems):
    blocks = re.findall(r"```cpp\n(.*?)```", guide_text(source), re.S)
    for number, block in enumerate(blocks, 1):
        first, _, body = block.partition("\n")
        marker = re.fullmatch(r"// examples/([\w.]+): ([\w-]+)", first.strip())
        if not marker:
            problems.append(f"cpp block {number}: first line must be `// examples/<file>: <region>`, got {first!r}")
            continue
        region = example_region(source, *marker.groups())
        if region is None:
            problems.append(f"cpp block {number}: no region {marker.group(2)!r} in examples/{marker.group(1)}")
        elif body.strip("\n") != region:
            problems.append(f"cpp block {number}: differs from examples/{marker.group(1)} region {marker.group(2)!r}")
    if not blocks:
        problems.append("the guide has no ```cpp block")
    return f"{len(blocks)} C++ snippets match their examples"


def check_variables(source, problems):
    guide = guide_text(source)
    names = set()
    for folder in ("include", "src", "apps"):
        for root, _, files in os.walk(os.path.join(source, folder)):
            for file in files:
                if file.endswith((".cpp", ".hpp")):
                    names |= set(re.findall(r'"(OTEL_[A-Z0-9_]+)"', open(os.path.join(root, file)).read()))
    otlp = open(os.path.join(source, "src/otlp/otlp_http_exporter_options.cpp")).read()
    for suffix in re.findall(r'lookup\(env, "([A-Z_]+)"\)', otlp):
        names |= {f"OTEL_EXPORTER_OTLP_{suffix}", f"OTEL_EXPORTER_OTLP_TRACES_{suffix}"}
    for root, _, files in os.walk(os.path.join(source, "apps")):
        for file in files:
            if file.endswith(".cpp"):
                names |= set(re.findall(r'envname\("(FRAME_TRACKING_[A-Z0-9_]+)"\)', open(os.path.join(root, file)).read()))
    for name in sorted(names):
        if name not in guide:
            problems.append(f"environment variable {name} (read by the code) is not in the guide")
    return f"{len(names)} OTEL_* and FRAME_TRACKING_* variables documented"


def help_of(cli, path, with_description=False):
    result = subprocess.run([cli, *path, "--help"], capture_output=True, text=True, timeout=30)
    text = result.stdout
    if with_description:
        return text.splitlines()[0] if text else ""
    flags = set(re.findall(r"^\s+(?:-\w,)?(--[a-z][a-z0-9-]*)", text, re.M))
    subcommands = []
    if "\nSubcommands:\n" in text:
        for line in text.split("\nSubcommands:\n", 1)[1].splitlines():
            match = re.match(r"^  ([a-z][\w-]*)\s", line)
            if match:
                subcommands.append(match.group(1))
            elif line and not line.startswith(" "):
                break
    return flags, subcommands


def check_flags(source, cli, problems):
    guide = guide_text(source)
    pending, commands, flag_count = [[]], 0, 0
    while pending:
        path = pending.pop()
        flags, subcommands = help_of(cli, path)
        if path:
            commands += 1
            if f"frame-tracking {' '.join(path)}" not in guide and f"`{path[-1]}`" not in guide:
                problems.append(f"command `frame-tracking {' '.join(path)}` is not in the guide")
        for flag in sorted(flags - {"--help"}):
            flag_count += 1
            if not re.search(re.escape(flag) + r"(?![a-z0-9-])", guide):
                problems.append(f"`frame-tracking {' '.join(path)}` flag {flag} is not in the guide")
        pending += [path + [sub] for sub in subcommands]
    return f"{commands} commands, {flag_count} flags documented"


def print_reference(cli):
    print("| command | what it does | flags |")
    print("|---|---|---|")
    pending = [[]]
    while pending:
        path = pending.pop(0)
        flags, subcommands = help_of(cli, path)
        if path:
            description = help_of(cli, path, with_description=True).replace("|", "\\|")
            listed = ", ".join(f"`{flag}`" for flag in sorted(flags - {"--help"})) or "—"
            print(f"| `frame-tracking {' '.join(path)}` | {description} | {listed} |")
        pending += [path + [sub] for sub in subcommands]
    return 0


def main():
    source, what = sys.argv[1], sys.argv[2]
    problems = []
    if what == "snippets":
        summary = check_snippets(source, problems)
    elif what == "variables":
        summary = check_variables(source, problems)
    elif what == "reference":
        return print_reference(sys.argv[3])
    elif what == "flags":
        summary = check_flags(source, sys.argv[3], problems)
    else:
        raise SystemExit(f"unknown check {what!r}")
    return report(problems, summary)


if __name__ == "__main__":
    sys.exit(main())
