//! The care-gap rule table on `/settings`: every rule with who it applies to and how often;
//! the clinic edits, disables and adds rules. Each save is journaled.

use leptos::prelude::*;

use crate::components::pending::Pending;

use crate::components::field::{options, Field, FieldValue, SelectField};
use crate::components::loading::WhenLoaded;
use crate::model::care::CareRule;
use crate::model::rule_edit::{self, RuleDraft, RuleSave};
use crate::model::ChronicCondition;
use crate::state::{AppState, Notice};

/// What the editor is open on.
#[derive(Clone, PartialEq)]
enum Editing {
    Rule(String),
    New,
}

#[component]
pub fn CareRules() -> impl IntoView {
    let state = expect_context::<AppState>();
    let editing = RwSignal::new(None::<Editing>);
    let rows = move || {
        state.registry.with(|r| {
            r.rules().iter().map(|rule| (rule.id.clone(), rule.label.clone(), rule_edit::who(rule), rule_edit::how_often(rule), rule.enabled)).collect::<Vec<_>>()
        })
    };
    view! {
        <section class="card" aria-labelledby="rules-heading">
            <div class="section-head">
                <h2 id="rules-heading">"Care-gap rules"</h2>
                <button type="button" on:click=move |_| editing.set(Some(Editing::New))>"Add rule"</button>
            </div>
            <p class="hint">"Which care items each patient needs and how often. Changes apply to every patient at once and are kept in the history."</p>
            <WhenLoaded>
                {move || editing.get().map(|e| view! { <RuleForm editing=e close=editing/> })}
                <table class="rules">
                    <thead><tr><th scope="col">"Care item"</th><th scope="col">"Who"</th><th scope="col">"How often"</th><th scope="col">"Status"</th><th scope="col"><span class="visually-hidden">"Action"</span></th></tr></thead>
                    <tbody>
                        // Keyed by the rule and what its row says: a saved change redraws that row only.
                        <For each=rows key=|row| row.clone() let((id, label, who, how_often, enabled))>
                            <tr class:disabled=!enabled>
                                <th scope="row">{label.clone()}</th>
                                <td>{who}</td>
                                <td>{how_often}</td>
                                <td>{if enabled { "In use" } else { "Disabled" }}</td>
                                <td><button type="button" aria-label=format!("Edit rule {label}") on:click=move |_| editing.set(Some(Editing::Rule(id.clone())))>"Edit"</button></td>
                            </tr>
                        </For>
                    </tbody>
                </table>
            </WhenLoaded>
        </section>
    }
}

#[component]
fn RuleForm(editing: Editing, close: RwSignal<Option<Editing>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let existing: Option<CareRule> = match &editing {
        Editing::Rule(id) => state.registry.with_untracked(|r| r.rules().iter().find(|x| &x.id == id).cloned()),
        Editing::New => None,
    };
    let heading = match &existing {
        Some(r) => format!("Edit rule: {}", r.label),
        None => "New care-gap rule".to_string(),
    };
    let draft = RwSignal::new(existing.as_ref().map_or_else(RuleDraft::blank, RuleDraft::of));
    let problems = RwSignal::new(Vec::<String>::new());
    let existing = StoredValue::new(existing);
    let saving = Pending::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let saved = draft.with_untracked(|d| existing.with_value(|old| state.registry.with_untracked(|r| rule_edit::save(d, old.as_ref(), r.rules()))));
        let (rule, summary) = match saved {
            Ok(RuleSave::Save { rule, summary }) => (rule, summary),
            Ok(RuleSave::Unchanged) => return close.set(None),
            Err(p) => return problems.set(p),
        };
        saving.run(async move {
            let label = rule.label.clone();
            match state.registry.save_rule(rule, summary).await {
                Ok(()) => {
                    close.set(None);
                    state.say(Notice::Done(format!("Rule \u{201c}{label}\u{201d} saved; every patient's care gaps now follow it.")));
                }
                Err(m) => problems.set(vec![m.to_string()]),
            }
        });
    };
    let value = move |get: fn(&RuleDraft) -> String, set: fn(&mut RuleDraft, String)| FieldValue::of(draft, get, set);
    view! {
        <form class="card inset" on:submit=submit aria-labelledby="rule-form-heading" novalidate>
            <h3 id="rule-form-heading">{heading}</h3>
            <Show when=move || !problems.with(Vec::is_empty)>
                <div role="alert" class="notice notice-failed"><ul>{move || problems.get().into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul></div>
            </Show>
            <Field id="rule-label" label="Care item" required=true value=value(|d| d.label.clone(), |d, v| d.label = v)/>
            <fieldset>
                <legend>"For patients with (none ticked: everyone)"</legend>
                {ChronicCondition::ALL.into_iter().map(|c| view! {
                    <label class="check"><input type="checkbox" prop:checked=move || draft.with(|d| d.conditions.contains(&c))
                        on:change=move |ev| { let on = event_target_checked(&ev); draft.update(|d| { d.conditions.retain(|x| *x != c); if on { d.conditions.push(c) } }) }/>
                        {c.label()}</label>
                }).collect_view()}
            </fieldset>
            <div class="field-row">
                <Field id="rule-min-age" label="Minimum age" hint="Years, or e.g. 6 months" value=value(|d| d.min_age_years.clone(), |d, v| d.min_age_years = v)/>
                <Field id="rule-max-age" label="Maximum age" hint="Years (inclusive)" value=value(|d| d.max_age_years.clone(), |d, v| d.max_age_years = v)/>
                <SelectField id="rule-sex" label="Sex" value=value(|d| d.sex.clone(), |d, v| d.sex = v)
                    options=options([("", "Any"), ("female", "Female"), ("male", "Male")])/>
            </div>
            <div class="field-row">
                <SelectField id="rule-interval-kind" label="Repeats" value=value(|d| d.interval_kind.clone(), |d, v| d.interval_kind = v)
                    options=options([("months", "Every N months"), ("once", "Once"), ("season", "Each season (from 1 August)")])/>
                <Field id="rule-months" label="Interval (months)" value=value(|d| d.interval_months.clone(), |d, v| d.interval_months = v)/>
                <Field id="rule-soon" label="Due soon (days before)" value=value(|d| d.due_soon_days.clone(), |d, v| d.due_soon_days = v)/>
                <Field id="rule-overdue" label="Overdue (days after due)" value=value(|d| d.overdue_after_days.clone(), |d, v| d.overdue_after_days = v)/>
            </div>
            <label class="check"><input type="checkbox" prop:checked=move || draft.with(|d| d.enabled) on:change=move |ev| draft.update(|d| d.enabled = event_target_checked(&ev))/>"In use (untick to disable the rule)"</label>
            <div class="form-actions">
                <button type="submit" class="primary" disabled=move || saving.get()>"Save rule"</button>
                <button type="button" on:click=move |_| close.set(None)>"Cancel"</button>
            </div>
        </form>
    }
}
