//! The work queue: everything due today or overdue across recalls, referrals, transition
//! clocks, refills and contact follow-ups (`model::work_queue`), worked out once for the
//! whole app ([`provide_queue`]): the nav shows how many are due, Today lists them.

use leptos::prelude::*;

use crate::model::recall::recall_list;
use crate::model::work_queue::{self, QueueItem};
use crate::pages::{count_of, show_date};
use crate::state::AppState;
use crate::web;

/// The queue as it stands, for every view.
#[derive(Clone, Copy)]
pub struct Queue(pub Memo<Vec<QueueItem>>);

/// Works the queue out from the records (again after each change), once every store is read.
pub fn provide_queue() {
    let state = expect_context::<AppState>();
    let queue = Memo::new(move |_| {
        if !state.all_ready().get() {
            return Vec::new();
        }
        let today = web::today();
        let (settings, holidays) = state.settings.with(|s| (s.referral, s.holidays.clone()));
        let mut items = Vec::new();
        let recalls = state.panel.with(|p| state.registry.with(|r| state.schedule.outreach.with(|o| recall_list(p, r, o, None, today))));
        items.extend(work_queue::recall_items(&recalls, today));
        items.extend(state.referrals.with(|l| work_queue::referral_items(l, today, &settings)));
        state.day.contacts.with(|contacts| {
            items.extend(state.day.transitions.with(|t| work_queue::transition_items(t, contacts, today, &holidays)));
            items.extend(work_queue::follow_up_items(contacts, today));
        });
        items.extend(state.day.refills.with(|r| work_queue::refill_items(r, today)));
        state.day.marks.with(|m| work_queue::build(items, m, today))
    });
    provide_context(Queue(queue));
}

/// "3 due" beside Today in the nav (nothing when none is).
#[component]
pub fn QueueCount() -> impl IntoView {
    let Queue(queue) = expect_context::<Queue>();
    move || {
        let n = queue.with(Vec::len);
        (n > 0).then(|| view! { <span class="nav-count">{n}<span class="visually-hidden">" due"</span></span> })
    }
}

/// The **Work queue** section of Today.
#[component]
pub fn WorkQueue() -> impl IntoView {
    let state = expect_context::<AppState>();
    let Queue(queue) = expect_context::<Queue>();
    let today = web::today();
    let snoozing = RwSignal::new(None::<String>);
    let until = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let done = move |item: QueueItem| {
        busy.set(true);
        leptos::task::spawn_local_scoped(async move {
            if let Err(f) = state.day.mark_done(item).await {
                state.say_failed(&f);
            }
            busy.set(false);
        });
    };
    let snooze = move |item: QueueItem| {
        busy.set(true);
        let date = until.get_untracked();
        leptos::task::spawn_local_scoped(async move {
            match state.day.snooze(item, date).await {
                Ok(()) => snoozing.set(None),
                Err(f) => state.say_failed(&f),
            }
            busy.set(false);
        });
    };
    let name_of = move |id: &str| state.panel.with_untracked(|p| p.get(id).map(|p| p.full_name())).unwrap_or_else(|| "A patient no longer on the panel".into());
    view! {
        <section class="card screen-only" aria-labelledby="queue-heading">
            <h2 id="queue-heading">"Work queue"</h2>
            {move || {
                if !state.all_ready().get() {
                    return view! { <p class="loading">"Reading the records…"</p> }.into_any();
                }
                let items = queue.get();
                if items.is_empty() {
                    return view! { <p class="muted">"Nothing is due today: no recall, referral, transition clock, refill or follow-up is waiting."</p> }.into_any();
                }
                view! {
                    <p>{format!("{} due today or overdue, oldest first.", count_of(items.len(), "item", "items"))}</p>
                    <ul class="queue">
                        {items.into_iter().map(|item| {
                            let overdue = item.is_overdue(today);
                            let when = if overdue { format!("Overdue since {}", show_date(item.due)) } else { "Due today".to_string() };
                            let key = item.key.clone();
                            let open = key.clone();
                            let is_snoozing = move || snoozing.with(|s| s.as_deref() == Some(key.as_str()));
                            let (for_done, for_snooze) = (item.clone(), item.clone());
                            view! {
                                <li class:overdue=overdue>
                                    <span class="queue-kind">{item.kind.label()}</span>
                                    <a href=format!("/patients/{}", item.patient_id)>{name_of(&item.patient_id)}</a>
                                    <span class="queue-title">{item.title.clone()}</span>
                                    <span class=if overdue { "queue-when overdue-text" } else { "queue-when" }>{when}</span>
                                    <span class="queue-actions">
                                        <button type="button" class="small" disabled=move || busy.get() on:click=move |_| done(for_done.clone())>"Done"</button>
                                        <button type="button" class="small" disabled=move || busy.get() on:click=move |_| { until.set(String::new()); snoozing.set(Some(open.clone())); }>"Snooze"</button>
                                    </span>
                                    <Show when=is_snoozing.clone()>
                                        {
                                            let item = for_snooze.clone();
                                            view! {
                                                <span class="snooze">
                                                    <label>"Snooze until " <input type="date" prop:value=move || until.get() on:input=move |ev| until.set(event_target_value(&ev))/></label>
                                                    <button type="button" class="small" disabled=move || busy.get() on:click=move |_| snooze(item.clone())>"Snooze to this date"</button>
                                                    <button type="button" class="small" on:click=move |_| snoozing.set(None)>"Cancel"</button>
                                                </span>
                                            }
                                        }
                                    </Show>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
