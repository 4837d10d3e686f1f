#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Static checks of deploy/ and the CI workflow: they parse, reference only files that exist and ports the service serves.
#
# Usage: check_deploy.py SOURCE_DIR dockerfile|compose|workflow|collector [CLI]
# Prints one line per problem and exits 1 when there is any; prints "ok: <what was checked>" otherwise.
# CLI (the built frame-tracking binary) lets the compose check verify every flag the services pass.
import os
import re
import subprocess
import sys

import yaml

from static_check import report

DOCKERFILE_INSTRUCTIONS = {
    "FROM", "RUN", "CMD", "LABEL", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT", "VOLUME", "USER",
    "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL", "MAINTAINER",
}


def service_ports(source):
    """The service's default ports from `frame-tracking serve` (apps/frame-tracking/store/serve.cpp)."""
    text = open(os.path.join(source, "apps/frame-tracking/store/serve.cpp")).read()
    ports = {name: int(port) for name, port in re.findall(r"int (\w+)_port = (\d+);", text)}
    if set(ports) != {"otlp", "query", "admin"}:
        raise SystemExit(f"serve.cpp: expected otlp/query/admin default ports, found {ports}")
    return ports


def dockerfile_instructions(path):
    """(line number, INSTRUCTION, arguments) of a Dockerfile, continuation lines joined, comments dropped."""
    out, pending, start = [], "", 0
    for number, line in enumerate(open(path), 1):
        stripped = line.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if pending and stripped.startswith("#"):
            continue
        if not pending:
            start = number
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        full = pending + stripped
        pending = ""
        word, _, rest = full.partition(" ")
        out.append((start, word, rest.strip()))
    return out


def check_dockerfile(source, problems):
    path = os.path.join(source, "deploy/Dockerfile")
    instructions = dockerfile_instructions(path)
    stages, exposed, healthcheck, user, entrypoint = [], set(), None, None, None
    for line, word, rest in instructions:
        if word != word.upper() or word not in DOCKERFILE_INSTRUCTIONS:
            problems.append(f"Dockerfile:{line}: unknown instruction {word!r}")
            continue
        if not stages and word not in ("FROM", "ARG"):
            problems.append(f"Dockerfile:{line}: {word} before the first FROM")
        if word == "FROM":
            stages.append(rest.split()[0])
            user = None
        if word == "COPY" and "--from=" not in rest:
            args = [a for a in rest.split() if not a.startswith("--")]
            for src in args[:-1]:
                if not os.path.exists(os.path.join(source, src)):
                    problems.append(f"Dockerfile:{line}: COPY source {src!r} does not exist in the repository")
        if word == "EXPOSE":
            exposed |= {int(p.split("/")[0]) for p in rest.split()}
        if word == "HEALTHCHECK":
            healthcheck = rest
        if word == "USER":
            user = rest
        if word == "ENTRYPOINT":
            entrypoint = rest
    ports = service_ports(source)
    if exposed != set(ports.values()):
        problems.append(f"Dockerfile: EXPOSE {sorted(exposed)} but the service serves {sorted(ports.values())}")
    if stages[:1] != ["debian:bookworm"] or stages[-1:] != ["debian:bookworm-slim"] or len(stages) < 2:
        problems.append(f"Dockerfile: stages {stages}; expected a debian:bookworm build and a debian:bookworm-slim runtime")
    if not healthcheck or "frame-tracking" not in healthcheck or "health" not in healthcheck.split("CMD", 1)[-1]:
        problems.append(f"Dockerfile: HEALTHCHECK must run `frame-tracking health` (got {healthcheck!r})")
    elif f":{ports['admin']}" not in healthcheck:
        problems.append(f"Dockerfile: HEALTHCHECK must ask the admin port {ports['admin']}")
    if user in (None, "root", "0"):
        problems.append("Dockerfile: the runtime stage must switch to a non-root USER")
    if not entrypoint or "frame-tracking" not in entrypoint:
        problems.append("Dockerfile: ENTRYPOINT must run frame-tracking")
    text = open(path).read()
    if "0.0.0.0" not in text:
        problems.append("Dockerfile: the service must listen on 0.0.0.0 inside the container")
    return f"Dockerfile: {len(instructions)} instructions, {len(stages)} stages, EXPOSE {sorted(exposed)}"


def cli_flags(cli, command):
    """Long flags in `frame-tracking <command...> --help`."""
    result = subprocess.run([cli, *command, "--help"], capture_output=True, text=True, timeout=30)
    return set(re.findall(r"(?<![\w-])(--[a-z][a-z0-9-]*)", result.stdout))


def check_compose(source, problems, cli):
    deploy = os.path.join(source, "deploy")
    compose = yaml.safe_load(open(os.path.join(deploy, "docker-compose.tracking.yml")))
    services = compose.get("services", {})
    required = {"frame-tracking", "otel-collector", "jaeger", "prometheus", "grafana"}
    if missing := required - set(services):
        problems.append(f"compose: services missing: {sorted(missing)}")
    volumes = set(compose.get("volumes") or {})
    mounts = 0
    for name, service in services.items():
        build = service.get("build")
        if build:
            context = os.path.normpath(os.path.join(deploy, build.get("context", ".")))
            if not os.path.isfile(os.path.join(context, build.get("dockerfile", "Dockerfile"))):
                problems.append(f"compose: {name}: build dockerfile not found")
        for volume in service.get("volumes", []):
            src = volume.split(":")[0]
            mounts += 1
            if src.startswith((".", "/")):
                if not os.path.exists(os.path.normpath(os.path.join(deploy, src))):
                    problems.append(f"compose: {name}: mounts {src!r}, which does not exist")
            elif src not in volumes:
                problems.append(f"compose: {name}: named volume {src!r} is not declared")
        for dependency in service.get("depends_on", []):
            if dependency not in services:
                problems.append(f"compose: {name}: depends on unknown service {dependency!r}")
    ports = service_ports(source)
    tracking = services.get("frame-tracking", {})
    for mapping in tracking.get("ports", []):
        inside = int(str(mapping).split(":")[-1].split("/")[0])
        if inside not in ports.values():
            problems.append(f"compose: frame-tracking publishes {inside}, which the service does not serve")
    # Services that run frame-tracking: every flag must exist, and the serve ports must match the defaults.
    checked_flags = 0
    for name, service in services.items():
        command = service.get("command")
        if not command or "frame-tracking" not in str(service.get("image", "")) + str(service.get("build", "")):
            continue
        path = []
        for word in command:
            if word.startswith("--"):
                break
            path.append(word)
        if path[:1] == ["serve"] and "--listen" not in command:
            problems.append(f"compose: {name}: serve must listen on 0.0.0.0 inside the container")
        if cli:
            known = cli_flags(cli, path)
            for flag in (w for w in command if w.startswith("--")):
                checked_flags += 1
                if flag.split("=")[0] not in known:
                    problems.append(f"compose: {name}: `frame-tracking {' '.join(path)}` has no flag {flag}")
    environment = services.get("rtsp-capture", {}).get("environment", {})
    production = {"OTEL_TRACES_SAMPLER": "parentbased_traceidratio", "OTEL_TRACES_SAMPLER_ARG": "0.1",
                  "OTEL_RESOURCE_ATTRIBUTES": "deployment.environment=production", "OTEL_METRICS_EXPORTER": "prometheus"}
    for key, value in production.items():
        if str(environment.get(key)) != value:
            problems.append(f"compose: pipeline services must set {key}={value} (got {environment.get(key)!r})")
    # Host names used by the collector exporters and the Prometheus/Grafana configuration are compose services.
    collector = yaml.safe_load(open(os.path.join(deploy, "otel-collector/config.yaml")))
    for name, exporter in (collector.get("exporters") or {}).items():
        host = re.sub(r"^\w+://", "", str((exporter or {}).get("endpoint", ""))).split(":")[0]
        if host and host not in services:
            problems.append(f"collector exporter {name}: host {host!r} is not a compose service")
    return (f"compose: {len(services)} services, {mounts} mounts, "
            f"{checked_flags} flags checked against --help" if cli else f"compose: {len(services)} services")


def check_workflow(source, problems):
    path = os.path.join(source, ".github/workflows/frame-tracking.yml")
    workflow = yaml.safe_load(open(path))
    jobs = workflow.get("jobs", {})
    # PyYAML reads the key `on` as the boolean True (YAML 1.1).
    triggers = workflow.get("on", workflow.get(True))
    if not triggers or "push" not in triggers:
        problems.append("workflow: no push trigger")
    steps = 0
    images = set()
    for name, job in jobs.items():
        for service in (job.get("services") or {}).values():
            images.add(service["image"])
        for step in job.get("steps", []):
            steps += 1
            uses = step.get("uses")
            if uses and not re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+", uses):
                problems.append(f"workflow: {name}: action {uses!r} is not pinned to a major version")
            run = step.get("run", "")
            for script in re.findall(r"(?<![\w/$-])((?:scripts|examples|deploy)/[\w./-]+)", run):
                if not os.path.exists(os.path.join(source, script)):
                    problems.append(f"workflow: {name}: runs {script}, which does not exist")
            with_ = step.get("with") or {}
            if "file" in with_ and not os.path.isfile(os.path.join(source, with_["file"])):
                problems.append(f"workflow: {name}: builds {with_['file']}, which does not exist")
    for image in ("redis:7", "rabbitmq:3"):
        if image not in images:
            problems.append(f"workflow: no {image} service container")
    text = open(path).read()
    for needed in ("actions/cache@", "docker/build-push-action@", ":latest", ":main-${{ github.sha }}", "ghcr.io"):
        if needed not in text:
            problems.append(f"workflow: {needed!r} missing")
    return f"workflow: {len(jobs)} jobs, {steps} steps, service containers {sorted(images)}"


def check_collector(source, problems):
    config = yaml.safe_load(open(os.path.join(source, "deploy/otel-collector/config.yaml")))
    kinds = ("receivers", "processors", "exporters", "connectors", "extensions")
    defined = {kind: set((config.get(kind) or {}).keys()) for kind in kinds}
    service = config.get("service") or {}
    used = {kind: set() for kind in kinds}
    for extension in service.get("extensions", []):
        used["extensions"].add(extension)
    pipelines = service.get("pipelines") or {}
    if "traces" not in pipelines:
        problems.append("collector: no traces pipeline")
    for pipeline_name, pipeline in pipelines.items():
        for kind in ("receivers", "processors", "exporters"):
            for component in pipeline.get(kind, []):
                used[kind].add(component)
                if component not in defined[kind] and component not in defined["connectors"]:
                    problems.append(f"collector: pipeline {pipeline_name} uses {kind[:-1]} {component!r}, which is not defined")
    for kind in kinds:
        for component in sorted(defined[kind] - used[kind] - (used["receivers"] | used["exporters"])):
            problems.append(f"collector: {kind[:-1]} {component!r} is defined but never used")
    for kind in ("extensions",):
        for component in used[kind] - defined[kind]:
            problems.append(f"collector: extension {component!r} is used but not defined")
    # The tail-sampling policies the deployment promises: slow, failed, dropped, a ratio of the rest.
    policies = ((config.get("processors") or {}).get("tail_sampling") or {}).get("policies", [])
    types = [p.get("type") for p in policies]
    for needed in ("latency", "status_code", "probabilistic"):
        if needed not in types:
            problems.append(f"collector: tail_sampling has no {needed} policy")
    dropped = [p for p in policies if p.get("type") == "ottl_condition"
               and any("frame.dropped" in c for c in p.get("ottl_condition", {}).get("spanevent", []))]
    if not dropped:
        problems.append("collector: tail_sampling keeps no frame with a frame.dropped span event")
    event_name = open(os.path.join(source, "src/core/frame_tracker.cpp")).read()
    if '"frame.dropped"' not in event_name:
        problems.append("collector: src/core/frame_tracker.cpp no longer names the event frame.dropped")
    for policy in policies:
        if policy.get("type") not in ("always_sample", "latency", "numeric_attribute", "probabilistic", "status_code",
                                      "string_attribute", "rate_limiting", "span_count", "boolean_attribute",
                                      "ottl_condition", "trace_state", "and", "composite"):
            problems.append(f"collector: unknown tail-sampling policy type {policy.get('type')!r}")
    return f"collector: {sum(len(v) for v in defined.values())} components, {len(policies)} tail-sampling policies"


def main():
    source, what = sys.argv[1], sys.argv[2]
    cli = sys.argv[3] if len(sys.argv) > 3 else None
    problems = []
    if what == "dockerfile":
        summary = check_dockerfile(source, problems)
    elif what == "compose":
        summary = check_compose(source, problems, cli)
    elif what == "workflow":
        summary = check_workflow(source, problems)
    elif what == "collector":
        summary = check_collector(source, problems)
    else:
        raise SystemExit(f"unknown check {what!r}")
    return report(problems, summary)


if __name__ == "__main__":
    sys.exit(main())
