"""The Lessons page in chromium: every lesson's link opens its page with its settings and no exception."""

from __future__ import annotations

from urllib.parse import urljoin

from .helpers import StreamlitPage, expect


def test_every_lesson_link_opens_its_page_cleanly(app: StreamlitPage) -> None:
    app.open("lessons")
    links = app.page.get_by_role("link", name="Open this lesson")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert len(hrefs) >= 8

    for href in hrefs:
        app.page.goto(urljoin(app.base_url + "/", href))  # the Playground, the default page, links as "?query"
        app.wait_until_idle()
        app.assert_healthy()
        expect(app.page.get_by_text("Part of this link was not used")).to_have_count(0)
        expect(app.page.get_by_test_id("stNotification").filter(has_text="ignored")).to_have_count(0)


def test_a_lesson_link_sets_the_page_it_opens(app: StreamlitPage) -> None:
    app.open("lessons")
    with app.waiting_for_rerun():
        app.page.locator(".st-key-lesson_5").get_by_role("link", name="Open this lesson").click()  # a large ε

    assert "/inside-adam" in app.page.url
    assert app.page.locator(".st-key-inside_adam_eps input[type='range']").get_attribute("aria-valuetext") == "1"
    assert app.page.locator(".st-key-inside_adam_t input[type='range']").get_attribute("aria-valuetext") == "t = 150"
    expect(app.page.get_by_text("Adam is behaving like SGD with momentum")).to_be_visible()
