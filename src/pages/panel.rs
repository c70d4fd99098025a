//! `/panel`: every patient, searched as you type, in a table that renders only the rows in view.

use std::collections::HashMap;

use leptos::prelude::*;

use crate::components::page::Page;
use crate::components::patient_form::{focus, PatientForm};
use crate::model::panel_filter::{GapFilter, PanelFilter};
use crate::model::{ChronicCondition, Panel, PanelSort, Patient, PatientDraft};
use crate::pages::{show_date, thousands};
use crate::state::{AppState, Notice};
use crate::web::{self, mark};

/// Height of one table row in pixels; the stylesheet fixes rows at this height.
const ROW_HEIGHT: usize = 41;
/// Rows rendered above and below the visible ones, so fast scrolling shows no gap.
const OVERSCAN: usize = 6;

#[component]
pub fn PanelPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let adding = RwSignal::new(false);
    let query = RwSignal::new(String::new());
    let sort = RwSignal::new(PanelSort::Name);
    let filter = RwSignal::new(PanelFilter::default());
    let flags = Memo::new(move |_| {
        let mut list: Vec<String> = state.panel.with(|p| p.patients().iter().flat_map(|p| p.profile.flags.iter().map(|f| f.to_lowercase())).collect());
        list.sort();
        list.dedup();
        list
    });
    let gap_items = move || state.registry.with(|r| r.rule_items());
    let providers = Memo::new(move |_| state.panel.with(|p| p.providers()));

    let saved = Callback::new(move |p: Patient| {
        adding.set(false);
        state.say(Notice::Done(format!("Saved {}.", p.full_name())));
        focus("add-patient");
    });
    let cancel = Callback::new(move |_| {
        adding.set(false);
        focus("add-patient");
    });

    view! {
        <Page title="Panel" first_rows=true>
            <div class="toolbar">
                <div class="field search-field">
                    <label for="panel-search">"Search patients"</label>
                    <input
                        id="panel-search"
                        type="search"
                        placeholder="Name, MRN, phone or date of birth"
                        autocomplete="off"
                        prop:value=move || query.get()
                        on:input=move |ev| query.set(event_target_value(&ev))
                    />
                </div>
                <div class="field">
                    <label for="panel-sort">"Sort by"</label>
                    <select
                        id="panel-sort"
                        on:change=move |ev| sort.set(if event_target_value(&ev) == "dob" { PanelSort::DateOfBirth } else { PanelSort::Name })
                    >
                        <option value="name">"Name"</option>
                        <option value="dob">"Date of birth"</option>
                    </select>
                </div>
                <div class="field">
                    <label for="panel-condition">"Condition"</label>
                    <select id="panel-condition" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        filter.update(|f| f.condition = ChronicCondition::ALL.into_iter().find(|c| c.label() == v));
                    }>
                        <option value="">"All"</option>
                        {ChronicCondition::ALL.iter().map(|c| view! { <option value=c.label()>{c.label()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="panel-gaps">"Care gaps"</label>
                    <select id="panel-gaps" prop:value=move || filter.with(|f| f.gaps.value()) on:change=move |ev| filter.update(|f| f.gaps = GapFilter::from_value(&event_target_value(&ev)))>
                        <option value="any">"All"</option>
                        <option value="open">"Has open gaps"</option>
                        <option value="overdue">"Has overdue gaps"</option>
                        <optgroup label="Has this gap open">
                            <For each=gap_items key=|item| item.clone() let((code, label))>
                                {
                                    let value = format!("item:{code}");
                                    let this = value.clone();
                                    view! { <option value=value selected=move || filter.with(|f| f.gaps.value()) == this>{label}</option> }
                                }
                            </For>
                        </optgroup>
                    </select>
                </div>
                <div class="field">
                    <label for="panel-level">"Need level"</label>
                    <select id="panel-level" on:change=move |ev| filter.update(|f| f.level = event_target_value(&ev).parse().ok())>
                        <option value="">"All"</option>
                        {(1..=4u8).map(|n| view! { <option value=n.to_string()>{crate::model::profile::NeedLevel::describe(n)}</option> }).collect_view()}
                        <option value="0">"Not set"</option>
                    </select>
                </div>
                <div class="field">
                    <label for="panel-flag">"Flag"</label>
                    <select id="panel-flag" prop:value=move || filter.with(|f| f.flag.clone()) on:change=move |ev| filter.update(|f| f.flag = event_target_value(&ev))>
                        <option value="">"All"</option>
                        <For each=move || flags.get() key=|f| f.clone() let(f)>
                            {
                                let (this, text) = (f.clone(), f.clone());
                                view! { <option value=f selected=move || filter.with(|x| x.flag == this)>{text}</option> }
                            }
                        </For>
                    </select>
                </div>
                <div class="field">
                    <label for="panel-provider">"Provider"</label>
                    <select id="panel-provider" prop:value=move || filter.with(|f| f.provider.clone()) on:change=move |ev| filter.update(|f| f.provider = event_target_value(&ev))>
                        <option value="">"All"</option>
                        <For each=move || providers.get() key=|p| p.clone() let(p)>
                            {
                                let (this, text) = (p.clone(), p.clone());
                                view! { <option value=p selected=move || filter.with(|x| x.provider == this)>{text}</option> }
                            }
                        </For>
                    </select>
                </div>
                <button
                    id="add-patient"
                    type="button"
                    class="primary"
                    disabled=move || state.panel.first_rows_only().get()
                    aria-expanded=move || adding.get().to_string()
                    on:click=move |_| {
                        adding.set(true);
                        request_focus("pf-first-name");
                    }
                >
                    "Add patient"
                </button>
            </div>
            <Show when=move || adding.get()>
                <section class="card" aria-labelledby="new-patient-heading">
                    <h2 id="new-patient-heading">"New patient"</h2>
                    <PatientForm initial=PatientDraft::default() on_saved=saved on_cancel=cancel/>
                </section>
            </Show>
            <PatientTable query=query sort=sort filter=filter/>
        </Page>
    }
}

/// "3 · 1 overdue", or a dash when nothing is open.
fn gap_cell((open, overdue): (u16, u16)) -> String {
    match (open, overdue) {
        (0, _) => "—".into(),
        (n, 0) => n.to_string(),
        (n, o) => format!("{n} · {o} overdue"),
    }
}

/// Focuses an element once it has been rendered.
fn request_focus(id: &'static str) {
    leptos::task::spawn_local_scoped(async move {
        leptos::task::tick().await;
        focus(id);
    });
}

#[component]
fn PatientTable(query: RwSignal<String>, sort: RwSignal<PanelSort>, filter: RwSignal<PanelFilter>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let today = web::today();
    // Open and overdue gap counts of every patient, recomputed when records or rules change.
    // Worked out after the rows are painted, so a reload shows the panel first.
    let gap_counts = RwSignal::new(None::<HashMap<String, (u16, u16)>>);
    let compute_counts = move || state.registry.with_untracked(|r| state.panel.with_untracked(|p| r.gap_counts(p, today)));
    Effect::new(move |_| {
        state.registry.track();
        state.panel.track();
        if state.registry.ready.get() {
            set_timeout(move || gap_counts.set(Some(compute_counts())), std::time::Duration::ZERO);
        }
    });
    // The search index is built once the first rows are painted (a timer set in the frame
    // that paints them), so neither a reload nor the first keystroke waits for it; after a
    // change it is kept up to date, and this does nothing.
    Effect::new(move |_| {
        state.panel.track();
        request_animation_frame(move || {
            set_timeout(move || state.panel.with_untracked(Panel::prepare_search), std::time::Duration::ZERO);
        });
    });
    let hits = Memo::new(move |_| {
        let q = query.get();
        let s = sort.get();
        let filter = filter.get();
        let found = state.panel.with(|p| p.search(&q, s));
        if filter.is_empty() {
            return found;
        }
        // A gap filter chosen before the counts are ready counts now.
        let now = (filter.gaps.counts_gaps() && gap_counts.with(Option::is_none)).then(compute_counts);
        let empty = HashMap::new();
        state.panel.with(|p| {
            state.registry.with(|r| {
                gap_counts.with(|counts| {
                    let counts = counts.as_ref().or(now.as_ref()).unwrap_or(&empty);
                    found
                        .into_iter()
                        .filter(|&i| {
                            let patient = p.at(i);
                            filter.matches_counted(patient, r, today, counts.get(&patient.id).copied().unwrap_or_default())
                        })
                        .collect()
                })
            })
        })
    });
    let scroll_top = RwSignal::new(0.0f64);
    let viewport = RwSignal::new(800.0f64);
    let scroller = NodeRef::<leptos::html::Div>::new();

    // A new search starts at the top of the list. (The scroll position is the one the
    // scroll events gave: reading the element's would make the browser lay out the page
    // in the middle of the keystroke.)
    Effect::new(move |_| {
        hits.track();
        if scroll_top.get_untracked() != 0.0 {
            if let Some(el) = scroller.get_untracked() {
                el.set_scroll_top(0);
            }
            scroll_top.set(0.0);
        }
    });
    Effect::new(move |_| {
        if let Some(el) = scroller.get() {
            viewport.set(el.client_height().max(200) as f64);
        }
    });
    // For the benchmarks: the first time rows are on screen after a (re)load.
    let first_rows = StoredValue::new(false);
    Effect::new(move |_| {
        if !hits.with(Vec::is_empty) && !first_rows.get_value() {
            first_rows.set_value(true);
            mark("carecoord:panel-rows");
        }
    });

    // The rows in view (with some above and below): only a change of this range re-renders.
    let window = Memo::new(move |_| {
        let total = hits.with(Vec::len);
        let first = (scroll_top.get() as usize / ROW_HEIGHT).saturating_sub(OVERSCAN).min(total);
        let count = (viewport.get() as usize).div_ceil(ROW_HEIGHT) + 2 * OVERSCAN;
        let last = (first + count).min(total);
        (first, last, total)
    });
    // Each row is keyed by its patient (and the patient's last change), so a row that stays
    // in view through a keystroke or a scroll is kept as it is: only its row number, read
    // from `positions`, changes.
    let rows = move || {
        let (first, last, _) = window.get();
        let today = web::today();
        hits.with(|h| state.panel.with(|p: &Panel| h[first..last].iter().map(|&i| (p.at(i).clone(), today)).collect::<Vec<_>>()))
    };
    let positions = Memo::new(move |_| {
        let (first, last, _) = window.get();
        hits.with(|h| {
            state.panel.with(|p: &Panel| h[first..last].iter().enumerate().map(|(offset, &i)| (p.at(i).id.clone(), first + offset)).collect::<HashMap<String, usize>>())
        })
    });
    let total_all = move || state.panel.with(Panel::len);
    // The table itself is drawn again only when the panel or the search becomes empty or
    // stops being empty, not at each keystroke.
    let panel_empty = Memo::new(move |_| state.panel.with(Panel::is_empty));
    let no_hits = Memo::new(move |_| hits.with(Vec::is_empty));
    // At start the panel may hold only its first rows by name: those are shown as they are,
    // but a search, a filter or another order waits for the rest.
    let first_rows_only = state.panel.first_rows_only();
    let waits_for_rest = Memo::new(move |_| {
        first_rows_only.get() && (!query.with(|q| q.trim().is_empty()) || !filter.with(PanelFilter::is_empty) || sort.get() != PanelSort::Name)
    });

    view! {
        <p class="count" aria-live="polite">
            {move || if first_rows_only.get() {
                "Reading the rest of your panel…".to_string()
            } else {
                format!("{} of {} patients", thousands(hits.with(Vec::len)), thousands(total_all()))
            }}
        </p>
        {move || {
            if waits_for_rest.get() {
                return view! { <p class="loading" aria-busy="true">"Reading the rest of your panel…"</p> }.into_any();
            }
            if panel_empty.get() {
                return view! {
                    <div class="empty card">
                        <h2>"Your panel is empty"</h2>
                        <p>"Start by adding a patient with " <strong>"Add patient"</strong> " above, or bring in a list you already have from the " <a href="/data">"Data"</a> " page (a CareCoord backup)."</p>
                    </div>
                }.into_any();
            }
            if no_hits.get() {
                return view! {
                    <p class="empty">{move || format!("No patient matches \u{201c}{}\u{201d}. Check the spelling, or search by MRN, phone or date of birth.", query.get().trim())}</p>
                }.into_any();
            }
            view! {
                <div
                    class="table-scroll"
                    node_ref=scroller
                    on:scroll=move |ev| {
                        let el: web_sys::Element = event_target(&ev);
                        scroll_top.set(el.scroll_top() as f64);
                    }
                >
                    <table class="patients" aria-rowcount=move || (hits.with(Vec::len) + 1).to_string()>
                        <thead>
                            <tr aria-rowindex="1">
                                <th scope="col">"Name"</th>
                                <th scope="col">"Date of birth"</th>
                                <th scope="col">"MRN"</th>
                                <th scope="col">"Phone"</th>
                                <th scope="col">"Language"</th>
                                <th scope="col">"Provider"</th>
                                <th scope="col">"Last visit"</th>
                                <th scope="col">"Open gaps"</th>
                            </tr>
                        </thead>
                        <tbody>
                            <tr class="spacer" aria-hidden="true" style:height=move || format!("{}px", window.get().0 * ROW_HEIGHT)></tr>
                            <For each=rows key=|(p, _)| (p.id.clone(), p.updated_at) let((p, today))>
                                {
                                    let href = format!("/patients/{}", p.id);
                                    let p_id = p.id.clone();
                                    let visit_id = p.id.clone();
                                    let row_id = p.id.clone();
                                    view! {
                                        <tr class="row" aria-rowindex=move || positions.with(|at| at.get(&row_id).map(|pos| (pos + 2).to_string()))>
                                            <td><a href=href>{p.sort_name()}</a></td>
                                            <td>{show_date(p.date_of_birth)} <span class="muted">{format!(" ({})", p.age_on(today))}</span></td>
                                            <td>{p.mrn.clone()}</td>
                                            <td>{p.phone.clone()}</td>
                                            <td>
                                                {p.preferred_language.clone()}
                                                {p.interpreter_needed.then_some(view! { <span class="badge" title="Needs an interpreter">"interpreter"</span> })}
                                            </td>
                                            <td>{p.assigned_provider.clone()}</td>
                                            <td>{move || state.registry.with(|r| r.last_visit(&visit_id, today).map(|e| show_date(e.start.date_naive())).unwrap_or_default())}</td>
                                            <td>{move || gap_counts.with(|c| match c {
                                                Some(c) => gap_cell(c.get(&p_id).copied().unwrap_or_default()),
                                                None => "…".to_string(),
                                            })}</td>
                                        </tr>
                                    }
                                }
                            </For>
                            <tr class="spacer" aria-hidden="true" style:height=move || {
                                let (_, last, total) = window.get();
                                format!("{}px", (total - last) * ROW_HEIGHT)
                            }></tr>
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
}
