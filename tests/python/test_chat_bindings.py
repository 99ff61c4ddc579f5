"""Chat from Python (issue 14 item 10: bots and moderation scripts), on a SQLite file and a scratch
PostgreSQL database: post and read messages, follow a room with Chat.watch, staff delete and mute."""
import pytest

import clash
from test_economy_bindings import make_staff, make_user


@pytest.fixture(autouse=True)
def _private_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def data_dir(tmp_path):
    return tmp_path / "data"


@pytest.fixture
def engine(storage_url, data_dir):
    with clash.open(storage_url, data_dir=data_dir) as opened:
        yield opened


def test_a_bot_posts_reads_and_watches_the_room(engine, data_dir):
    ada = make_user(engine, data_dir)
    bot = make_user(engine, data_dir)
    first = engine.chat.post(ada.id, "hello from ada")
    assert first["message"] == "hello from ada" and first["seq"] == 1 and first["username"] == ada.username
    with engine.chat.watch() as watch:
        history = watch.get()
        assert history["type"] == "history"
        assert [m["message"] for m in history["messages"]] == ["hello from ada"]
        engine.chat.post(bot.id, "beep")
        frame = watch.get()
        while frame is not None and frame["type"] != "chat_message":
            frame = watch.get()
        assert frame is not None and frame["message"] == "beep" and frame["seq"] == 2
    page = engine.chat.history(limit=10)
    assert [m["message"] for m in page] == ["hello from ada", "beep"]
    assert [m["message"] for m in engine.chat.history(before=2)] == ["hello from ada"]
    assert engine.chat.online() == 0  # a watcher is not a user online
    with pytest.raises(clash.InvalidArgumentError):
        engine.chat.post(ada.id, "")
    with pytest.raises(clash.NotFoundError):
        engine.chat.post(ada.id, "hi", room="lobby")


def test_moderation_script_deletes_and_mutes(engine, data_dir):
    ada = make_user(engine, data_dir)
    root = make_staff(engine)
    msg = engine.chat.post(ada.id, "spam")
    with pytest.raises(clash.PermissionDeniedError):
        engine.chat.mute(ada.id, root.id, 60)
    engine.chat.delete(root.id, msg["id"])
    assert engine.chat.history() == []
    until = engine.chat.mute(root.id, ada.id, 600)
    assert until.endswith("+00:00")
    with pytest.raises(clash.FailedPreconditionError):
        engine.chat.post(ada.id, "more spam")
