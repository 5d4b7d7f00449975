"""Steps shared by the real-browser tests (Playwright `page` from conftest.py)."""

from lib.testing import PASSWORD


def login(page, username: str, password: str = PASSWORD) -> None:
    """Sign in through the login form, as an officer would, and wait for the home page."""
    page.goto(f"{page.base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{page.base_url}/")
