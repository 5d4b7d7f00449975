"""Project-wide pytest setup: the real-browser fixture shared by every app's browser tests."""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in the test thread; Django would otherwise refuse
# database calls made from that thread in browser tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# The flags keep Chromium off the network: this machine (and CI) reach no outside host.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright; never a downloaded browser."""
    from lib.testing import require_service  # here: lib.testing needs Django set up

    require_service(
        bool(shutil.which(CHROMIUM) or os.path.exists(CHROMIUM)),
        f"{CHROMIUM} is missing: run `make test` as root to install Debian's chromium",
    )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require_service(False, "Playwright is missing: run `make venv` to install the pinned requirements")

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    """A fresh browser page (Vietnamese locale) with `page.base_url` set to the live server."""
    context = chromium.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    pg = context.new_page()
    pg.base_url = live_server.url
    yield pg
    context.close()


def pytest_collection_modifyitems(config, items):
    """Transactional tests (browser tests) flush the database when they end, which also wipes
    what data migrations put there (the award catalogue); each one reloads it at its start
    (`serialized_rollback`) so the order tests run in never matters."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction") and "serialized_rollback" not in marker.kwargs:
            item.add_marker(
                pytest.mark.django_db(*marker.args, **marker.kwargs, serialized_rollback=True), append=False
            )
    _tag_xdist_groups(config, items)


def _tag_xdist_groups(config, items) -> None:
    """`--dist loadgroup` sends the tests of one `xdist_group` to one worker by the "@group"
    suffix of their node ids. pytest-xdist 3.8 writes it to `item._nodeid`, which pytest 9 no
    longer reads (it keeps `item._id`), so a group was spread over every worker; tag them here."""
    if not getattr(config.option, "loadgroup", False):
        return
    from _pytest.nodeid import NodeId

    for item in items:
        names = {
            str(m.args[0] if m.args else m.kwargs.get("name", "default"))
            for m in item.iter_markers("xdist_group")
        }
        if names and "@" not in item.nodeid:
            item._id = NodeId.parse(f"{item.nodeid}@{'_'.join(sorted(names))}")
