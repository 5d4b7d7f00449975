"""HTTP clients that use the site as people and programs do: a browser-like client (its own
cookies, the login page, CSRF tokens read from the forms) and an API client with a token; and
`burst`, which fires many calls at the same moment."""

from __future__ import annotations

import http.cookiejar
import json
import re
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode, urlsplit

TIMEOUT = 180


@dataclass
class Response:
    status: int  # 0: no answer at all (refused, reset, timed out)
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    error: str = ""
    seconds: float = 0.0
    started: float = 0.0  # time.monotonic() when it was sent
    label: str = ""

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @property
    def brief(self) -> str:
        """The start of the body on one line (an error page's title, a JSON error)."""
        text = re.sub(r"<[^>]+>", " ", self.text)
        return " ".join(text.split())[:160]

    @property
    def location(self) -> str:
        return urlsplit(self.headers.get("Location", "")).path


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 is the answer: it says whether a form was saved


class _Forms(HTMLParser):
    """Every <form> of a page: (method, action, {field: value}) as a browser would submit it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, str, dict[str, str]]] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append((a.get("method", "get").lower(), a.get("action", ""), {}))
            return
        if not self.forms:
            return
        fields = self.forms[-1][2]
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            fields[name] = a.get("value", "on" if kind in ("checkbox", "radio") else "")
        elif tag == "select" and name:
            self._select = name
            fields.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            fields[self._select] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            fields[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea and self.forms:
            self.forms[-1][2][self._textarea] += data


def _multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, (filename, data) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        )
        parts.append(head.encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Client:
    """One user agent against the server at `base`: cookies kept, redirects not followed."""

    def __init__(self, base: str, *, token: str | None = None) -> None:
        self.base, self.token = base, token
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)

    def request(
        self,
        method: str,
        path: str,
        *,
        form: dict[str, str] | None = None,
        files: dict[str, tuple[str, bytes]] | None = None,
        body: Any = None,
        label: str = "",
    ) -> Response:
        headers = {"Accept-Language": "en"}
        data = None
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        if files:
            data, headers["Content-Type"] = _multipart(form or {}, files)
        elif form is not None:
            data = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        started, clock = time.perf_counter(), time.monotonic()
        try:
            with self.opener.open(req, timeout=TIMEOUT) as resp:
                out = Response(resp.status, resp.read(), dict(resp.headers))
        except urllib.error.HTTPError as exc:
            out = Response(exc.code, exc.read(), dict(exc.headers))
        except OSError as exc:  # refused, reset, timed out: the server gave no answer
            out = Response(0, error=f"{type(exc).__name__}: {exc}")
        out.seconds, out.started, out.label = time.perf_counter() - started, clock, label
        return out

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def forms(self, path: str) -> tuple[Response, list[tuple[str, str, dict[str, str]]]]:
        page = self.get(path)
        parser = _Forms()
        if page.status == 200:
            parser.feed(page.text)
        return page, parser.forms

    def form(self, path: str) -> tuple[Response, dict[str, str] | None]:
        """The fields of the page's own POST form (action empty or the page itself)."""
        page, forms = self.forms(path)
        for method, action, fields in forms:
            if method == "post" and urlsplit(action).path in ("", path):
                return page, dict(fields)
        return page, None

    def submit(self, path: str, fields: dict[str, str], files=None, label: str = "") -> Response:
        return self.request("POST", path, form=fields, files=files, label=label)

    def login(self, username: str, password: str) -> Response:
        """Log in through the login page; 302 when it worked."""
        page, fields = self.form("/accounts/login/")
        if fields is None:
            return page if page.status != 200 else Response(0, error="no login form")
        fields.update(username=username, password=password)
        return self.submit("/accounts/login/", fields, label="login")


def api_token(base: str, username: str, password: str) -> str:
    answer = Client(base).request(
        "POST", "/api/auth/token/", body={"username": username, "password": password}
    )
    if answer.status != 200:
        raise RuntimeError(f"no API token for {username}: {answer.status} {answer.text[:300]}")
    return answer.json()["token"]


def burst(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run every call at the same moment, one thread each (a barrier lets them go together)."""
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], Any]) -> Any:
        try:
            barrier.wait(timeout=60)
        except threading.BrokenBarrierError:
            pass
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))
