//! Choosing a patient by typing part of a name, MRN, phone or date of birth: an ARIA
//! combobox with a listbox popup (WAI-ARIA Authoring Practices, "list autocomplete"). Typing
//! filters with the panel's own search; ArrowDown and ArrowUp move through the matches,
//! Enter or a click picks one, Escape closes the list (and, with the list closed, clears the
//! text). A typed text that matches exactly one patient chooses that patient without a pick:
//! when the field is left, and when the form is submitted (`PatientChoice::settle`).

use leptos::prelude::*;

use crate::components::field::FieldFrame;
use crate::model::{Panel, PanelSort, Patient};
use crate::pages::show_date;
use crate::state::AppState;

/// How many matches are offered at once.
const SHOWN: usize = 8;

/// The patient a form is for: the chosen patient's id and the text typed in the picker.
/// Made in the form (`PatientChoice::new`), given to the `PatientPicker`, and settled by the
/// form's submit.
#[derive(Clone, Copy)]
pub struct PatientChoice {
    /// The chosen patient's id; empty while none is chosen.
    pub id: RwSignal<String>,
    /// What the picker's input shows.
    pub text: RwSignal<String>,
    panel: ReadSignal<Panel>,
}

impl PatientChoice {
    /// `id` already chosen (empty: none). Made in a component: it reads the panel from the
    /// app state.
    pub fn new(id: String) -> Self {
        let panel = *expect_context::<AppState>().panel;
        let text = panel.with_untracked(|p| p.get(&id).map(Patient::sort_name)).unwrap_or_default();
        PatientChoice { id: RwSignal::new(id), text: RwSignal::new(text), panel }
    }

    /// The chosen patient's id. With none chosen, a typed text that matches exactly one
    /// patient chooses that patient now; otherwise empty (the form's validation says so).
    pub fn settle(self) -> String {
        let chosen = self.id.get_untracked();
        if !chosen.is_empty() {
            return chosen;
        }
        let only = self.panel.with_untracked(|p| p.only_match(&self.text.get_untracked()).map(|pt| (pt.id.clone(), pt.sort_name())));
        match only {
            Some((id, name)) => {
                self.id.set(id.clone());
                self.text.set(name);
                id
            }
            None => String::new(),
        }
    }

    fn pick(self, id: String) {
        let name = self.panel.with_untracked(|p| p.get(&id).map(Patient::sort_name));
        if let Some(name) = name {
            self.text.set(name);
            self.id.set(id);
        }
    }
}

/// One offered patient: its id, the option's DOM id and what it says.
#[derive(Clone, PartialEq)]
struct Offer {
    id: String,
    dom_id: String,
    text: String,
}

/// The DOM id of a patient's option (record ids are UUIDs; anything else is made safe).
fn option_id(picker: &str, patient: &str) -> String {
    let safe: String = patient.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
    format!("{picker}-option-{safe}")
}

/// A labelled combobox that chooses a patient into `choice`.
#[component]
pub fn PatientPicker(
    /// The input's id: the label's `for`; the listbox is `{id}-listbox`.
    #[prop(into)]
    id: String,
    /// The visible label: the combobox's accessible name ("Patient").
    #[prop(into)]
    label: String,
    /// The chosen patient and the typed text, shared with the form.
    choice: PatientChoice,
    /// The form cannot be saved without a patient: marks it and sets `required` and
    /// `aria-required`.
    #[prop(optional)]
    required: bool,
    /// A line under the field. Empty: none.
    #[prop(optional, into)]
    hint: Signal<String>,
    /// The field's problem, from the form's validation. Empty: none.
    #[prop(optional, into)]
    error: Signal<String>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let frame = FieldFrame::new(id.clone(), label.clone(), required, hint, error);
    let listbox_id = format!("{id}-listbox");
    let chosen_id = format!("{id}-chosen");
    let open = RwSignal::new(false);
    // The patient whose option has visual focus (ArrowDown/ArrowUp).
    let active = RwSignal::new(None::<String>);
    let picker_id = StoredValue::new(id.clone());

    let offers = Memo::new(move |_| {
        if !open.get() {
            return Vec::new();
        }
        let q = choice.text.get();
        if q.trim().is_empty() {
            return Vec::new();
        }
        let picker = picker_id.get_value();
        state.panel.with(|p| {
            p.search(&q, PanelSort::Name)
                .into_iter()
                .take(SHOWN)
                .map(|i| {
                    let pt = p.at(i);
                    Offer {
                        id: pt.id.clone(),
                        dom_id: option_id(&picker, &pt.id),
                        text: format!("{} · born {}{}", pt.sort_name(), show_date(pt.date_of_birth), if pt.mrn.is_empty() { String::new() } else { format!(" · {}", pt.mrn) }),
                    }
                })
                .collect::<Vec<_>>()
        })
    });
    let expanded = move || !offers.with(Vec::is_empty);
    let close = move || {
        open.set(false);
        active.set(None);
    };
    let pick = move |id: String| {
        choice.pick(id);
        close();
    };
    // Moves the visual focus `step` options on (or back), wrapping around.
    let step = move |forward: bool| {
        let ids: Vec<String> = offers.with_untracked(|o| o.iter().map(|x| x.id.clone()).collect());
        if ids.is_empty() {
            return;
        }
        let now = active.with_untracked(|a| a.as_ref().and_then(|a| ids.iter().position(|x| x == a)));
        let next = match (now, forward) {
            (None, true) => 0,
            (None, false) => ids.len() - 1,
            (Some(i), true) => (i + 1) % ids.len(),
            (Some(i), false) => (i + ids.len() - 1) % ids.len(),
        };
        active.set(Some(ids[next].clone()));
    };
    let keydown = move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
        "ArrowDown" | "ArrowUp" => {
            ev.prevent_default();
            let forward = ev.key() == "ArrowDown";
            if open.get_untracked() {
                step(forward);
            } else {
                open.set(true);
                if !ev.alt_key() {
                    step(forward);
                }
            }
        }
        "Enter" => {
            // With an option in focus, Enter picks it; otherwise it submits the form.
            if let Some(id) = active.get_untracked().filter(|_| expanded()) {
                ev.prevent_default();
                pick(id);
            }
        }
        "Escape" => {
            if expanded() {
                ev.prevent_default();
                close();
            } else if !choice.text.with_untracked(String::is_empty) {
                ev.prevent_default();
                choice.text.set(String::new());
                choice.id.set(String::new());
            }
        }
        _ => {}
    };
    let active_dom_id = move || {
        let a = active.get()?;
        offers.with(|o| o.iter().find(|x| x.id == a).map(|x| x.dom_id.clone()))
    };
    let chosen_text = move || {
        let id = choice.id.get();
        state.panel.with(|p| p.get(&id).map(|pt| format!("{} (born {})", pt.sort_name(), show_date(pt.date_of_birth))))
    };
    let described = {
        let chosen_id = chosen_id.clone();
        frame.described_by(move || choice.id.with(|id| !id.is_empty()).then(|| chosen_id.clone()))
    };
    let control = view! {
        <input
            id=id
            type="text"
            role="combobox"
            autocomplete="off"
            placeholder="Type a name, MRN or date of birth"
            aria-autocomplete="list"
            aria-expanded=move || expanded().to_string()
            aria-controls=listbox_id.clone()
            aria-activedescendant=active_dom_id
            required=required
            aria-required=frame.aria_required()
            aria-invalid=frame.aria_invalid()
            aria-describedby=described
            prop:value=move || choice.text.get()
            on:input=move |ev| {
                choice.text.set(event_target_value(&ev));
                choice.id.set(String::new());
                active.set(None);
                open.set(true);
            }
            on:keydown=keydown
            on:blur=move |_| {
                // Chromium also sends blur when the focused input is removed with its form
                // (after a save): its signals are gone then, and there is nothing to settle.
                if open.is_disposed() || choice.id.is_disposed() {
                    return;
                }
                close();
                choice.settle();
            }
        />
    }
    .into_any();
    let after = view! {
        // Named apart from the field, so that the label finds the input alone.
        <ul id=listbox_id role="listbox" class="picker-list" aria-label="Matches" hidden=move || !expanded()>
            <For each=move || offers.get() key=|o| o.id.clone() let(o)>
                {
                    let Offer { id, dom_id, text } = o;
                    let (is_active, this) = (id.clone(), id.clone());
                    view! {
                        <li
                            id=dom_id
                            role="option"
                            class="picker-option"
                            class:active=move || active.with(|a| a.as_deref() == Some(is_active.as_str()))
                            aria-selected=move || active.with(|a| a.as_deref() == Some(id.as_str())).to_string()
                            // Keeps the focus in the input, so leaving it does not close the list first.
                            on:mousedown=|ev| ev.prevent_default()
                            on:click=move |_| pick(this.clone())
                        >
                            {text}
                        </li>
                    }
                }
            </For>
        </ul>
        {move || {
            let typed = choice.text.get();
            (open.get() && !typed.trim().is_empty() && !expanded() && choice.id.with(String::is_empty))
                .then(|| view! { <p class="hint">{format!("No patient on the panel matches \u{201c}{}\u{201d}.", typed.trim())}</p> })
        }}
        {move || chosen_text().map(|n| view! { <p class="chosen" id=chosen_id.clone()>"Chosen: " <strong>{n}</strong></p> })}
    }
    .into_any();
    frame.render(control, Some(after))
}
