//! Every "choose a file, see a preview, then Import or Cancel" control. [`FileImport`] owns
//! the cycle: it reads every chosen file, says how one was decoded when that matters, has
//! the page check them into a preview (or refuses them, "… Nothing was changed."), and runs
//! Import as a pending write, reset after. A page supplies only the check, the preview's
//! view and what Import writes.

use leptos::html::Input;
use leptos::prelude::*;

use crate::components::pending::Pending;
use crate::io::import::FileProblem;
use crate::state::{AppState, Failure, Notice};
use crate::web;

/// Why chosen files give no preview.
pub enum Refusal {
    /// Something about the files (unreadable, of the wrong kind, malformed): said with
    /// "Nothing was changed." after it.
    File(String),
    /// The app could not check them (the records are still being read, storage failed).
    Failed(Failure),
    /// The coordinator pressed Cancel while they were read: nothing to say.
    Cancelled,
}

impl From<String> for Refusal {
    fn from(message: String) -> Self {
        Refusal::File(message)
    }
}

impl From<&str> for Refusal {
    fn from(message: &str) -> Self {
        Refusal::File(message.to_string())
    }
}

impl From<FileProblem> for Refusal {
    fn from(problem: FileProblem) -> Self {
        Refusal::File(problem.to_string())
    }
}

impl From<Failure> for Refusal {
    fn from(failure: Failure) -> Self {
        Refusal::Failed(failure)
    }
}

/// One file control with its checked preview. Bind `input` with `node_ref`, call
/// [`FileImport::on_chosen`] (or [`FileImport::on_chosen_bytes`]) from its `on:change`,
/// draw `preview`, and end it with [`ImportButtons`] (or buttons that call
/// [`FileImport::import`] and are disabled while `pending`).
pub struct FileImport<T: Send + Sync + 'static> {
    /// The checked file, waiting for Import or Cancel.
    pub preview: RwSignal<Option<T>>,
    /// The `<input type="file">` (bind it with `node_ref`).
    pub input: NodeRef<Input>,
    /// The Import write in flight: the buttons are disabled until it ends.
    pub pending: Pending,
    /// While long files are read (see [`FileImport::on_chosen_files`]): how far it is.
    pub progress: RwSignal<Option<String>>,
    /// Raised by each reset: a reading started before it is cancelled.
    run: RwSignal<u64>,
    state: AppState,
}

/// A long reading's link to its control: say how far it is, and learn whether the
/// coordinator pressed Cancel (or chose other files) since it started.
#[derive(Clone, Copy)]
pub struct Reading {
    progress: RwSignal<Option<String>>,
    run: RwSignal<u64>,
    started: u64,
}

impl Reading {
    /// Shows how far the reading is ("Reading observations.csv: 45%").
    pub fn say(&self, progress: String) {
        if !self.cancelled() {
            self.progress.set(Some(progress));
        }
    }

    /// Whether the reading should stop: Cancel was pressed, or the control started over.
    pub fn cancelled(&self) -> bool {
        self.run.get_untracked() != self.started
    }
}

impl<T: Send + Sync + 'static> Clone for FileImport<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for FileImport<T> {}

impl<T: Send + Sync + 'static> Default for FileImport<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Send + Sync + 'static> FileImport<T> {
    /// Inside a component (it takes the [`AppState`] from context).
    pub fn new() -> Self {
        FileImport {
            preview: RwSignal::new(None),
            input: NodeRef::new(),
            pending: Pending::new(),
            progress: RwSignal::new(None),
            run: RwSignal::new(0),
            state: expect_context(),
        }
    }

    /// No preview, and the input emptied (so choosing the same file again starts over).
    pub fn reset(&self) {
        self.run.update(|r| *r += 1);
        self.progress.set(None);
        self.preview.set(None);
        if let Some(el) = self.input.get_untracked() {
            el.set_value("");
        }
    }

    /// Checks the files just chosen into the preview: each is read as text, one after the
    /// other, and the notes on how they were decoded (not UTF-8) are said; then `parse` gets
    /// them as `(file name, text)`, at least one. A file that cannot be read, or a refusal
    /// from `parse`, resets the control and says why.
    pub fn on_chosen(self, parse: impl AsyncFnOnce(Vec<(String, String)>) -> Result<T, Refusal> + 'static) {
        self.check(async |f: &web_sys::File| web::read_text(f).await.map(|d| (d.text, d.note)), parse);
    }

    /// [`FileImport::on_chosen`] for files read as bytes (a zip), `(file name, bytes)`.
    pub fn on_chosen_bytes(self, parse: impl AsyncFnOnce(Vec<(String, Vec<u8>)>) -> Result<T, Refusal> + 'static) {
        self.check(async |f: &web_sys::File| web::read_bytes(f).await.map(|b| (b, None)), parse);
    }

    /// [`FileImport::on_chosen`] for files too large to read whole: `parse` gets the chosen
    /// files themselves and a [`Reading`] to report progress through and to stop when the
    /// coordinator presses **Cancel** (then it returns any refusal: nothing is said).
    pub fn on_chosen_files(self, parse: impl AsyncFnOnce(Vec<web_sys::File>, Reading) -> Result<T, Refusal> + 'static) {
        self.run.update(|r| *r += 1);
        let reading = Reading { progress: self.progress, run: self.run, started: self.run.get_untracked() };
        self.check(async |f: &web_sys::File| Ok((f.clone(), None)), async move |files: Vec<(String, web_sys::File)>| {
            let result = parse(files.into_iter().map(|(_, f)| f).collect(), reading).await;
            if reading.cancelled() {
                return Err(Refusal::Cancelled);
            }
            self.progress.set(None);
            result
        });
    }

    /// Reads every chosen file with `read` (its content and a note to say), then `parse`.
    fn check<C: 'static>(
        self,
        read: impl AsyncFn(&web_sys::File) -> Result<(C, Option<String>), String> + 'static,
        parse: impl AsyncFnOnce(Vec<(String, C)>) -> Result<T, Refusal> + 'static,
    ) {
        self.preview.set(None);
        let files = self.input.get_untracked().map(|el| web::chosen_files(&el)).unwrap_or_default();
        if files.is_empty() {
            return;
        }
        leptos::task::spawn_local_scoped(async move {
            let checked = async {
                let (mut read_files, mut notes) = (Vec::new(), Vec::new());
                for f in &files {
                    let (content, note) = read(f).await?;
                    notes.extend(note);
                    read_files.push((f.name(), content));
                }
                if !notes.is_empty() {
                    self.state.say(Notice::Done(notes.join(" ")));
                }
                parse(read_files).await
            };
            match checked.await {
                Ok(preview) => self.preview.set(Some(preview)),
                Err(Refusal::Cancelled) => {}
                Err(refusal) => {
                    self.reset();
                    match refusal {
                        Refusal::Cancelled => {}
                        Refusal::File(m) => self.state.say(Notice::Failed(format!("{m} Nothing was changed."))),
                        Refusal::Failed(failure) => self.state.say_failed(&failure),
                    }
                }
            }
        });
    }

    /// Import: `write` gets the preview and saves it (saying what it did). While it runs the
    /// buttons are disabled and a second click does nothing; a failure is said; the control
    /// is reset after either way.
    pub fn import(self, write: impl AsyncFnOnce(T) -> Result<(), Failure> + 'static)
    where
        T: Clone,
    {
        let Some(preview) = self.preview.get_untracked() else { return };
        self.pending.run(async move {
            if let Err(failure) = write(preview).await {
                self.state.say_failed(&failure);
            }
            self.reset();
        });
    }
}

/// The end of a preview: **Import** (named by `label`, e.g. "Import 3 patients"; disabled
/// while the write runs and when there is `nothing` to import) runs `write` through
/// [`FileImport::import`]; **Cancel** resets the control.
#[component]
pub fn ImportButtons<T, W>(
    /// The control the preview belongs to.
    file: FileImport<T>,
    /// The Import button's text.
    label: String,
    /// True when the file holds nothing to import.
    #[prop(optional)]
    nothing: bool,
    /// What Import writes (see [`FileImport::import`]).
    write: W,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    W: AsyncFnOnce(T) -> Result<(), Failure> + Copy + 'static,
{
    view! {
        <div class="form-actions">
            <button type="button" class="primary" disabled=move || file.pending.get() || nothing on:click=move |_| file.import(write)>{label}</button>
            <button type="button" disabled=move || file.pending.get() on:click=move |_| file.reset()>"Cancel"</button>
        </div>
    }
}

/// How many lines a preview lists under one heading (the count in the summary covers all).
const LISTED: usize = 100;

/// A preview's list of rows (problems, rows left out, notes): a `<details>` whose summary
/// says how many, listing the first hundred. Nothing when `items` is empty.
#[component]
pub fn PreviewList(summary: String, items: Vec<String>, #[prop(optional)] open: bool) -> impl IntoView {
    (!items.is_empty()).then(|| {
        view! {
            <details open=open>
                <summary>{summary}</summary>
                <ul>{items.into_iter().take(LISTED).map(|r| view! { <li>{r}</li> }).collect_view()}</ul>
            </details>
        }
    })
}

/// What an import did: the confirmation and everything that was not imported.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// "Imported 8 new patients. 2 rows were not imported: Line 4: …; Line 7: …"
    pub message: String,
    /// Every row left out, with its reason.
    pub left_out: Vec<String>,
}

/// How many left-out rows the outcome lists (the message gives the count of all).
const LISTED_AFTER: usize = 1000;

/// The outcome of an import, under its control until the coordinator dismisses it (a
/// notice at the top of the page would scroll away and be replaced by the next one): the
/// confirmation in `role="status"`, the rows not imported below it, and **Dismiss**.
#[component]
pub fn ImportOutcome(outcome: RwSignal<Option<Outcome>>) -> impl IntoView {
    let message = move || outcome.with(|o| o.as_ref().map(|o| o.message.clone()).unwrap_or_default());
    view! {
        <div class="import-outcome">
            <p role="status" class="notice notice-done" class:empty=move || message().is_empty()>{message}</p>
            {move || outcome.get().map(|o| {
                let more = o.left_out.len().saturating_sub(LISTED_AFTER);
                view! {
                    <div class="import-left-out">
                        {(!o.left_out.is_empty()).then(|| view! {
                            <ul aria-label="Rows not imported">
                                {o.left_out.into_iter().take(LISTED_AFTER).map(|r| view! { <li>{r}</li> }).collect_view()}
                                {(more > 0).then(|| view! { <li>{format!("… and {more} more.")}</li> })}
                            </ul>
                        })}
                        <button type="button" class="link-button" on:click=move |_| outcome.set(None)>"Dismiss"</button>
                    </div>
                }
            })}
        </div>
    }
}

/// While chosen files are read (see [`FileImport::on_chosen_files`]): how far it is, in a
/// `role="status"` line, and **Cancel**, which stops the reading with nothing written.
#[component]
pub fn ReadingProgress<T: Send + Sync + 'static>(file: FileImport<T>) -> impl IntoView {
    move || {
        file.progress.get().map(|text| {
            view! {
                <div class="reading">
                    <p role="status">{text}</p>
                    <button type="button" on:click=move |_| file.reset()>"Cancel"</button>
                </div>
            }
        })
    }
}
