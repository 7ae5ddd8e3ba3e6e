"""The public verification page: the QR code opens it, a printed copy or a PDF is checked."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
import uvicorn
from PIL import Image, ImageStat
from pydantic import ValidationError

from domain.catalogue import Catalogue
from domain.reports import CreditReport
from reports.fonts import shipped_font
from server.app import create_app
from server.settings import Settings
from store import reports as report_store
from store.database import Database
from store.subjects import insert_new_subjects
from tests import factories
from tests.conftest import TODAY, TokenFactory, at
from tests.helpers import data_of, graphql
from tests.seed import seed_records

ISSUE = """
mutation Issue($subject: ID!) {
  issueCreditReport(subject: $subject, purpose: COMPREHENSIVE) {
    ... on IssueCreditReportSuccess { report { serial sha256 downloadPath } }
  }
}
"""
VERIFY = """
query ($serial: String!, $sha256: String!) {
  verifyCreditReport(serial: $serial, sha256: $sha256) { valid withdrawn }
}
"""
GENUINE = "真实有效"
UNVERIFIED = "未能核验"
WITHDRAWN = "该报告已撤回"


async def issued(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> tuple[dict[str, Any], bytes]:
    """A person's report issued to the person, and its PDF as downloaded."""
    person = factories.person(name="王小明")
    record = factories.record(catalogue, person, item_code="DISHONEST_1", decided=TODAY)
    await insert_new_subjects(db, subjects=[person])
    await seed_records(db, [record])
    own = token("subject", subject=person.id)
    body = await graphql(api, ISSUE, {"subject": person.id}, token=own)
    report: dict[str, Any] = data_of(body)["issueCreditReport"]["report"]
    download = await api.get(report["downloadPath"], headers={"authorization": f"Bearer {own}"})
    return report, download.content


def tool(name: str, package: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} ({package}) is not installed; `make test` installs it with apt-get")
    return found


def qr_of(pdf: bytes, tmp_path: Path) -> str:
    """The QR code on the report's first page, decoded by zbar from poppler's rendering."""
    pdftoppm, zbarimg = tool("pdftoppm", "poppler-utils"), tool("zbarimg", "zbar-tools")
    (tmp_path / "report.pdf").write_bytes(pdf)
    subprocess.run(
        [pdftoppm, "-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile"]
        + [str(tmp_path / "report.pdf"), str(tmp_path / "page")],
        check=True,
    )
    decoded = subprocess.run(
        [zbarimg, "--quiet", "--raw", str(tmp_path / "page.png")],
        check=True,
        capture_output=True,
        text=True,
    )
    return decoded.stdout.strip()


def page_path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


async def test_qr_code_decodes_to_absolute_url_of_the_verification_page(
    api: httpx.AsyncClient,
    db: Database,
    catalogue: Catalogue,
    token: TokenFactory,
    settings: Settings,
    tmp_path: Path,
) -> None:
    report, pdf = await issued(api, db, catalogue, token)

    url = qr_of(pdf, tmp_path)

    assert url.startswith(f"{settings.base_url}/verify/{report['serial']}?digest=")
    page = await api.get(page_path(url))
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    for shown in (
        GENUINE,
        report["serial"],
        "2020年09月01日",
        "王**",
        "深圳市公共信用中心",
        "有效",
    ):
        assert shown in page.text
    assert "王小明" not in page.text


async def test_printed_copy_by_serial_and_typed_check_code_is_genuine(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    report, _ = await issued(api, db, catalogue, token)
    [stored] = await db["credit_reports"].find({}, {"content_sha256": 1}).to_list(None)
    typed = " ".join(stored["content_sha256"][i : i + 4].upper() for i in range(0, 16, 4))

    form = await api.get("/verify", params={"serial": report["serial"], "digest": typed})
    page = await api.get(form.headers["location"])

    assert form.status_code == 303
    assert form.headers["location"].startswith(f"/verify/{report['serial']}?digest=")
    assert GENUINE in page.text


@pytest.mark.parametrize("wrong", ["serial", "digest", "short"])
async def test_wrong_serial_or_digest_is_not_verified_and_says_nothing_more(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory, wrong: str
) -> None:
    report, _ = await issued(api, db, catalogue, token)
    [stored] = await db["credit_reports"].find({}, {"content_sha256": 1}).to_list(None)
    serial, digest = report["serial"], stored["content_sha256"]
    if wrong == "serial":
        serial = serial[:-1] + "9"
    elif wrong == "digest":
        digest = ("0" if digest[0] != "0" else "1") + digest[1:]
    else:
        digest = digest[:8]

    page = await api.get(f"/verify/{serial}", params={"digest": digest})

    assert page.status_code == 200
    assert UNVERIFIED in page.text
    for hidden in (GENUINE, "王**", "2020年09月01日"):
        assert hidden not in page.text


async def test_uploaded_pdf_is_verified_by_its_hash(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    report, pdf = await issued(api, db, catalogue, token)
    altered = pdf.replace(b"creditgraph", b"creditgraqh", 1)

    genuine = await api.post(
        "/verify", data={"serial": report["serial"]}, files={"file": ("r.pdf", pdf)}
    )
    forged = await api.post(f"/verify/{report['serial']}", files={"file": ("r.pdf", altered)})

    assert GENUINE in genuine.text
    assert "电子文件" in genuine.text
    assert UNVERIFIED in forged.text
    assert "王**" not in forged.text


async def test_upload_over_the_size_limit_or_without_file_is_refused(
    api: httpx.AsyncClient, settings: Settings
) -> None:
    serial = "44030020200901000001"
    too_big = b"%PDF" + b"0" * (8 * 1024 * 1024)

    large = await api.post(f"/verify/{serial}", files={"file": ("r.pdf", too_big)})
    missing = await api.post(f"/verify/{serial}", data={"serial": serial})

    assert large.status_code == 413
    assert missing.status_code == 400
    assert UNVERIFIED in missing.text


async def test_withdrawn_report_is_shown_as_withdrawn(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, token: TokenFactory
) -> None:
    report, pdf = await issued(api, db, catalogue, token)
    stored = await report_store.get_report(db, serial=report["serial"])
    assert stored is not None
    serial = report["serial"][:-1] + "2"
    await report_store.insert_report(
        db,
        report=CreditReport.model_validate(
            stored.model_dump() | {"serial": serial, "withdrawn_at": at(TODAY)}
        ),
        pdf=pdf,
    )

    page = await api.post(f"/verify/{serial}", files={"file": ("r.pdf", pdf)})
    answers = [
        data_of(await graphql(api, VERIFY, {"serial": s, "sha256": report["sha256"]}))
        for s in (serial, report["serial"])
    ]

    assert WITHDRAWN in page.text
    assert GENUINE not in page.text
    assert [a["verifyCreditReport"]["withdrawn"] for a in answers] == [True, False]


@contextmanager
def serving(settings: Settings, store_uri: str) -> Iterator[str]:
    """The app over real HTTP on a free loopback port, in a thread, for a browser to open."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    app = create_app(settings, mongodb_uri=store_uri, clock=lambda: at(TODAY))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        while not server.started and thread.is_alive():
            threading.Event().wait(0.05)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join()
        sock.close()


def browser() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if found := shutil.which(name):
            return found
    pytest.skip("no headless chromium: `make test` installs Debian's chromium with apt-get")


def fonts_for_browser(tmp_path: Path) -> dict[str, str]:
    """An environment whose fontconfig also sees the shipped CJK font, as a phone has one."""
    font = shipped_font()
    assert font is not None
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        "<include ignore_missing='yes'>/etc/fonts/fonts.conf</include>"
        f"<dir>{font.parent}</dir><cachedir>{tmp_path / 'fontcache'}</cachedir></fontconfig>"
    )
    return os.environ | {"FONTCONFIG_FILE": str(config)}


def headless(chromium: str, *arguments: str, env: dict[str, str], home: Path) -> str:
    flags = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--lang=zh-CN"]
    done = subprocess.run(
        [chromium, *flags, f"--user-data-dir={home}", *arguments],
        check=True,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    return done.stdout


async def test_verification_page_in_a_phone_sized_headless_browser(
    api: httpx.AsyncClient,
    db: Database,
    catalogue: Catalogue,
    token: TokenFactory,
    settings: Settings,
    store_uri: str,
    tmp_path: Path,
) -> None:
    chromium = browser()
    report, pdf = await issued(api, db, catalogue, token)
    url = qr_of(pdf, tmp_path)
    env = fonts_for_browser(tmp_path)
    screenshot = tmp_path / "verify-phone.png"

    with serving(settings, store_uri) as base:
        address = base + page_path(url)
        dom = await asyncio.to_thread(
            headless, chromium, "--dump-dom", address, env=env, home=tmp_path / "a"
        )
        await asyncio.to_thread(
            headless,
            chromium,
            f"--screenshot={screenshot}",
            "--window-size=390,844",
            "--hide-scrollbars",
            address,
            env=env,
            home=tmp_path / "b",
        )

    assert 'name="viewport"' in dom
    for shown in (GENUINE, report["serial"], "王**", "深圳市公共信用中心", "核验电子文件"):
        assert shown in dom
    image = Image.open(screenshot).convert("RGB")
    assert image.size == (390, 844)
    assert max(ImageStat.Stat(image).stddev) > 10
    # The verdict's green band spans the phone's width: the layout fits the screen.
    green = image.getpixel((195, 110))
    assert isinstance(green, tuple)
    assert green[1] > green[0] + 40


@pytest.mark.parametrize(
    ("configured", "base"),
    [
        (None, "http://127.0.0.1:8000"),
        ("https://credit.sz.gov.cn/", "https://credit.sz.gov.cn"),
        ("https://www.sz.gov.cn/credit", "https://www.sz.gov.cn/credit"),
    ],
)
def test_public_base_url_is_where_qr_codes_point(configured: str | None, base: str) -> None:
    assert Settings(public_base_url=configured).base_url == base


@pytest.mark.parametrize("configured", ["credit.sz.gov.cn", "ftp://credit", "https://a b", ""])
def test_public_base_url_that_is_not_an_absolute_http_url_is_refused(configured: str) -> None:
    with pytest.raises(ValidationError, match="public_base_url"):
        Settings(public_base_url=configured)
