"""Lesson 1 played in the browser from the start page, first to last step with Next: each step's
page, window and time step on screen, the numbers its text quotes are the page's own, and the
address bar holds the step, so a reload comes back to it; and lesson 5 clicked on through
while its first race trains. On a projector's 1024 pixels no button or box label is cut."""

import re

from playwright.sync_api import expect

from rnn_core import lessons
from tests.browser.conftest import VIEWPORT
from tests.browser.helpers import PROJECTOR, WHOLE_LABEL, wait_idle

VECTOR = re.compile(r"\[-?\d[^\]]*\]")


def test_lesson_one_from_the_start_page_to_its_last_step(fresh, server):
    page, lesson = fresh, lessons.builtin("1")
    page.set_viewport_size(PROJECTOR)  # a class's first screen, on the room's projector
    page.goto(server)
    expect(page.get_by_role("heading", name="RNN Explorer", exact=True)).to_be_visible()
    first_minute = page.get_by_role("button", name=re.compile(r"^[123]\. "))
    expect(first_minute).to_have_count(3)
    for button in first_minute.all():  # each label whole, not cut with "…"
        assert button.evaluate(WHOLE_LABEL), button.inner_text()
    page.set_viewport_size(VIEWPORT)
    card = page.locator(".st-key-lesson_card_1")  # the lesson's card (its container's key)
    expect(card).to_contain_text(lesson.title)
    card.get_by_role("button", name=re.compile(r"^Start")).click()
    sidebar = page.get_by_test_id("stSidebar")
    for i, step in enumerate(lesson.steps):
        if i:  # the click event on the button itself: the sidebar's layout may still shift
            # as the page draws, and a click at the button's old place was seen to miss it
            sidebar.get_by_role("button", name="Next", exact=True).dispatch_event("click")
        expect(sidebar.get_by_text(f"Step {i + 1} of {len(lesson.steps)}")).to_be_visible()
        expect(page).to_have_url(re.compile(rf"[?&]lesson=1&step={i + 1}(&|$)"))
        expect(sidebar.get_by_role("heading", name=step.title)).to_be_visible()
        # the first step asks a worker for the untrained network's weights (the server's
        # workers may still be importing TensorFlow on a loaded machine)
        expect(page.get_by_role("heading", name="Inside the network", exact=True)).to_be_visible(
            timeout=120_000 if i == 0 else None)
        expect(page.get_by_text(f"Step t = {step.t} of 3", exact=True)).to_be_visible()
        expect(page.get_by_role("textbox", name=re.compile("^Window values"))).to_have_value(
            "1, 2, 3")
        wait_idle(page)
        paragraph = sidebar.get_by_test_id("stMarkdownContainer").filter(
            has=page.locator("p")).filter(has_text=step.text.split()[0]).first.inner_text()
        assert "…" not in paragraph, paragraph
        if i in (1, 2, 3):  # h_t quoted in the lesson = h_t in the page's equations (numpy)
            h = VECTOR.findall(paragraph.split(f"h_{step.t} =")[-1])
            assert h, paragraph
            # waited for, not read at once: the equations are drawn late in the step's run,
            # and a read right after it started found none on a loaded machine
            expect(page.get_by_test_id("stCode").filter(has_text=h[-1]).first).to_be_visible()
    expect(sidebar.get_by_role("button", name="Next", exact=True)).to_be_disabled()
    # the last step quotes Keras' own prediction next to the one by hand, as the page's proof
    # (asked of a worker, which may be busy with another test's training: up to its wait)
    keras = page.get_by_test_id("stMetric").filter(has_text="Keras predict")
    expect(keras).to_be_visible(timeout=120_000)

    # a reload (a new session) opens the same step of the lesson, on its page
    page.reload()
    last = len(lesson.steps)
    expect(sidebar.get_by_text(f"Step {last} of {last}")).to_be_visible()
    expect(sidebar.get_by_role("heading", name=lesson.steps[-1].title)).to_be_visible()
    expect(page.get_by_role("heading", name="Inside the network", exact=True)).to_be_visible()
    # Leave closes the player: the address no longer opens the lesson
    sidebar.get_by_role("button", name=re.compile("^Leave")).click()
    expect(page).not_to_have_url(re.compile(r"[?&]lesson="))


def test_show_me_while_the_last_race_runs_keeps_it_and_says_so(fresh, server):
    # lesson 5 races the three cells on step 2 and again on step 4; clicked on through before
    # the first race ended, Show me used to start a second race while the first went on
    # training with nobody following it (no bar, no Stop, its runs never on Compare)
    page = fresh
    page.set_viewport_size(PROJECTOR)
    page.goto(f"{server}/?lesson=5&step=2")
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text("Step 2 of 5")).to_be_visible()
    show_me = sidebar.get_by_role("button", name="Show me", exact=True)
    # labels whole, not cut to "Sh…" (three buttons in a row did not fit the sidebar) or to
    # "Over seeds 0…" (a narrow column beside the race's radio)
    seeds = page.get_by_test_id("stCheckbox").filter(has_text="Over seeds")
    for label in (show_me, seeds):
        assert label.evaluate(WHOLE_LABEL), label.inner_text()
    show_me.click()
    racing = page.get_by_text(re.compile(r"^(Racing 3 trainings|Waiting for a free trainer)"))
    expect(racing).to_be_visible()
    wait_idle(page)
    for step in (3, 4):
        sidebar.get_by_role("button", name="Next", exact=True).dispatch_event("click")
        expect(sidebar.get_by_text(f"Step {step} of 5")).to_be_visible()
        wait_idle(page)
    sidebar.get_by_role("button", name="Show me", exact=True).click()
    expect(page.get_by_test_id("stToast")).to_contain_text(
        "The race is still running: wait for it to finish or press Stop")
    expect(racing).to_be_visible()  # the first race, still followed, and Stop ends it
    page.get_by_role("button", name="Stop", exact=True).click()
    expect(racing).to_have_count(0, timeout=60_000)
