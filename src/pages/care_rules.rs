//! The care-gap rule table on `/settings`: every rule with who it applies to and how often;
//! the clinic edits, disables and adds rules. Each save is journaled.

use leptos::prelude::*;

use crate::components::loading::WhenLoaded;
use crate::model::care::CareRule;
use crate::model::rule_edit::{self, RuleDraft};
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
                        {move || state.registry.with(|r| r.rules().to_vec()).into_iter().map(|r| {
                            let id = r.id.clone();
                            view! {
                                <tr class:disabled=!r.enabled>
                                    <th scope="row">{r.label.clone()}</th>
                                    <td>{rule_edit::who(&r)}</td>
                                    <td>{rule_edit::how_often(&r)}</td>
                                    <td>{if r.enabled { "In use" } else { "Disabled" }}</td>
                                    <td><button type="button" aria-label=format!("Edit rule {}", r.label) on:click=move |_| editing.set(Some(Editing::Rule(id.clone())))>"Edit"</button></td>
                                </tr>
                            }
                        }).collect_view()}
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
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let d = draft.get_untracked();
        let old = existing.get_value();
        let base = old.clone().unwrap_or_else(|| state.registry.with_untracked(|r| rule_edit::new_rule(&d.label, r.rules())));
        let rule = match d.apply(&base) {
            Ok(rule) => rule,
            Err(p) => return problems.set(p),
        };
        let summary = match &old {
            Some(old) => {
                let fields = rule_edit::changed(old, &rule);
                if fields.is_empty() {
                    close.set(None);
                    return;
                }
                format!("rule {}: {}", rule.label, fields.join(", "))
            }
            None => format!("new rule {}", rule.label),
        };
        leptos::task::spawn_local_scoped(async move {
            let label = rule.label.clone();
            match state.save_rule(rule, summary).await {
                Ok(()) => {
                    close.set(None);
                    state.say(Notice::Done(format!("Rule \u{201c}{label}\u{201d} saved; every patient's care gaps now follow it.")));
                }
                Err(m) => problems.set(vec![m]),
            }
        });
    };
    let text = move |id: &'static str, label: &'static str, get: fn(&RuleDraft) -> String, set: fn(&mut RuleDraft, String), hint: &'static str| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input id=id type="text" prop:value=move || draft.with(get) on:input=move |ev| draft.update(|d| set(d, event_target_value(&ev)))/>
                {(!hint.is_empty()).then(|| view! { <p class="hint">{hint}</p> })}
            </div>
        }
    };
    view! {
        <form class="card inset" on:submit=submit aria-labelledby="rule-form-heading" novalidate>
            <h3 id="rule-form-heading">{heading}</h3>
            <Show when=move || !problems.with(Vec::is_empty)>
                <div role="alert" class="notice notice-failed"><ul>{move || problems.get().into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul></div>
            </Show>
            {text("rule-label", "Care item", |d| d.label.clone(), |d, v| d.label = v, "")}
            <fieldset>
                <legend>"For patients with (none ticked: everyone)"</legend>
                {ChronicCondition::ALL.into_iter().map(|c| view! {
                    <label class="check"><input type="checkbox" prop:checked=move || draft.with(|d| d.conditions.contains(&c))
                        on:change=move |ev| { let on = event_target_checked(&ev); draft.update(|d| { d.conditions.retain(|x| *x != c); if on { d.conditions.push(c) } }) }/>
                        {c.label()}</label>
                }).collect_view()}
            </fieldset>
            <div class="field-row">
                {text("rule-min-age", "Minimum age", |d| d.min_age_years.clone(), |d, v| d.min_age_years = v, "Years, or e.g. 6 months")}
                {text("rule-max-age", "Maximum age", |d| d.max_age_years.clone(), |d, v| d.max_age_years = v, "Years (inclusive)")}
                <div class="field"><label for="rule-sex">"Sex"</label>
                    <select id="rule-sex" prop:value=move || draft.with(|d| d.sex.clone()) on:change=move |ev| draft.update(|d| d.sex = event_target_value(&ev))>
                        <option value="">"Any"</option><option value="female">"Female"</option><option value="male">"Male"</option>
                    </select></div>
            </div>
            <div class="field-row">
                <div class="field"><label for="rule-interval-kind">"Repeats"</label>
                    <select id="rule-interval-kind" prop:value=move || draft.with(|d| d.interval_kind.clone()) on:change=move |ev| draft.update(|d| d.interval_kind = event_target_value(&ev))>
                        <option value="months">"Every N months"</option><option value="once">"Once"</option><option value="season">"Each season (from 1 August)"</option>
                    </select></div>
                {text("rule-months", "Interval (months)", |d| d.interval_months.clone(), |d, v| d.interval_months = v, "")}
                {text("rule-soon", "Due soon (days before)", |d| d.due_soon_days.clone(), |d, v| d.due_soon_days = v, "")}
                {text("rule-overdue", "Overdue (days after due)", |d| d.overdue_after_days.clone(), |d, v| d.overdue_after_days = v, "")}
            </div>
            <label class="check"><input type="checkbox" prop:checked=move || draft.with(|d| d.enabled) on:change=move |ev| draft.update(|d| d.enabled = event_target_checked(&ev))/>"In use (untick to disable the rule)"</label>
            <div class="form-actions">
                <button type="submit" class="primary">"Save rule"</button>
                <button type="button" on:click=move |_| close.set(None)>"Cancel"</button>
            </div>
        </form>
    }
}
