"""Clash: the level catalogue and storage of the Clash coding platform, from Python.

Open an engine on a storage URL, then read and write the campaign's levels, log users in through
``engine.auth``, run the XP economy through ``engine.ledger``, ``engine.check_ins``,
``engine.referrals``, ``engine.shop``, ``engine.payments``, ``engine.achievements`` and
``engine.events``, play the learning campaign through ``engine.campaign`` (``clash.levels.validate``
checks level folders), and judge code in the sandbox with ``engine.judge``::

    import clash

    with clash.open("sqlite:///tmp/clash.db", data_dir="/tmp/clash-data") as engine:
        if not engine.levels():
            engine.load_levels("data/levels")
        for level in engine.levels():
            print(level.order, level.slug, level.title, level.xp_reward)
        engine.auth.request_otp("ada@example.com")     # the code lands in /tmp/clash-data/outbox
        print(engine.judge("python3", "def add(a, b):\n    return a + b\n", "assert add(1, 2) == 3\n"))

``clash.open`` takes clash-host's engine options by name (``clash.engine_options()`` lists them).

Every library error is raised as a subclass of :class:`clash.Error` carrying ``.code`` (for
example ``"not_found"``), ``.details`` (a dict) and ``.retry_after`` (seconds or ``None``).
Calls into the library release the GIL, so an Engine may be shared between threads.
See docs/python.md for the full reference.
"""

import os as _os

# An installed package (pip install ./bindings/python) carries the judge's sandbox helpers next to
# this file; the library finds them through these variables unless the caller set them already.
for _variable, _helper in (("CLASH_SANDBOX_INIT", "clash-sandbox-init"), ("CLASH_ZYGOTE_HELPER", "libclash-zygote.so")):
    _path = _os.path.join(_os.path.dirname(__file__), _helper)
    if _os.path.exists(_path) and not _os.environ.get(_variable):
        _os.environ[_variable] = _path
del _variable, _helper, _path

from ._clash import (
    BACKENDS,
    HAS_JUDGE,
    Auth,
    Engine,
    FakeClock,
    Level,
    LevelSecrets,
    LevelStanding,
    Session,
    User,
    UserProfile,
    # The economy: module objects (Engine.ledger, ...) and their read-only values.
    Achievement,
    Achievements,
    AchievementView,
    CheckInOutcome,
    CheckInRecord,
    CheckIns,
    CheckInStatus,
    EquippedItems,
    Events,
    Ledger,
    LedgerEntry,
    LedgerPage,
    LedgerResult,
    PaymentCredit,
    PaymentOrder,
    Payments,
    PurchasedItems,
    PurchaseOutcome,
    ReferralOutcome,
    Referrals,
    Shop,
    ShopItem,
    ShopItemView,
    UnlockedAchievement,
    WalletSummary,
    WebhookOutcome,
    __version__,
    engine_options,
    normalize_email,
    open,
    read_levels,
    verify_certificate,
    Campaign,
    # Exceptions: Error and one subclass per library status code.
    Error,
    AbortedError,
    AlreadyExistsError,
    DeadlineExceededError,
    FailedPreconditionError,
    InsufficientFundsError,
    InternalError,
    InvalidArgumentError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    ResourceExhaustedError,
    UnauthenticatedError,
    UnavailableError,
)

_ECONOMY = (Achievement, Achievements, AchievementView, CheckInOutcome, CheckInRecord, CheckIns, CheckInStatus,
            EquippedItems, Events, Ledger, LedgerEntry, LedgerPage, LedgerResult, PaymentCredit, PaymentOrder,
            Payments, PurchasedItems, PurchaseOutcome, ReferralOutcome, Referrals, Shop, ShopItem, ShopItemView,
            UnlockedAchievement, WalletSummary, WebhookOutcome)

from . import levels  # noqa: E402  (clash.levels.validate)
from . import rating  # noqa: E402  (clash.rating.rate)

for _cls in (Auth, Campaign, Engine, FakeClock, Level, LevelSecrets, LevelStanding, Session, User, UserProfile) + _ECONOMY:
    _cls.__module__ = __name__
del _cls

__all__ = [
    "BACKENDS",
    "HAS_JUDGE",
    "Auth",
    "Campaign",
    "Engine",
    "FakeClock",
    "Level",
    "LevelSecrets",
    "LevelStanding",
    "Session",
    "User",
    "UserProfile",
    "__version__",
    "engine_options",
    "normalize_email",
    "open",
    "read_levels",
    "verify_certificate",
    "levels",
    "rating",
] + [_c.__name__ for _c in _ECONOMY] + [
    "Error",
    "AbortedError",
    "AlreadyExistsError",
    "DeadlineExceededError",
    "FailedPreconditionError",
    "InsufficientFundsError",
    "InternalError",
    "InvalidArgumentError",
    "NotFoundError",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "ResourceExhaustedError",
    "UnauthenticatedError",
    "UnavailableError",
]
