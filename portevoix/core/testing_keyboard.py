"""Keyboard-only walking for the browser journeys: Tab to an element, checking on the way that
every element the focus lands on shows it (an outline or a box shadow, on screen)."""

from __future__ import annotations

from datetime import date
from typing import Any

from playwright.sync_api import Locator, Page

# What the eye gets from the focused element: its computed outline and shadow, and its box.
FOCUS_STATE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  const text = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim();
  return {
    element: `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.name ? `[name=${el.name}]` : ''} "${text.slice(0, 40)}"`,
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth) || 0,
    boxShadow: style.boxShadow,
    width: box.width,
    height: box.height,
  };
}"""


def focus_shown(state: dict[str, Any]) -> bool:
    outlined = state["outlineStyle"] != "none" and state["outlineWidth"] > 0
    shadowed = state["boxShadow"] not in ("", "none")
    return (outlined or shadowed) and state["width"] > 0 and state["height"] > 0


def assert_focus_visible(page: Page) -> str:
    """The focused element shows its focus; returns its description."""
    state = page.evaluate(FOCUS_STATE)
    assert state is not None, "nothing has the focus"
    assert focus_shown(state), f"focus not visible on {state['element']}: {state}"
    return str(state["element"])


def tab_to(page: Page, target: Locator, *, backwards: bool = False, limit: int = 80) -> Locator:
    """Press Tab (Shift+Tab when `backwards`) until `target` has the focus, checking that each
    element passed shows its focus. Returns `target`, focused; fails if it is never reached."""
    handle = target.element_handle()
    key = "Shift+Tab" if backwards else "Tab"
    passed: list[str] = []
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate(FOCUS_STATE) is None:  # past the last element: the browser's own UI
            continue
        passed.append(assert_focus_visible(page))
        if page.evaluate("el => el === document.activeElement", handle):
            return target
    raise AssertionError(f"{key} never reached {target}; passed {passed}")


def log_in_with_the_keyboard(page: Page, email: str, password: str) -> None:
    """The log-in page, filled and sent with Tab, typing and Enter."""
    page.goto("/accounts/login/")
    tab_to(page, page.locator("input[name=username]"))
    page.keyboard.type(email)
    tab_to(page, page.locator("input[name=password]"))
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def type_date(page: Page, field: Locator, day: date) -> None:
    """Tab to a date field and type the date. Chromium orders the day, month and year of its
    date fields after its own language, not the page's: day first is tried, then month first
    (Shift+Tab goes back through the field's parts)."""
    tab_to(page, field)
    page.keyboard.type(day.strftime("%d%m%Y"))
    if field.input_value() != day.isoformat():
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Shift+Tab")
        page.keyboard.type(day.strftime("%m%d%Y"))
    assert field.input_value() == day.isoformat()
