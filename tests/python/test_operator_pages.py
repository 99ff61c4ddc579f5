"""What an operator meets first: the page at `/` without a web root, and `clash-host check-config`."""
import subprocess

import pytest

from hostutil import Host, host_binary


def check_config(*args, env=None):
    return subprocess.run([host_binary(), "check-config", *args], capture_output=True, text=True, timeout=60,
                          env=env)


def test_root_page_without_web_root_shows_version_health_and_links(storage_url):
    h = Host(storage_url)
    try:
        status, headers, body = h.request("GET", "/")
        page = body.decode()
        assert status == 200
        assert headers["content-type"] == "text/html; charset=utf-8"
        _, _, version = subprocess.run([host_binary(), "version"], capture_output=True, text=True).stdout.partition(" ")
        assert f"clash-host {version.strip()}" in page
        assert "<strong>healthy</strong>" in page
        assert "database: ok" in page
        for link in ('href="/health/"', 'href="/metrics"', 'href="/api/challenges/"'):
            assert link in page
        # Only pages this host serves are linked.
        status, _, _ = h.request("GET", "/arena/")
        assert (status == 404) == ('href="/arena/"' not in page)
        assert "--web-root" in page
    finally:
        h.stop()


def test_root_is_the_clients_index_with_a_web_root(tmp_path):
    root = tmp_path / "www"
    root.mkdir()
    (root / "index.html").write_text("<!doctype html><title>the client</title>")
    h = Host(f"sqlite://{tmp_path}/c.db", "--web-root", str(root))
    try:
        status, _, body = h.request("GET", "/")
        assert status == 200
        assert body == b"<!doctype html><title>the client</title>"
    finally:
        h.stop()


def test_check_config_prints_effective_values_with_sources_and_masks_secrets(tmp_path):
    secret = "s3cr3t-" + "x" * 40
    env = {"PATH": "/usr/bin:/bin", "CLASH_SMTP_PASSWORD": "mail-password-123", "CLASH_SECRET_KEY": secret}
    done = check_config("--storage", "postgresql://clash:pg-password-456@db.example:5432/clash?sslmode=require",
                        "--port", "9090", "--github-client-secret", "gh-secret-789",
                        "--redis-url", "redis://:redis-pw-000@cache:6379/0", env=env)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.splitlines()[-1] == "configuration ok"
    lines = dict(line.split(" = ", 1) for line in out.splitlines()[:-1])
    assert lines["port"] == "9090  (flag)"
    assert lines["host"] == "127.0.0.1  (default)"
    assert lines["storage"] == "postgresql://clash:****@db.example:5432/clash?sslmode=require  (flag)"
    assert lines["redis_url"] == "redis://:****@cache:6379/0  (flag)"
    assert lines["secret_key"] == "(set)  (env)"
    assert lines["smtp_password"] == "(set)  (env)"
    assert lines["github_client_secret"] == "(set)  (flag)"
    assert lines["google_client_secret"] == "  (default)"
    for leaked in (secret, "mail-password-123", "pg-password-456", "gh-secret-789", "redis-pw-000"):
        assert leaked not in out
        assert leaked not in done.stderr


@pytest.mark.parametrize("args, message", [
    (["--port", "http"], "port"),
    (["--time-zone", "Mars/Olympus"], "time_zone"),
    (["--secret-key", "short"], "secret_key"),
    (["--log-level", "loud"], "log_level"),
    (["--rate-limit", "otp=lots"], "rate_limit"),
    (["--no-such-option", "1"], "no-such-option"),
])
def test_check_config_rejects_a_bad_value_naming_it(args, message):
    done = check_config(*args)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert message in done.stderr
    assert "configuration ok" not in done.stdout


def test_check_config_opens_nothing(tmp_path):
    db = tmp_path / "never.db"
    done = check_config("--storage", f"sqlite://{db}", "--data-dir", str(tmp_path / "data"))
    assert done.returncode == 0, done.stderr
    assert not db.exists()
    assert not (tmp_path / "data").exists()
