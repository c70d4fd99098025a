//! A patient's referrals on the patient page, with a button to make a new one.

use leptos::prelude::*;

use crate::components::referral_form::ReferralForm;
use crate::model::referral::Referral;
use crate::pages::show_date;
use crate::state::AppState;
use crate::web;

#[component]
pub fn PatientReferrals(patient_id: String) -> impl IntoView {
    let state = expect_context::<AppState>();
    let adding = RwSignal::new(false);
    let id = StoredValue::new(patient_id.clone());
    // The patient's referrals, newest first, each with whether it is overdue today.
    let list = Memo::new(move |_| {
        let s = state.settings.with(|s| s.referral);
        let mut v: Vec<(Referral, bool)> =
            state.referrals.with(|l| l.iter().filter(|r| r.patient_id == id.get_value()).map(|r| (r.clone(), r.is_overdue(web::today(), &s))).collect());
        v.sort_by_key(|r| std::cmp::Reverse(r.0.created));
        v
    });
    let none = Memo::new(move |_| list.with(Vec::is_empty));
    let done = Callback::new(move |_: Option<Referral>| adding.set(false));
    view! {
        <section class="card" aria-labelledby="patient-referrals-heading">
            <div class="section-head">
                <h2 id="patient-referrals-heading">"Referrals"</h2>
                <button type="button" aria-expanded=move || adding.get().to_string() on:click=move |_| adding.update(|a| *a = !*a)>"New referral"</button>
            </div>
            <Show when=move || adding.get()>
                <ReferralForm existing=None patient_id=patient_id.clone() on_done=done/>
            </Show>
            {move || if none.get() {
                view! { <p class="muted">"No referrals yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="problems">
                        // Keyed by referral, its last change and whether it is overdue.
                        <For each=move || list.get() key=|(r, late)| (r.id.clone(), r.updated_at, *late) let((r, late))>
                            <li>
                                <a href=format!("/referrals/{}", r.id)>{r.referred_to.clone()}</a>
                                {format!(" · {} · made {} · ", r.kind.label(), show_date(r.created))}
                                <span class="status">{r.status.label()}</span>
                                {late.then(|| view! { " " <span class="gap gap-overdue">"Overdue"</span> })}
                            </li>
                        </For>
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
