"""deploy/: every Kubernetes manifest, systemd unit and the Dockerfile names commands, flags and
CLASH_* variables clash-host has, with values it accepts (checked by `clash-host check-config`), the
probes answer on a real host, and the Kubernetes objects refer to each other consistently."""
import json
import re
import shlex
import subprocess
from pathlib import Path

import yaml

from hostutil import REPO, Host, host_binary

DEPLOY = Path(REPO) / "deploy"
# Values for what the manifests take from Secrets (never in the repo).
SECRET_STAND_INS = {
    "CLASH_STORAGE": "postgresql://clash:pw@postgres:5432/clash",
    "CLASH_REDIS_URL": "redis://redis:6379/0",
    "CLASH_SECRET_KEY": "k" * 64,
    "CLASH_JWT_PRIVATE_KEY": "",
    "CLASH_OAUTH_STATE_SECRET": "s" * 64,
}


def help_text():
    return subprocess.run([host_binary(), "help"], capture_output=True, text=True).stdout


def commands():
    usage = help_text().splitlines()[0]
    return set(re.findall(r"[a-z][a-z-]+", usage.split("clash-host", 1)[1].split("[options]")[0]))


def check_config(args, env):
    """Validates a command line the way it would run: the command exists, then check-config with
    the same flags and environment accepts every value."""
    assert args[0] == "clash-host" or args[0].endswith("/clash-host"), args
    command, flags = args[1], [a for a in args[2:]]
    assert command in commands(), f"unknown command {command!r} in {args}"
    if command in ("backup", "restore"):
        flags = flags[1:]  # the FILE argument
    done = subprocess.run([host_binary(), "check-config", *flags], capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", **env})
    assert done.returncode == 0, f"{args} with {sorted(env)}: {done.stderr}"
    return done.stdout


def k8s_objects():
    objects = []
    for path in sorted((DEPLOY / "k8s").glob("*.yaml")):
        objects += [doc for doc in yaml.safe_load_all(path.read_text()) if doc]
    return objects


def test_kubernetes_objects_are_complete_and_consistent():
    objects = k8s_objects()
    by_kind = {}
    for obj in objects:
        by_kind.setdefault(obj["kind"], []).append(obj)
    for kind in ("Deployment", "Service", "Ingress", "HorizontalPodAutoscaler", "PodDisruptionBudget", "ConfigMap"):
        assert kind in by_kind, f"no {kind} in deploy/k8s"
    assert "Secret" not in by_kind, "secrets are created by the operator, never stored in the repo"
    deployments = {d["metadata"]["name"]: d for d in by_kind["Deployment"]}
    host = deployments["clash-host"]
    pod_labels = host["spec"]["template"]["metadata"]["labels"]
    assert host["spec"]["selector"]["matchLabels"].items() <= pod_labels.items()
    for svc in by_kind["Service"]:
        assert svc["spec"]["selector"].items() <= pod_labels.items()
    service_names = {s["metadata"]["name"] for s in by_kind["Service"]}
    for ing in by_kind["Ingress"]:
        for rule in ing["spec"]["rules"]:
            for p in rule["http"]["paths"]:
                assert p["backend"]["service"]["name"] in service_names
        assert ing["metadata"]["annotations"]["nginx.ingress.kubernetes.io/proxy-read-timeout"] == "3600"
    for hpa in by_kind["HorizontalPodAutoscaler"]:
        assert hpa["spec"]["scaleTargetRef"]["name"] in deployments
    for pdb in by_kind["PodDisruptionBudget"]:
        assert pdb["spec"]["selector"]["matchLabels"].items() <= pod_labels.items()
    container = host["spec"]["template"]["spec"]["containers"][0]
    assert container["readinessProbe"]["httpGet"]["path"] == "/ready/"
    assert container["livenessProbe"]["httpGet"]["path"] == "/health/"
    security = container["securityContext"]
    assert security.get("privileged", False) is False
    assert security["allowPrivilegeEscalation"] is False
    assert security["capabilities"]["drop"] == ["ALL"]
    assert "add" not in security["capabilities"]


def test_kubernetes_containers_use_real_commands_flags_and_values():
    objects = k8s_objects()
    config_maps = {c["metadata"]["name"]: c["data"] for c in objects if c["kind"] == "ConfigMap"}
    checked = 0
    for dep in (o for o in objects if o["kind"] == "Deployment"):
        for c in dep["spec"]["template"]["spec"]["containers"]:
            env = {}
            for src in c.get("envFrom", []):
                env.update(config_maps[src["configMapRef"]["name"]])
            for var in c.get("env", []):
                env[var["name"]] = var["value"] if "value" in var else SECRET_STAND_INS[var["name"]]
            assert all(k.startswith("CLASH_") for k in env), env
            effective = check_config(c["command"] + c.get("args", []), env)
            for name in env:  # every variable is an option clash-host reads
                key = name[len("CLASH_"):].lower()
                assert re.search(rf"^{key} = .*\((env|flag)\)$", effective, re.M), f"{name} is not an option"
            checked += 1
    assert checked >= 1


def systemd_lines(path):
    lines = []
    for line in path.read_text().splitlines():
        if "=" in line and not line.startswith("#"):
            key, _, value = line.partition("=")
            lines.append((key.strip(), value.strip()))
    return lines


def test_systemd_units_use_real_commands_and_variables():
    units = sorted((DEPLOY / "systemd").glob("*.service"))
    assert units
    for unit in units:
        lines = systemd_lines(unit)
        env = dict(v.split("=", 1) for k, v in lines if k == "Environment")
        env.setdefault("CLASH_SECRET_KEY", "k" * 64)  # from EnvironmentFile on a real machine
        for key, value in lines:
            if key not in ("ExecStart", "ExecStartPre"):
                continue
            argv = shlex.split(value.lstrip("-"))
            if argv[0] == "/bin/sh":  # sh -c 'exec clash-host ...'
                argv = shlex.split(argv[2].replace("exec ", "", 1).replace("%%", "%"))
            check_config(argv, env)


def test_dockerfile_entrypoint_and_healthcheck():
    text = (DEPLOY / "docker" / "Dockerfile").read_text()
    entry = json.loads(re.search(r"^ENTRYPOINT (.*)$", text, re.M).group(1))
    cmd = json.loads(re.search(r"^CMD (.*)$", text, re.M).group(1))
    check_config(entry + cmd, {"CLASH_DATA_DIR": "/var/lib/clash"})
    health = re.search(r"^HEALTHCHECK .*CMD (.*)$", text, re.M).group(1)
    assert "/ready/" in health
    assert "cpack -G DEB" in text


def test_probe_paths_answer_on_a_real_host(tmp_path):
    paths = set()
    for dep in (o for o in k8s_objects() if o["kind"] == "Deployment"):
        for c in dep["spec"]["template"]["spec"]["containers"]:
            for probe in ("readinessProbe", "livenessProbe"):
                if probe in c:
                    paths.add(c[probe]["httpGet"]["path"])
    h = Host(f"sqlite://{tmp_path}/probe.db")
    try:
        for path in sorted(paths):
            status, _, _ = h.request("GET", path)
            assert status == 200, path
    finally:
        h.stop()
