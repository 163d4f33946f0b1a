#!/usr/bin/env python3
"""The explorer page of `attn-explain serve` in a real browser (issue 27): headless
Chromium driven by Selenium types, clicks and edits, and the page must show what the
command line's --html gives for the same options, byte for byte.

usage: check_page.py BINARY
Needs python3-selenium and chromium-driver (Debian). Talks to 127.0.0.1 only.
"""
import json
import os
import subprocess
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service as ChromeService
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_util import Server, check, failures  # noqa: E402

def cli_html(binary, args):
    return subprocess.run([binary, "--html", "-", *args], capture_output=True, check=True).stdout.decode()


def wait_for(condition, seconds=30):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            value = condition()
            if value:
                return value
        except Exception:  # the page is between states
            pass
        time.sleep(0.1)
    return None


def srcdoc(driver):
    """The report the page shows: the first is loaded as the frame's page, each later one is put
    in place of its body (explorer.js showReport); both are the served bytes, kept as
    window.attnReportText. None until the frame's document holds that report's sentence."""
    return driver.execute_script(
        "const text = window.attnReportText; const doc = document.getElementById('report').contentDocument;"
        "if (!text || !doc || !doc.querySelector('header.top')) return null;"
        "const shown = new DOMParser().parseFromString(text, 'text/html').querySelector('header.top');"
        "return shown && shown.textContent === doc.querySelector('header.top').textContent ? text : null;")


def set_value(driver, element_id, value):
    """Sets a control as a user would, then fires the event the page listens to."""
    driver.execute_script(
        "const el = document.getElementById(arguments[0]); el.value = arguments[1];"
        "el.dispatchEvent(new Event('input', {bubbles: true})); el.dispatchEvent(new Event('change', {bubbles: true}));",
        element_id, value)


def browser():
    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900"):
        options.add_argument(flag)
    options.binary_location = "/usr/bin/chromium"
    return webdriver.Chrome(service=ChromeService("/usr/bin/chromedriver"), options=options)


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    binary, snapshot_model = sys.argv[1], sys.argv[2]
    server = Server(binary, "--model", snapshot_model)
    driver = browser()
    try:
        driver.get(server.url)
        first = cli_html(binary, ["How are you doing?"])
        check(wait_for(lambda: srcdoc(driver) == first) is not None, "the page opens on the default sentence, as --html draws it")

        box = driver.find_element(By.ID, "sentence")
        box.clear()
        box.send_keys("The dog chased the ball, and it rolled away.")
        dog = cli_html(binary, ["The dog chased the ball, and it rolled away."])
        check(wait_for(lambda: srcdoc(driver) == dog) is not None, "typing a sentence recomputes every stage (the --html bytes)")
        check("sentence=The%20dog" in driver.current_url, f"the sentence is in the URL ({driver.current_url[-60:]})")

        # Keypress to redraw, measured by the page with the Performance API: one letter at a time,
        # at 11 tokens and at 31 (the goal is stated for up to 32; measured, not asserted).
        def redraw_times(what):
            driver.execute_script("window.attnRedrawTimes = []")
            for letter in " Run.":
                before = srcdoc(driver)
                box.send_keys(letter)
                wait_for(lambda: srcdoc(driver) != before and
                         driver.execute_script("return document.getElementById('report').contentDocument.readyState") == "complete")
                time.sleep(0.3)
            times = sorted(driver.execute_script("return window.attnRedrawTimes"))
            check(len(times) >= 4, "keypress to redraw: " + (f"median {times[len(times) // 2]:.0f} ms, slowest {times[-1]:.0f} ms "
                                                              f"over {len(times)} keys ({what}, default table)" if times else "none"))
            box.send_keys(Keys.BACKSPACE * 5)

        redraw_times("an 11-token sentence")
        check(wait_for(lambda: srcdoc(driver) == dog) is not None, "deleting the letters gives the sentence's page again")
        long_sentence = "The dog chased the ball, and it rolled away; the cat sat on the mat because it was tired, and the fox saw the bird too"
        box.clear()
        box.send_keys(long_sentence)
        check(wait_for(lambda: srcdoc(driver) == cli_html(binary, [long_sentence])) is not None, "a 29-token sentence is drawn")
        redraw_times("a 29-token sentence, 31 with the letters")
        box.clear()
        box.send_keys("The dog chased the ball, and it rolled away.")
        check(wait_for(lambda: srcdoc(driver) == dog) is not None, "and the 11-token sentence again")
        if os.environ.get("ATTN_SCREENSHOT"):
            driver.save_screenshot(os.environ["ATTN_SCREENSHOT"])

        set_value(driver, "projection", "rand")
        set_value(driver, "heads", "2")
        two = cli_html(binary, ["--projection", "rand", "--heads", "2", "The dog chased the ball, and it rolled away."])
        check(wait_for(lambda: srcdoc(driver) == two) is not None, "changing projection and heads recomputes")

        figure = wait_for(lambda: driver.find_element(By.ID, "head-view").is_displayed()
                          and len(driver.find_elements(By.CSS_SELECTOR, "#head-view g.head")) == 2)
        check(figure is not None, "with two heads, the head view draws both, one colour each")
        driver.find_element(By.CSS_SELECTOR, "#head-view g.legend[data-head='1']").click()
        hidden = driver.find_element(By.CSS_SELECTOR, "#head-view g.head[data-head='1']").value_of_css_property("display")
        check(hidden == "none", "a click on head 2's name hides its lines")
        for name in ("weights", "context"):
            driver.find_element(By.CSS_SELECTOR, f"#stages input[value='{name}']").click()
        stages = cli_html(binary, ["--projection", "rand", "--heads", "2", "--stages", "weights,context",
                                   "The dog chased the ball, and it rolled away."])
        check(wait_for(lambda: srcdoc(driver) == stages) is not None and "stages=weights%2Ccontext" in driver.current_url,
              "ticking stages draws only those (--stages weights,context)")
        for name in ("weights", "context"):
            driver.find_element(By.CSS_SELECTOR, f"#stages input[value='{name}']").click()

        set_value(driver, "heads", "0")
        status = wait_for(lambda: driver.find_element(By.ID, "status").get_attribute("class") == "error"
                          and driver.find_element(By.ID, "status").text)
        check(status == "--heads: expected a whole number from 1 to 256, got \"0\"",
              f"a bad value shows the command line's message ({status!r})")
        set_value(driver, "heads", "1")
        set_value(driver, "projection", "auto")
        check(wait_for(lambda: srcdoc(driver) == dog) is not None, "a good value again recomputes")

        # Edit one number of the sentence's vectors: the page recomputes on the edited table.
        driver.find_element(By.CSS_SELECTOR, "#editor summary").click()
        cell = wait_for(lambda: driver.find_element(By.CSS_SELECTOR, "#editor-body input[data-row='dog'][data-col='0']"))
        before = srcdoc(driver)
        driver.execute_script("arguments[0].value = '0.9'; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));", cell)
        after = wait_for(lambda: srcdoc(driver) != before and srcdoc(driver))
        trace = json.loads(server.post("/api/trace", {"options": {"sentence": "The dog chased the ball, and it rolled away."},
                                                      "table": edited_default(server, "dog", 0, 0.9)})[2])
        check(after is not None and trace["inputs"][1][0] == 0.9 and "0.9000" in after,
              "editing a vector's number recomputes every stage on the edited table")

        # A hostile sentence is text: escaped in the page, nothing of it runs.
        driver.find_element(By.ID, "reset-table").click()
        hostile = '<script>document.title="owned"</script> "><img src=x onerror="document.title=\'owned\'">'
        box = driver.find_element(By.ID, "sentence")
        box.clear()
        box.send_keys(hostile)
        escaped = cli_html(binary, [hostile])
        shown = wait_for(lambda: srcdoc(driver) == escaped)
        time.sleep(0.5)
        check(shown is not None and driver.title != "owned" and "<script>document.title" not in escaped,
              "a sentence of <script> and <img onerror> shows as text (the --html bytes) and runs nothing")

        # A shared link opens the same view.
        driver.get(server.url + "?sentence=Your%20journey%20starts%20with%20one%20step&table=journey&projection=none")
        journey = cli_html(binary, ["-e", "journey.json", "--projection", "none", "Your journey starts with one step"])
        check(wait_for(lambda: srcdoc(driver) == journey) is not None, "a URL with the state opens that view")

        # The model view: every head of every layer; a click on a thumbnail opens that head.
        driver.get(server.url + "?sentence=The%20dog%20chased%20the%20ball.&model=demo&layer=all")
        grid = cli_html(binary, ["--model", "demo", "--layer", "all", "The dog chased the ball."])
        check(wait_for(lambda: srcdoc(driver) == grid) is not None, "the model view (--layer all) is drawn")
        time.sleep(0.5)
        driver.switch_to.frame("report")
        driver.find_element(By.CSS_SELECTOR, "table.grid tbody tr:nth-child(2) td:nth-of-type(3)").click()
        driver.switch_to.default_content()
        head = cli_html(binary, ["--model", "demo", "--layer", "2", "--head", "3", "The dog chased the ball."])
        check(wait_for(lambda: srcdoc(driver) == head) is not None, "a click on layer 2, head 3's thumbnail opens that head")
        check(driver.find_element(By.ID, "layer").get_attribute("value") == "2"
              and driver.find_element(By.ID, "head").get_attribute("value") == "3", "the pickers follow the click")

        # The temperature slider: the next tokens at T = 0.5 (--temperature 0.5), its value shown beside it.
        set_value(driver, "temperature", "0.5")
        cold = cli_html(binary, ["--model", "demo", "--layer", "2", "--head", "3", "--temperature", "0.5",
                                 "The dog chased the ball."])
        check(wait_for(lambda: srcdoc(driver) == cold) is not None and "temperature=0.5" in driver.current_url
              and driver.find_element(By.ID, "temperature-value").text == "0.5",
              "the temperature slider recomputes the next tokens (--temperature 0.5) and shows its value")

        # The logit lens: a tick adds --lens, and the page draws the CLI's grid.
        driver.find_element(By.ID, "lens").click()
        lens = cli_html(binary, ["--model", "demo", "--layer", "2", "--head", "3", "--temperature", "0.5", "--lens",
                                 "The dog chased the ball."])
        check(wait_for(lambda: srcdoc(driver) == lens) is not None and "lens=true" in driver.current_url
              and 'class="lens"' in srcdoc(driver), "the lens box draws the logit lens (--lens)")


        # A model's training snapshots (issue 28): the picker offers its steps and adds --snapshot.
        name = os.path.basename(os.path.normpath(snapshot_model))
        driver.get(server.url + f"?sentence=The%20dog%20chased%20the%20ball.&model={name}&layer=2")
        final = cli_html(binary, ["--model", snapshot_model, "--layer", "2", "The dog chased the ball."])
        check(wait_for(lambda: srcdoc(driver) == final) is not None, "a model with snapshots opens on its final weights")
        listed = json.loads(subprocess.run([binary, "--model", snapshot_model, "--snapshot", "list", "--json"],
                                           capture_output=True, text=True, check=True).stdout)
        steps = [str(s["step"]) for s in listed["snapshots"]]
        offered = [o.get_attribute("value") for o in driver.find_elements(By.CSS_SELECTOR, "#snapshot option")][1:]
        set_value(driver, "snapshot", steps[0])
        early = cli_html(binary, ["--model", snapshot_model, "--layer", "2", "--snapshot", steps[0], "The dog chased the ball."])
        check(offered == steps and early != final and wait_for(lambda: srcdoc(driver) == early) is not None
              and f"snapshot={steps[0]}" in driver.current_url,
              f"the training-step picker offers the model's snapshots ({offered}) and runs the first (--snapshot {steps[0]})")

        # A table run with positions: the select adds --positions sinusoidal.
        driver.get(server.url + "?sentence=dog%20bites%20man&table=default")
        check(wait_for(lambda: srcdoc(driver) == cli_html(binary, ["dog bites man"])) is not None, "back to a table run")
        set_value(driver, "positions", "sinusoidal")
        placed = cli_html(binary, ["--positions", "sinusoidal", "dog bites man"])
        check(wait_for(lambda: srcdoc(driver) == placed) is not None and "positions=sinusoidal" in driver.current_url,
              "the positions picker adds the sinusoidal encoding (--positions sinusoidal)")
    finally:
        driver.quit()
        server.stop()
    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0


def edited_default(server, word, column, value):
    table = json.loads(server.get("/api/table", {"name": "default"})[2])
    table["vectors"][word][column] = value
    return table


if __name__ == "__main__":
    sys.exit(main())
