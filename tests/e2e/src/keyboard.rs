//! Driving the page with the keyboard alone, through WebDriver key actions, and reading
//! where the focus is and whether it shows.

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use serde_json::Value;

use crate::browser::Browser;

/// Presses keys together (modifiers first) and releases them in reverse order; special keys
/// as `Key::Control.into()`.
pub async fn chord(browser: &Browser, keys: &[char]) -> Result<(), String> {
    let mut actions = KeyActions::new("keyboard".into());
    for &value in keys {
        actions = actions.then(KeyAction::Down { value });
    }
    for &value in keys.iter().rev() {
        actions = actions.then(KeyAction::Up { value });
    }
    browser.client.perform_actions(actions).await.map_err(|e| format!("key press failed: {e}"))
}

pub async fn press(browser: &Browser, key: Key) -> Result<(), String> {
    chord(browser, &[key.into()]).await
}

/// Types `text` one key at a time; a newline is the Enter key.
pub async fn type_text(browser: &Browser, text: &str) -> Result<(), String> {
    let mut actions = KeyActions::new("keyboard".into());
    for c in text.chars() {
        let value = if c == '\n' { char::from(Key::Enter) } else { c };
        actions = actions.then(KeyAction::Down { value }).then(KeyAction::Up { value });
    }
    browser.client.perform_actions(actions).await.map_err(|e| format!("typing failed: {e}"))
}

/// What has the focus: a short description, whether it matches `selector`, and whether its
/// focus indicator can be seen.
const FOCUS: &str = r#"
    const e = document.activeElement;
    if (!e || e === document.body) return { what: 'body', matches: false, visible: false };
    const ring = el => {
        const s = getComputedStyle(el);
        if (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) {
            return parseFloat(s.outlineWidth) + Math.max(0, parseFloat(s.outlineOffset) || 0);
        }
        return s.boxShadow !== 'none' ? 1 : 0;
    };
    // A ring drawn outside the element is lost where an ancestor clips every side of it
    // (an editor's textarea filling a box with overflow: hidden).
    const shows = el => {
        const grow = ring(el);
        if (grow === 0) return false;
        const r = el.getBoundingClientRect();
        if (r.width === 0 && r.height === 0) return false;
        for (let a = el.parentElement; a; a = a.parentElement) {
            const s = getComputedStyle(a);
            if (!/(hidden|auto|scroll|clip)/.test(s.overflowX + s.overflowY)) continue;
            const p = a.getBoundingClientRect();
            if (r.left - grow < p.left && r.top - grow < p.top && r.right + grow > p.right && r.bottom + grow > p.bottom) return false;
        }
        return true;
    };
    // The element's own ring, or one its label or box draws for it (:focus-within).
    let visible = shows(e);
    for (let a = e.parentElement, depth = 0; !visible && a && depth < 4; a = a.parentElement, depth++) {
        visible = a.matches(':focus-within') && shows(a);
    }
    const r = e.getBoundingClientRect();
    const on_screen = r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth;
    const what = e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
        + (e.dataset.testid ? `[data-testid=${e.dataset.testid}]` : '')
        + ` "${(e.getAttribute('aria-label') || e.textContent || e.value || '').trim().slice(0, 40)}"`;
    return { what, matches: arguments[0] ? e.matches(arguments[0]) : false, visible: visible && on_screen };
"#;

#[derive(Debug)]
pub struct Focus {
    /// Tag, id, test id and text of the focused element.
    pub what: String,
    pub matches: bool,
    /// Its focus indicator is drawn and on screen.
    pub visible: bool,
}

pub async fn focus(browser: &Browser, selector: &str) -> Result<Focus, String> {
    let v = browser.js(FOCUS, vec![Value::from(selector)]).await?;
    Ok(Focus {
        what: v["what"].as_str().unwrap_or_default().to_string(),
        matches: v["matches"] == true,
        visible: v["visible"] == true,
    })
}

/// Presses Tab (Shift+Tab when `backwards`) until the focus is on `selector`, checking at
/// every stop on the way that the focus can be seen. Returns the stops passed.
pub async fn tab_to(browser: &Browser, selector: &str, backwards: bool) -> Result<Vec<String>, String> {
    let mut passed = Vec::new();
    for _ in 0..250 {
        if backwards {
            chord(browser, &[Key::Shift.into(), Key::Tab.into()]).await?;
        } else {
            press(browser, Key::Tab).await?;
        }
        let f = focus(browser, selector).await?;
        if !f.visible {
            return Err(format!("the focus on {} cannot be seen (no outline, or it is clipped or off screen)", f.what));
        }
        if f.matches {
            return Ok(passed);
        }
        passed.push(f.what);
    }
    Err(format!(
        "{selector} was not reached in 250 {} presses; last stops: {:?}",
        if backwards { "Shift+Tab" } else { "Tab" },
        &passed[passed.len().saturating_sub(8)..]
    ))
}
