#!/usr/bin/env python3
"""Client pages (issue 14) against the built server: every page valid HTML5 (html5lib, strict) with the
security headers, and the client's steps in a real browser (headless Chromium via Selenium, 320 px wide),
with a screenshot of each step. Needs DATABASE_URL; SERVER_BIN (default .build/debug/kraamzorg-server);
screenshots go to TEST_OUTPUT (default .test-output)/screenshots. Prints "browser: N passed, M failed"."""
import os
import sys
import time
import traceback

import html5lib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pagetest import Server, World, form_token  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUTPUT = os.path.abspath(os.environ.get("TEST_OUTPUT", os.path.join(ROOT, ".test-output")))
SHOTS = os.path.join(OUTPUT, "screenshots")
WIDTH = 320

SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def check_page(response, status, what):
    """Status, security headers, and strict HTML5 parsing of one page."""
    assert response.status == status, f"{what}: status {response.status}, expected {status}\n{response.text[:500]}"
    csp = response.header("Content-Security-Policy") or ""
    assert csp.startswith("default-src 'self'"), f"{what}: Content-Security-Policy {csp!r}"
    for name, value in SECURITY_HEADERS.items():
        assert response.header(name) == value, f"{what}: {name} is {response.header(name)!r}"
    assert (response.header("Content-Type") or "").startswith("text/html"), f"{what}: Content-Type {response.header('Content-Type')}"
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        document = parser.parse(response.body)
    except Exception as e:  # html5lib.html5parser.ParseError
        raise AssertionError(f"{what}: not valid HTML5: {e}") from e
    root = document if document.tag == "html" else document.find("html")
    assert root.get("lang") in ("nl", "en"), f"{what}: no lang attribute"
    return document


# ---------------------------------------------------------------------------------------------
# Without a browser: every page valid HTML5, with the headers

def test_every_page_is_valid_html5_with_security_headers(server):
    world = World(server)
    _, invitation = world.invite()
    token_page = server.request("GET", invitation)
    check_page(token_page, 200, "invitation")
    check_page(server.request("GET", invitation + "?lang=en"), 200, "invitation (en)")
    token = form_token(token_page.text)
    # 422: her input kept.
    invalid = server.form(invitation, [("_form", token), ("firstName", "Anna"), ("lastName", ""), ("phone", "06 12345678"),
                                       ("postcode", world.postcode), ("dueDate", "morgen")])
    doc = check_page(invalid, 422, "invitation with errors")
    assert 'value="Anna"' in invalid.text and 'aria-describedby="lastName-error"' in invalid.text
    # 403: no form token.
    check_page(server.form(invitation, [("firstName", "Anna")]), 403, "invitation without form token")
    # Confirmation.
    confirmed = server.form(invitation, [("_form", token), ("firstName", "<script>alert(1)</script>"), ("lastName", "de Vries"),
                                         ("phone", "06 12345678"), ("postcode", world.postcode), ("dueDate", time.strftime("%Y-%m-%d", time.localtime(time.time() + 90 * 86400))),
                                         ("preferredProviderIds", world.providers[0]["id"]), ("consent", "ja")])
    check_page(confirmed, 200, "confirmation")
    # Used, unknown, expired.
    check_page(server.request("GET", invitation), 410, "used invitation")
    check_page(server.request("GET", "/uitnodiging/bestaat-niet"), 404, "unknown invitation")
    check_page(server.request("GET", "/aanmelding/bestaat-niet"), 404, "unknown placement link")
    import re
    personal = re.search(r'id="personal-link" href="http://[^/]+(/aanmelding/[^"?]+)', confirmed.text).group(1)
    status = server.request("GET", personal)
    check_page(status, 200, "placement")
    assert "<script>alert(1)</script>" not in status.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in status.text
    check_page(server.request("GET", personal + "/afmelden"), 200, "withdrawal confirmation")
    today = time.localtime()
    birth_fields = [("_form", form_token(status.text)), ("bornOn-day", str(today.tm_mday)), ("bornOn-month", str(today.tm_mon)),
                    ("bornOn-year", str(today.tm_year))]
    check_page(server.form(personal + "/geboorte", birth_fields), 200, "birth confirmation (Klopt dit?)")
    check_page(server.form(personal + "/wijzigen", [("_form", form_token(status.text)), ("phone", "06 1"), ("dueDate-day", "1")]),
               422, "corrections with errors")
    check_page(server.request("GET", "/privacy"), 200, "privacy statement")
    check_page(server.request("GET", "/privacy?lang=en"), 200, "privacy statement (en)")
    check_page(server.form(personal + "/geboorte", [("_form", form_token(status.text)), ("bornOn", "gisteren")]), 422, "birth with a bad date")
    check_page(server.form(personal + "/geboorte", [("_form", "wrong"), ("bornOn", "2020-01-01")]), 403, "birth with a wrong form token")
    server.sql(f"UPDATE client_links SET expires_at = now() - interval '1 day' WHERE token_hash = sha256(convert_to('{personal.rsplit('/', 1)[1]}', 'UTF8'))")
    check_page(server.request("GET", personal), 410, "expired placement link")
    _, expired = world.invite()
    server.sql(f"UPDATE invitations SET expires_at = now() - interval '1 day' WHERE token_hash = sha256(convert_to('{expired.rsplit('/', 1)[1]}', 'UTF8'))")
    check_page(server.request("GET", expired), 410, "expired invitation")
    css = server.request("GET", "/assets/site.css")
    assert css.status == 200 and css.header("Content-Type").startswith("text/css")


# ---------------------------------------------------------------------------------------------
# In the browser

def make_driver():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM_BIN", "/usr/bin/chromium")
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", f"--window-size={WIDTH},900",
                "--lang=nl-NL", "--no-first-run", "--disable-extensions"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"intl.accept_languages": "nl-NL,nl"})
    service = Service(executable_path=os.environ.get("CHROMEDRIVER_BIN", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(90)
    driver.set_window_size(WIDTH, 900)
    return driver


class Browser:
    def __init__(self, driver, server):
        self.driver = driver
        self.server = server

    def open(self, path):
        self.driver.get(self.server.base + path)

    def find(self, css):
        from selenium.webdriver.common.by import By
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def all(self, css):
        from selenium.webdriver.common.by import By
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def text(self):
        return self.find("body").text

    def shot(self, name):
        """A full-page screenshot at the phone width; also checks nothing overflows sideways."""
        d = self.driver
        height = d.execute_script("return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)")
        d.set_window_size(WIDTH, min(max(int(height) + 100, 600), 6000))
        os.makedirs(SHOTS, exist_ok=True)
        d.save_screenshot(os.path.join(SHOTS, name + ".png"))
        overflow = d.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        d.set_window_size(WIDTH, 900)
        assert overflow <= 0, f"{name}: the page is {overflow} px wider than a {WIDTH} px screen"

    def submit(self, css):
        """Clicks a button or link that loads a new page, and waits until the new page is there."""
        from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
        from selenium.webdriver.support.ui import WebDriverWait
        old = self.find("html")
        self.find(css).click()

        def gone(_):
            # The old page's root is stale once the new page is there. Chrome sometimes reports that as "Node with
            # given id does not belong to the document" instead of a stale reference: the same fact.
            try:
                old.is_enabled()
                return False
            except StaleElementReferenceException:
                return True
            except WebDriverException as e:
                if "does not belong to the document" in str(e):
                    return True
                raise

        WebDriverWait(self.driver, 60).until(gone)
        WebDriverWait(self.driver, 60).until(lambda d: d.execute_script("return document.readyState") == "complete")

    def type(self, css, value):
        el = self.find(css)
        el.clear()
        el.send_keys(value)


def test_browser_invitation_form_error_and_confirmation(server, browser):
    world = World(server)
    _, invitation = world.invite()
    browser.open(invitation)
    assert browser.find("html").get_attribute("lang") == "nl"
    assert browser.find("h1").text == "Aanmelden voor de wachtlijst kraamzorg"
    assert world.waitlist["name"] in browser.text() and world.region["name"] in browser.text()
    # Every input has a label; the due date is prefilled; the region's providers are offered.
    for field in browser.all("input:not([type=hidden])"):
        assert browser.all(f"label[for='{field.get_attribute('id')}']"), f"no label for {field.get_attribute('id')}"
    # The due date (from her insurer) is prefilled, in three fields; no browser date field anywhere.
    assert browser.find("#dueDate-day").get_attribute("value") and browser.find("#dueDate-year").get_attribute("value")
    assert not browser.all("input[type=date]"), "a browser date field"
    assert world.insurer_name in browser.find("#sender").text and world.region["name"] in browser.find("#sender").text
    labels = [l.text for l in browser.all("#preferredProviderIds label")]
    assert sorted(labels) == sorted(p["name"] for p in world.providers), labels
    browser.shot("01-uitnodiging")
    # 320 px at 200% zoom: a viewport of 160 CSS px must not scroll sideways either.
    browser.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 160, "height": 900, "deviceScaleFactor": 2, "mobile": True})
    try:
        overflow = browser.driver.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        os.makedirs(SHOTS, exist_ok=True)
        browser.driver.save_screenshot(os.path.join(SHOTS, "01b-uitnodiging-320px-200procent.png"))
        assert overflow <= 0, f"at 320 px and 200% zoom the page is {overflow} CSS px too wide"
    finally:
        browser.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    browser.type("#firstName", "Fatima")
    browser.type("#lastName", "El Amrani")
    browser.type("#phone", "06 98765432")
    browser.type("#postcode", world.postcode)
    browser.find("#provider-1").click()
    browser.submit("button[type=submit]")  # consent left out

    assert "Zet een vinkje om toestemming te geven" in browser.find("#consent-error").text
    assert "consent-error" in browser.find("#consent").get_attribute("aria-describedby")
    assert browser.find("#consent").get_attribute("aria-invalid") == "true"
    assert browser.find("#firstName").get_attribute("value") == "Fatima", "her input was not kept"
    assert browser.find("#provider-1").is_selected(), "her provider choice was not kept"
    assert browser.find(".error-summary a[href='#consent']")
    browser.shot("02-uitnodiging-zonder-toestemming")

    browser.find("#consent").click()
    browser.submit("button[type=submit]")
    assert browser.find("h1").text == "U staat op de wachtlijst"
    assert "Vragen en antwoorden" in browser.text() and "Wanneer hoor ik iets?" in browser.text()
    link = browser.find("#personal-link").get_attribute("href")
    assert "/aanmelding/" in link
    browser.shot("03-bevestiging")
    # The personal link on the confirmation leads to her page.
    browser.driver.get(link)
    assert browser.find("#status strong").text == "Wachtend"
    assert "Fatima El Amrani" in browser.text()
    browser.shot("04-aanmelding-wachtend")


def test_browser_report_birth_shows_urgent(server, browser):
    world = World(server)
    _, placement = world.placed(first_name="Sanne")
    browser.open(placement)
    assert browser.find("#status strong").text == "Wachtend"
    assert browser.all("#access-log tbody tr"), "no access log rows"
    assert "zorgverzekeraar" in browser.find("#access-log").text or "beheerder" in browser.find("#access-log").text
    # The birth date is asked in three fields, never prefilled.
    assert browser.find("#bornOn legend").text == "Geboortedatum"
    for part in ("day", "month", "year"):
        assert browser.find(f"#bornOn-{part}").get_attribute("value") == "", f"bornOn-{part} is prefilled"
        assert browser.all(f"label[for='bornOn-{part}']"), f"no label for bornOn-{part}"
    browser.shot("05-aanmelding")
    # Without a date: the error summary first, linking to the day field.
    browser.submit("#geboorte ~ form button[type=submit]")
    summary = browser.find("main > .error-summary")
    assert summary.find_element("css selector", "a").get_attribute("href").endswith("#bornOn-day")
    browser.shot("05b-geboorte-zonder-datum")
    today = time.localtime()
    browser.type("#bornOn-day", str(today.tm_mday))
    browser.type("#bornOn-month", str(today.tm_mon))
    browser.type("#bornOn-year", str(today.tm_year))
    browser.submit("#geboorte ~ form button[type=submit]")
    # Step 2: "Klopt dit?" with the date in Dutch words.
    assert browser.find("h1").text == "Klopt dit?"
    months = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"]
    assert f"{today.tm_mday} {months[today.tm_mon - 1]} {today.tm_year}" in browser.find("#birth-confirm-text").text
    browser.shot("06a-geboorte-klopt-dit")
    browser.submit("#birth-confirm")
    assert "We hebben de geboorte doorgegeven" in browser.find(".notice").text
    status = browser.find("#status")
    assert status.find_element("css selector", "strong").text == "Urgent: bevallen"
    assert "urgent" in status.get_attribute("class")
    assert not browser.all("#bornOn-day"), "the birth form is still offered"
    browser.shot("06-geboorte-gemeld-urgent")
    # Undo within 24 hours, once.
    browser.submit("#birth-undo")
    assert "ingetrokken" in browser.find(".notice").text
    assert browser.find("#status strong").text == "Wachtend"
    assert not browser.all("#birth-undo")
    browser.shot("06b-geboortemelding-ingetrokken")
    # Reported again, and 25 hours later: no button, and a late POST is refused (409) with who can help.
    token = placement.rsplit("/", 1)[1]
    page = server.request("GET", placement)
    confirmed = server.form(placement + "/geboorte", [("_form", form_token(page.text)), ("bornOn", time.strftime("%Y-%m-%d")),
                                                     ("bevestigd", "ja")])
    assert confirmed.status == 303, confirmed.status
    server.sql("UPDATE clients SET birth_reported_at = birth_reported_at - interval '25 hours' "
               f"WHERE id = (SELECT client_id FROM client_links WHERE token_hash = sha256(convert_to('{token}', 'UTF8')))")
    browser.open(placement)
    assert not browser.all("#birth-undo") and "meer dan 24 uur" in browser.find("#birth-undo-late").text
    late = server.form(placement + "/geboorte/intrekken", [("_form", form_token(page.text))])
    assert late.status == 409 and "meer dan 24 uur" in late.text
    assert server.request("DELETE", f"/v1/client-links/{token}/birth").status == 409
    browser.shot("06c-intrekken-na-24-uur")


def test_browser_every_page_shows_sender_contact_and_privacy(server, browser):
    world = World(server)
    _, invitation = world.invite()
    client_id, placement = world.placed(first_name="Noor")
    for path in (invitation, placement, placement + "/afmelden", "/privacy"):
        browser.open(path)
        footer = browser.find("footer#contact")
        if path != "/privacy":
            sender = browser.find("#sender").text
            assert world.region["name"] in sender and world.insurer_name in sender, f"{path}: sender {sender!r}"
            assert "Petra Jansen" in footer.text and world.coordinator_email in footer.text, f"{path}: no coordinator"
            assert "050 123 45 67" in footer.text, f"{path}: no KSV phone"
        assert browser.find("#privacy-link").get_attribute("href").endswith("/privacy?lang=nl"), path
    browser.open(placement)
    browser.shot("11-aanmelding-met-afzender-en-contact")
    browser.submit("#privacy-link")
    assert browser.find("h1").text == "Privacyverklaring wachtlijst kraamzorg"
    fields = [li.text for li in browser.all("#personal-fields li")]
    for f in ("Voornaam", "Achternaam", "E-mailadres", "Telefoonnummer", "Postcode"):
        assert f in fields, fields
    assert "6 maanden" in browser.find("#retention").text
    browser.shot("12-privacyverklaring")


def test_browser_corrections_and_provider_contact(server, browser):
    world = World(server)
    client_id, placement = world.placed(first_name="Eva")
    browser.open(placement)
    # A due date outside the waitlist: refused with the reason, the summary first; her coordinator is told.
    browser.type("#dueDate-day", "1")
    browser.type("#dueDate-month", "1")
    browser.type("#dueDate-year", str(time.localtime().tm_year + 3))
    browser.submit("#correct-submit")
    summary = browser.find("main > .error-summary")
    assert "buiten deze wachtlijst" in summary.text
    assert summary.find_element("css selector", "a").get_attribute("href").endswith("#dueDate-day")
    assert "buiten deze wachtlijst" in browser.find("#dueDate-error").text
    browser.shot("13-wijzigen-datum-buiten-wachtlijst")
    told = server.sql_value("SELECT count(*) FROM notifications WHERE lower(recipient) = lower(:'p0') AND subject LIKE 'Cliënt wil%'",
                            world.coordinator_email)
    assert told == "1", told
    # A new phone number: saved, and audited as her.
    browser.open(placement)
    browser.type("#phone", "06 55556666")
    browser.submit("#correct-submit")
    assert "We hebben uw gegevens aangepast" in browser.find(".notice").text and "06 55556666" in browser.text()
    audited = server.sql_value("SELECT count(*) FROM audit_events WHERE client_id = :'p0' AND role = 'client' "
                               "AND details->>'fields' = 'phone'", client_id)
    assert audited == "1", audited
    # Enrolled by a provider with contact details: they are on her page.
    server.api("PATCH", f"/v1/organizations/{world.providers[0]['id']}",
               {"contact": {"phone": "020 765 43 21", "email": "planning@de-wieg.example", "website": "https://de-wieg.example"}})
    server.api("POST", f"/v1/clients/{client_id}/enrolment", token=world.provider_user(0))
    browser.open(placement)
    contact = browser.find("#provider-contact").text
    assert "020 765 43 21" in contact and "planning@de-wieg.example" in contact and "https://de-wieg.example" in contact
    browser.shot("14-ingeschreven-met-contact")


def test_browser_withdraw_with_confirmation_step(server, browser):
    world = World(server)
    _, placement = world.placed(first_name="Lotte")
    browser.open(placement + "?lang=en")
    assert browser.find("html").get_attribute("lang") == "en"
    assert browser.find("#status strong").text == "Waiting"
    browser.submit("#withdraw-link")
    assert browser.find("h1").text == "Are you sure you want to withdraw?"
    assert browser.find("label[for=reason]")
    browser.shot("07-afmelden-bevestigen-en")
    browser.type("#reason", "Ik heb zelf kraamzorg gevonden")
    browser.submit("button[type=submit]")
    assert browser.find("#status strong").text == "Withdrawn"
    assert "Lotte" not in browser.text(), "her name is still shown after withdrawal"
    browser.shot("08-afgemeld-en")


def test_browser_expired_link_shows_friendly_page(server, browser):
    world = World(server)
    _, invitation = world.invite()
    token = invitation.rsplit("/", 1)[1]
    server.sql(f"UPDATE invitations SET expires_at = now() - interval '1 day' WHERE token_hash = sha256(convert_to('{token}', 'UTF8'))")
    browser.open(invitation)
    assert browser.find("h1").text == "Deze uitnodiging is verlopen"
    assert "zorgverzekeraar" in browser.text()
    assert not browser.all("form"), "an expired invitation still shows a form"
    browser.shot("09-uitnodiging-verlopen")
    browser.open("/aanmelding/onbekende-link")
    assert browser.find("h1").text == "Deze link werkt niet"
    browser.shot("10-link-onbekend")


# ---------------------------------------------------------------------------------------------

def main():
    database_url = os.environ.get("DATABASE_URL")
    if not database_url:
        print("browser tests need DATABASE_URL (run under scripts/with-test-postgres.sh)", file=sys.stderr)
        return 2
    binary = os.environ.get("SERVER_BIN", os.path.join(ROOT, ".build/debug/kraamzorg-server"))
    os.makedirs(SHOTS, exist_ok=True)
    for old in os.listdir(SHOTS):
        if old.endswith(".png"):
            os.remove(os.path.join(SHOTS, old))
    passed, failed = [], []
    server = Server(binary, database_url, os.path.join(OUTPUT, "browser-server.log"))
    driver = None
    try:
        plain = [test_every_page_is_valid_html5_with_security_headers]
        in_browser = [test_browser_invitation_form_error_and_confirmation, test_browser_report_birth_shows_urgent,
                      test_browser_every_page_shows_sender_contact_and_privacy, test_browser_corrections_and_provider_contact,
                      test_browser_withdraw_with_confirmation_step, test_browser_expired_link_shows_friendly_page]
        for test in plain + in_browser:
            started = time.time()
            try:
                if test in in_browser:
                    if driver is None:
                        driver = make_driver()
                    test(server, Browser(driver, server))
                else:
                    test(server)
                passed.append(test.__name__)
                print(f"ok   {test.__name__} ({time.time() - started:.1f} s)")
            except Exception:
                failed.append(test.__name__)
                print(f"FAIL {test.__name__}")
                traceback.print_exc()
                if driver is not None:
                    try:
                        driver.save_screenshot(os.path.join(SHOTS, f"FAILED-{test.__name__}.png"))
                    except Exception:
                        pass
    finally:
        if driver is not None:
            driver.quit()
        server.stop()
    shots = sorted(f for f in os.listdir(SHOTS) if f.endswith(".png"))
    print(f"screenshots in {os.path.relpath(SHOTS, ROOT)}: {', '.join(shots)}")
    print(f"browser: {len(passed)} passed, {len(failed)} failed")
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
