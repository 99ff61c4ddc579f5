"""Tests of clash's auth bindings (Engine.auth, User, Session) and Engine.campaign_map().

Each test opens an engine on a SQLite file in a temporary directory and, when
CLASH_TEST_POSTGRES_URL is set, on a scratch PostgreSQL database (created with `createdb`, dropped
afterwards), with data_dir= a temporary directory: login codes are read from the .eml files the
file outbox writes to <data_dir>/outbox. CLASH_REQUIRE_POSTGRES=1 turns a missing URL into a failure.
"""

import datetime
import email
import email.policy
import os
import re
import subprocess
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

import clash

PG_URL = os.environ.get("CLASH_TEST_POSTGRES_URL", "")
REQUIRE_PG = os.environ.get("CLASH_REQUIRE_POSTGRES") == "1"
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL or REQUIRE_PG else [])
UTC = datetime.timezone.utc


# --- fixtures (the scratch-database pattern of test_bindings.py) -------------------------------

@pytest.fixture(autouse=True)
def _private_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def _run(cmd):
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, f"{cmd[0]} failed ({done.returncode}): {done.stderr.strip()}"


@pytest.fixture(params=BACKENDS)
def storage_url(request, tmp_path):
    """A URL naming empty, private storage of each backend."""
    if request.param == "sqlite":
        yield f"sqlite://{tmp_path / 'clash.db'}"
        return
    if not PG_URL:
        pytest.fail("CLASH_REQUIRE_POSTGRES=1 but CLASH_TEST_POSTGRES_URL is not set")
    if "postgresql" not in clash.BACKENDS:
        pytest.fail("CLASH_TEST_POSTGRES_URL is set but this clash module was built with "
                    "CLASH_WITH_POSTGRES=OFF; rebuild with it ON")
    parts = urlsplit(PG_URL)
    admin = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    name = "clash_py_" + uuid.uuid4().hex[:16]
    _run(["createdb", "--maintenance-db", admin, name])
    try:
        yield urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))
    finally:
        _run(["dropdb", "--if-exists", "--force", "--maintenance-db", admin, name])


@pytest.fixture
def data_dir(tmp_path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def engine(storage_url, data_dir):
    with clash.open(storage_url, data_dir=data_dir) as opened:
        yield opened


@pytest.fixture
def auth(engine):
    return engine.auth


def _codes_in(outbox: Path, address: str):
    """Login codes mailed to `address`, oldest first."""
    codes = []
    for path in sorted(outbox.glob("*.eml"), key=lambda p: (p.stat().st_mtime_ns, p.name)):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if message["To"] != address:
            continue
        body = message.get_body(preferencelist=("plain",)).get_content()
        match = re.search(r"Your login code is (\d{6})", body)
        assert match, f"no code in {path.name}: {body!r}"
        codes.append(match.group(1))
    return codes


def request_code(auth, data_dir, address):
    """Requests a code for `address` and returns it, read from the newest .eml in the outbox."""
    auth.request_otp(address)
    codes = _codes_in(data_dir / "outbox", clash.normalize_email(address))
    assert codes, "no mail in the outbox"
    return codes[-1]


def login(auth, data_dir, address):
    return auth.verify_otp(address, request_code(auth, data_dir, address))


# --- OTP login, sessions ------------------------------------------------------------------------

def test_otp_login_creates_the_account_and_authenticates(auth, data_dir):
    session = login(auth, data_dir, "  Ada@Example.COM ")
    assert isinstance(session, clash.Session)
    assert session.created
    user = session.user
    assert isinstance(user, clash.User)
    assert user.id > 0 and user.email == "ada@example.com" and user.username
    assert (user.is_active, user.is_staff, user.is_superuser, user.role) == (True, False, False, "user")
    assert isinstance(user.profile, clash.UserProfile) and user.profile.provider == "email"
    assert user.date_joined.tzinfo is not None and user.date_joined.utcoffset() == datetime.timedelta(0)

    assert session.issued_at.tzinfo is not None
    assert session.access_expires_at - session.issued_at == datetime.timedelta(hours=1)
    assert session.refresh_expires_at - session.issued_at == datetime.timedelta(days=7)
    assert abs(datetime.datetime.now(UTC) - session.issued_at) < datetime.timedelta(minutes=5)

    me = auth.authenticate(session.access_token)
    assert (me.id, me.email, me.username) == (user.id, user.email, user.username)
    assert auth.get_user(user.id).email == "ada@example.com"

    again = login(auth, data_dir, "ada@example.com")
    assert not again.created and again.user.id == user.id


def test_session_repr_never_shows_tokens_but_to_dict_has_them(auth, data_dir):
    session = login(auth, data_dir, "grace@example.com")
    for text in (repr(session), str(session), repr(session.user)):
        assert session.access_token not in text and session.refresh_token not in text
    assert "grace@example.com" not in repr(session.user)
    d = session.to_dict()
    assert d["access_token"] == session.access_token and d["refresh_token"] == session.refresh_token
    assert d["user"]["email"] == "grace@example.com" and d["user"]["role"] == "user"
    assert d["user"]["profile"]["provider"] == "email"
    assert d["issued_at"] == session.issued_at and d["created"] is True
    with pytest.raises(AttributeError):
        session.access_token = "x"
    with pytest.raises(AttributeError):
        session.user.email = "x"


def test_wrong_code_is_invalid_argument(auth, data_dir):
    code = request_code(auth, data_dir, "bob@example.com")
    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(clash.InvalidArgumentError):
        auth.verify_otp("bob@example.com", wrong)


def test_refresh_rotates_and_reusing_a_rotated_token_revokes_the_family(auth, data_dir):
    first = login(auth, data_dir, "carol@example.com")
    second = auth.refresh(first.refresh_token)
    assert second.refresh_token != first.refresh_token and second.access_token != first.access_token
    assert second.user.id == first.user.id and not second.created

    with pytest.raises(clash.UnauthenticatedError) as reused:
        auth.refresh(first.refresh_token)
    assert reused.value.code == "unauthenticated"
    with pytest.raises(clash.UnauthenticatedError):    # the whole family is revoked
        auth.refresh(second.refresh_token)


def test_logout_revokes_the_refresh_token(auth, data_dir):
    session = login(auth, data_dir, "dan@example.com")
    auth.logout(session.refresh_token)
    with pytest.raises(clash.UnauthenticatedError):
        auth.refresh(session.refresh_token)
    with pytest.raises(clash.UnauthenticatedError):
        auth.logout("not-a-token")
    with pytest.raises(clash.UnauthenticatedError):
        auth.authenticate("not-a-token")


def test_sixth_otp_request_in_the_window_is_rate_limited(auth, data_dir):
    for _ in range(5):
        auth.request_otp("eve@example.com")
    assert len(_codes_in(data_dir / "outbox", "eve@example.com")) == 5
    with pytest.raises(clash.ResourceExhaustedError) as limited:
        auth.request_otp("eve@example.com")
    assert limited.value.code == "resource_exhausted"
    # The window ends 600 s after the first request; Retry-After rounds the time left up.
    assert limited.value.retry_after == 600
    assert len(_codes_in(data_dir / "outbox", "eve@example.com")) == 5


@pytest.mark.parametrize("bad", ["", "no-at-sign", "a@b", "two@@example.com", "sp ace@example.com"])
def test_bad_email_is_invalid_argument(auth, bad):
    with pytest.raises(clash.InvalidArgumentError) as error:
        auth.request_otp(bad)
    assert error.value.code == "invalid_argument"
    with pytest.raises(ValueError):
        clash.normalize_email(bad)


def test_normalize_email():
    assert clash.normalize_email("  Ada@Example.COM ") == "ada@example.com"


# --- admin accounts, roles, blocking --------------------------------------------------------------

def test_create_superuser_and_admin_login(auth):
    admin = auth.create_superuser("root", "Root@Example.com", "correct horse battery")
    assert (admin.username, admin.email, admin.is_staff, admin.is_superuser, admin.role) == (
        "root", "root@example.com", True, True, "superuser")
    session = auth.admin_login("root", "correct horse battery")
    assert session.user.id == admin.id
    assert auth.authenticate(session.access_token).is_superuser

    with pytest.raises(clash.InvalidArgumentError):
        auth.admin_login("root", "wrong password!")
    with pytest.raises(clash.AlreadyExistsError):
        auth.create_superuser("root", "other@example.com", "correct horse battery")
    with pytest.raises(clash.InvalidArgumentError):
        auth.create_superuser("short", "short@example.com", "short")


def test_blocking_a_user_refuses_their_tokens(auth, data_dir):
    admin = auth.create_superuser("root", "root@example.com", "correct horse battery")
    session = login(auth, data_dir, "frank@example.com")
    user_id = session.user.id

    auth.set_active(admin, user_id, False)
    assert auth.get_user(user_id).is_active is False
    with pytest.raises(clash.UnauthenticatedError):
        auth.authenticate(session.access_token)
    with pytest.raises(clash.Error):
        auth.refresh(session.refresh_token)
    with pytest.raises(clash.PermissionDeniedError):
        login(auth, data_dir, "frank@example.com")

    auth.set_active(admin, user_id, True)
    fresh = login(auth, data_dir, "frank@example.com")
    assert auth.authenticate(fresh.access_token).id == user_id


def test_roles_and_permissions(auth, data_dir):
    admin = auth.create_superuser("root", "root@example.com", "correct horse battery")
    plain = login(auth, data_dir, "gina@example.com").user
    other = login(auth, data_dir, "hal@example.com").user

    with pytest.raises(clash.PermissionDeniedError):
        auth.set_active(plain, other.id, False)
    with pytest.raises(clash.PermissionDeniedError):
        auth.set_role(plain, other.id, "staff")
    with pytest.raises(clash.InvalidArgumentError):
        auth.set_role(admin, other.id, "emperor")

    auth.set_role(admin, plain.id, "staff")
    staff = auth.get_user(plain.id)
    assert (staff.is_staff, staff.is_superuser, staff.role) == (True, False, "staff")
    auth.set_role(admin, plain.id, "user")
    assert auth.get_user(plain.id).role == "user"
    with pytest.raises(clash.FailedPreconditionError):    # the last active superuser
        auth.set_role(admin, admin.id, "user")


def test_delete_account(auth, data_dir):
    user = login(auth, data_dir, "ivy@example.com").user
    auth.delete_account(user.id)
    with pytest.raises(clash.NotFoundError):
        auth.get_user(user.id)
    with pytest.raises(LookupError):
        auth.get_user(user.id)


def test_jwks_is_a_parsed_document(auth):
    jwks = auth.jwks()
    assert isinstance(jwks, dict)
    assert jwks["keys"] and all(key["kty"] == "RSA" for key in jwks["keys"])


def test_closed_engine_refuses_auth_calls(storage_url, data_dir):
    engine = clash.open(storage_url, data_dir=data_dir)
    auth = engine.auth
    engine.close()
    with pytest.raises(clash.FailedPreconditionError):
        auth.request_otp("jo@example.com")


# --- open(): data_dir and secret_key ------------------------------------------------------------

def test_generated_files_go_to_data_dir(auth, data_dir):
    auth.request_otp("kim@example.com")
    assert (data_dir / "keys").is_dir()
    assert (data_dir / "secret.key").is_file()
    assert len(list((data_dir / "outbox").glob("*.eml"))) == 1


def test_default_data_dir_sits_next_to_the_sqlite_file(tmp_path):
    db = tmp_path / "sub" / "game.db"
    db.parent.mkdir()
    with clash.open(f"sqlite://{db}") as engine:
        engine.auth.request_otp("lee@example.com")
    assert (tmp_path / "sub" / "game.db-data" / "outbox").is_dir()
    assert not (tmp_path / "clash-data").exists()


def test_default_data_dir_is_clash_data_in_the_working_directory(tmp_path):
    with clash.open("sqlite::memory:") as engine:
        engine.auth.jwks()
    assert (tmp_path / "clash-data" / "keys").is_dir()


def test_secret_key_is_used_instead_of_a_file(storage_url, data_dir):
    with clash.open(storage_url, data_dir=data_dir, secret_key="k" * 40) as engine:
        engine.auth.jwks()
    assert not (data_dir / "secret.key").exists()
    for bad in ("short", ""):
        with pytest.raises(clash.InvalidArgumentError):
            clash.open(storage_url, data_dir=data_dir, secret_key=bad)


def test_open_arguments_after_the_url_are_keyword_only(storage_url, data_dir):
    with pytest.raises(TypeError):
        clash.open(storage_url, data_dir)


# --- campaign map ---------------------------------------------------------------------------------

def test_campaign_map_for_a_new_player(engine, repo_root):
    assert engine.campaign_map() == []
    engine.load_levels(repo_root / "data" / "levels")
    standings = engine.campaign_map()
    assert [s.level.slug for s in standings] == [f"python-{n:03d}" for n in range(1, 61)]
    assert [s.state for s in standings] == ["UNLOCKED"] + ["LOCKED"] * 59
    assert all(s.stars == 0 for s in standings)
    level, state, stars = standings[0]
    assert (level.slug, state, stars) == ("python-001", "UNLOCKED", 0)
    assert level.secrets.solution == ""
    d = standings[0].to_dict()
    assert d["state"] == "UNLOCKED" and d["level"]["slug"] == "python-001"
    assert "python-001" in repr(standings[0]) and "UNLOCKED" in repr(standings[0])
