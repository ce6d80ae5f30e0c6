#!/usr/bin/python3
"""Fills a web form in headless Chromium (Debian's chromium, chromium-driver and
python3-selenium) the way a visitor would, and prints what the page then says.

    browser_form.py URL --field NAME=VALUE ... [--no-script] [--expect TEXT]

With the script (the default) the form's own JavaScript sends it and writes the
answer into the page; with --no-script JavaScript is off, the browser posts the
form and the service's page is read. Prints one JSON object:
{"message": "...", "url": "...", "invalid": [names of fields marked invalid]}.
"""
import argparse
import json
import sys

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--field", action="append", default=[])
    parser.add_argument("--no-script", action="store_true")
    parser.add_argument("--timeout", type=float, default=30)
    args = parser.parse_args()

    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-extensions", "--lang=ro-RO"):
        options.add_argument(flag)
    if args.no_script:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        driver.set_page_load_timeout(args.timeout)
        driver.get(args.url)
        form = WebDriverWait(driver, args.timeout).until(lambda d: d.find_element(By.CSS_SELECTOR, "form.crm-form"))
        for spec in args.field:
            name, _, value = spec.partition("=")
            element = form.find_element(By.NAME, name)
            if element.get_attribute("type") == "checkbox":
                if (value == "da") != element.is_selected():
                    element.click()
            elif element.tag_name == "select":
                from selenium.webdriver.support.ui import Select
                Select(element).select_by_visible_text(value)
            else:
                element.clear()
                element.send_keys(value)
        start_url = driver.current_url
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        if args.no_script:
            WebDriverWait(driver, args.timeout).until(lambda d: d.current_url != start_url and
                                                      d.find_elements(By.CSS_SELECTOR, ".crm-message"))
            message = driver.find_element(By.CSS_SELECTOR, ".crm-message").text
        else:
            WebDriverWait(driver, args.timeout).until(
                lambda d: d.find_element(By.CSS_SELECTOR, "form.crm-form .crm-message").text.strip() != "")
            message = driver.find_element(By.CSS_SELECTOR, "form.crm-form .crm-message").text
        invalid = [e.get_attribute("name") for e in driver.find_elements(By.CSS_SELECTOR, "[aria-invalid=true]")]
        errors = [e.text.strip() for e in driver.find_elements(By.CSS_SELECTOR, ".crm-error")]
        print(json.dumps({"message": message, "url": driver.current_url, "invalid": invalid, "errors": errors},
                         ensure_ascii=False))
    except TimeoutException:
        # What the page shows and what its console said, for the failing test's report.
        print("timed out at", driver.current_url, file=sys.stderr)
        print(driver.page_source[-2000:], file=sys.stderr)
        for entry in driver.get_log("browser"):
            print("console:", entry.get("message"), file=sys.stderr)
        return 1
    finally:
        driver.quit()


if __name__ == "__main__":
    sys.exit(main())
