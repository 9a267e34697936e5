"""The desk's cookie: its own name, HttpOnly, SameSite=Strict, and `__Host-` under HTTPS."""

from __future__ import annotations

from lk_web.office.edge import StaffCookie


def test_over_https_the_cookie_is_host_only_secure_strict_and_hidden_from_scripts() -> None:
    cookie = StaffCookie(https=True).set("abc")

    assert cookie == "__Host-lk_office=abc; Path=/; SameSite=Strict; HttpOnly; Secure"


def test_over_plain_http_the_cookie_has_its_plain_name_and_is_not_the_residents() -> None:
    cookie = StaffCookie(https=False)

    assert cookie.name == "lk_office"
    assert cookie.name != "lk_session"
    assert cookie.cleared().startswith("lk_office=; Max-Age=0;")
