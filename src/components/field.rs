//! The one family of form fields: [`Field`] (a text, date, number, phone… `<input>`),
//! [`SelectField`] and [`TextAreaField`]. Each draws the same frame around its control: a
//! `<label for>` with the control's id, a mark when the field is required (`required` and
//! `aria-required` on the control), a hint, and the field's error right under it, which the
//! control points at with `aria-describedby` and `aria-invalid` while it is in error.
//!
//! The rules stay in `model`: a form passes each field its error message (empty: none) as
//! the form's own validation gave it; the field only shows it.

use leptos::prelude::*;

/// What a field shows and where a change goes: a signal of its own, or one field of a form's
/// draft (`FieldValue::of`).
#[derive(Clone, Copy)]
pub struct FieldValue {
    get: Signal<String>,
    set: Callback<String>,
}

impl FieldValue {
    /// A value read from `get` and written with `set` (for a change that does more than store
    /// the text, such as looking up the service a destination names).
    pub fn new(get: impl Fn() -> String + Send + Sync + 'static, set: impl Fn(String) + Send + Sync + 'static) -> Self {
        FieldValue { get: Signal::derive(get), set: Callback::new(set) }
    }

    /// One text field of a form's draft: `get` reads it, `set` stores what was typed.
    pub fn of<D: Send + Sync + 'static>(draft: RwSignal<D>, get: fn(&D) -> String, set: fn(&mut D, String)) -> Self {
        FieldValue::new(move || draft.with(get), move |v| draft.update(|d| set(d, v)))
    }

    /// The value now (tracked).
    pub fn get(&self) -> String {
        self.get.get()
    }

    /// Stores a new value.
    pub fn set(&self, value: String) {
        self.set.run(value)
    }
}

impl From<RwSignal<String>> for FieldValue {
    fn from(signal: RwSignal<String>) -> Self {
        FieldValue::new(move || signal.get(), move |v| signal.set(v))
    }
}

/// What every field draws around its control: the label, the required mark, the hint and
/// the error, with the ids the control's `aria-describedby` points at (`{id}-hint`,
/// `{id}-error`). Shared by the fields here and by `PatientPicker`.
#[derive(Clone)]
pub struct FieldFrame {
    id: String,
    label: String,
    required: bool,
    hint: Signal<String>,
    error: Signal<String>,
}

impl FieldFrame {
    /// `hint` and `error` are empty when there is none.
    pub fn new(id: String, label: String, required: bool, hint: Signal<String>, error: Signal<String>) -> Self {
        FieldFrame { id, label, required, hint, error }
    }

    /// `aria-required="true"` on a required control, nothing otherwise.
    pub fn aria_required(&self) -> Option<&'static str> {
        self.required.then_some("true")
    }

    /// `aria-invalid="true"` while the field has an error.
    pub fn aria_invalid(&self) -> impl Fn() -> Option<&'static str> + Copy + Send + Sync + 'static {
        let error = self.error;
        move || error.with(|e| (!e.is_empty()).then_some("true"))
    }

    /// `aria-describedby`: the hint and the error when there are some, then the ids `more`
    /// gives (a picker adds the line naming the chosen patient).
    pub fn described_by(&self, more: impl Fn() -> Option<String> + Send + Sync + 'static) -> impl Fn() -> Option<String> + Send + Sync + 'static {
        let (hint, error) = (self.hint, self.error);
        let (hint_id, error_id) = (format!("{}-hint", self.id), format!("{}-error", self.id));
        move || {
            let ids: Vec<String> = [
                hint.with(|h| !h.is_empty()).then(|| hint_id.clone()),
                error.with(|e| !e.is_empty()).then(|| error_id.clone()),
                more(),
            ]
            .into_iter()
            .flatten()
            .collect();
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    }

    /// The whole field: label, `control`, `after` (a datalist, a listbox), hint and error.
    pub fn render(self, control: AnyView, after: Option<AnyView>) -> AnyView {
        let FieldFrame { id, label, required, hint, error } = self;
        let hint_id = format!("{id}-hint");
        let error_id = format!("{id}-error");
        view! {
            <div class="field" class:invalid=move || error.with(|e| !e.is_empty())>
                // The mark sits beside the label, not in it: the label's text stays the
                // field's exact name, and `required` says it to assistive technology.
                <span class="field-label">
                    <label for=id>{label}</label>
                    {required.then(|| view! { <span class="required" aria-hidden="true">" *"</span> })}
                </span>
                {control}
                {after}
                {move || {
                    let text = hint.get();
                    let id = hint_id.clone();
                    (!text.is_empty()).then(|| view! { <p class="hint" id=id>{text}</p> })
                }}
                <p class="field-error" id=error_id>{move || error.get()}</p>
            </div>
        }
        .into_any()
    }
}

/// A labelled `<input>`: text, date, number, tel, email, time…
#[component]
pub fn Field(
    /// The input's id: the label's `for`, and the base of the hint's and the error's ids.
    #[prop(into)]
    id: String,
    /// The visible label: the input's accessible name, which tests and screen readers use.
    #[prop(into)]
    label: String,
    /// What the input shows and where a change goes.
    #[prop(into)]
    value: FieldValue,
    /// The input's `type`: "text" (the default), "date", "number", "tel", "email", "time"…
    #[prop(default = "text")]
    kind: &'static str,
    /// The form cannot be saved with this field empty: marks it and sets `required` and
    /// `aria-required`.
    #[prop(optional)]
    required: bool,
    /// A line under the field (format, example, what an empty field means). Empty: none.
    #[prop(optional, into)]
    hint: Signal<String>,
    /// The field's problem, from the form's validation. Empty: none.
    #[prop(optional, into)]
    error: Signal<String>,
    /// The input's `autocomplete`.
    #[prop(optional)]
    autocomplete: Option<&'static str>,
    /// The id of a `<datalist>` of suggestions (given as `children`).
    #[prop(optional)]
    list: Option<&'static str>,
    /// The input's placeholder.
    #[prop(optional)]
    placeholder: Option<&'static str>,
    /// Drawn right after the input (a `<datalist>`).
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let frame = FieldFrame::new(id.clone(), label, required, hint, error);
    let control = view! {
        <input
            id=id
            type=kind
            required=required
            aria-required=frame.aria_required()
            aria-invalid=frame.aria_invalid()
            aria-describedby=frame.described_by(|| None)
            autocomplete=autocomplete
            list=list
            placeholder=placeholder
            prop:value=move || value.get()
            on:input=move |ev| value.set(event_target_value(&ev))
        />
    }
    .into_any();
    frame.render(control, children.map(|c| c()))
}

/// A labelled `<select>` of fixed choices.
#[component]
pub fn SelectField(
    /// The select's id: the label's `for`, and the base of the hint's and the error's ids.
    #[prop(into)]
    id: String,
    /// The visible label: the select's accessible name.
    #[prop(into)]
    label: String,
    /// The chosen option's value and where a change goes. A value that is no option's shows
    /// no option chosen.
    #[prop(into)]
    value: FieldValue,
    /// The choices, in order: (value, text shown).
    options: Vec<(String, String)>,
    /// The form cannot be saved without a choice: marks it and sets `required` and
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
    let frame = FieldFrame::new(id.clone(), label, required, hint, error);
    // `prop:value` follows later changes; `selected` shows the value when the select is first
    // drawn (its options do not exist yet when its properties are set).
    let control = view! {
        <select
            id=id
            required=required
            aria-required=frame.aria_required()
            aria-invalid=frame.aria_invalid()
            aria-describedby=frame.described_by(|| None)
            prop:value=move || value.get()
            on:change=move |ev| value.set(event_target_value(&ev))
        >
            {options.into_iter().map(|(code, text)| {
                let this = code.clone();
                view! { <option value=code selected=move || value.get() == this>{text}</option> }
            }).collect_view()}
        </select>
    }
    .into_any();
    frame.render(control, None)
}

/// A labelled `<textarea>`.
#[component]
pub fn TextAreaField(
    /// The textarea's id: the label's `for`, and the base of the hint's and the error's ids.
    #[prop(into)]
    id: String,
    /// The visible label: the textarea's accessible name.
    #[prop(into)]
    label: String,
    /// What the textarea shows and where a change goes.
    #[prop(into)]
    value: FieldValue,
    /// Visible lines (2 unless given).
    #[prop(default = 2)]
    rows: u32,
    /// The form cannot be saved with this field empty: marks it and sets `required` and
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
    let frame = FieldFrame::new(id.clone(), label, required, hint, error);
    let control = view! {
        <textarea
            id=id
            rows=rows.to_string()
            required=required
            aria-required=frame.aria_required()
            aria-invalid=frame.aria_invalid()
            aria-describedby=frame.described_by(|| None)
            prop:value=move || value.get()
            on:input=move |ev| value.set(event_target_value(&ev))
        ></textarea>
    }
    .into_any();
    frame.render(control, None)
}

/// A `SelectField`'s choices from (value, text) pairs.
pub fn options<V: Into<String>, L: Into<String>>(list: impl IntoIterator<Item = (V, L)>) -> Vec<(String, String)> {
    list.into_iter().map(|(value, text)| (value.into(), text.into())).collect()
}
