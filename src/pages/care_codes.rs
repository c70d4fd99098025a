//! The care-code mapping, read-only in Settings: which LOINC, CVX and SNOMED CT codes in
//! imported care history close which care gap, and what value is kept.

use leptos::prelude::*;

use crate::model::care::items;
use crate::model::care_codes::{mappings_for, Mapping, ValueRule};
use crate::pages::count_of;
use crate::state::AppState;

/// What the mapping keeps as an event's value, in words.
fn value_kept(m: &Mapping) -> &'static str {
    match m.value {
        ValueRule::NoValue => "that it was done",
        ValueRule::Number => "the result",
        ValueRule::Systolic => "systolic, paired with the diastolic",
        ValueRule::Diastolic => "diastolic, paired with the systolic",
        ValueRule::BloodPressurePanel => "systolic/diastolic",
        ValueRule::Fixed(v) => v,
    }
}

#[component]
pub fn CareCodes() -> impl IntoView {
    let state = expect_context::<AppState>();
    // The item's name as the rules in force call it ("HbA1c"), else its code; the rules
    // may still be being read when the page is drawn.
    let label = move |item: &'static str| {
        move || state.registry.with(|r| r.item_label(item))
    };
    view! {
        <section class="card" aria-labelledby="codes-heading">
            <h2 id="codes-heading">"Codes read from care history"</h2>
            <p>"When care history is imported (Data page), each record whose code is listed here becomes a care event of its item and can close that care gap. Codes not listed are counted in the import's preview and left out. This table is part of CareCoord and cannot be edited."</p>
            {items::ALL.iter().map(|&item| {
                let rows: Vec<&Mapping> = mappings_for(item).collect();
                (!rows.is_empty()).then(|| view! {
                    <details class="codes">
                        <summary>{label(item)}": "{count_of(rows.len(), "code", "codes")}</summary>
                        <table>
                            <thead><tr><th scope="col">"System"</th><th scope="col">"Code"</th><th scope="col">"Meaning"</th><th scope="col">"Kept"</th></tr></thead>
                            <tbody>
                                {rows.into_iter().map(|m| view! {
                                    <tr><td>{m.system.label()}</td><td><code>{m.code}</code></td><td>{m.description}</td><td>{value_kept(m)}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </details>
                })
            }).collect_view()}
        </section>
    }
}
