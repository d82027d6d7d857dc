//! Progress on stderr for the long part of a clean (reading a big cache, removing its
//! entries): which browser and profile, which store, how many stores or items of the
//! total, and the bytes freed. Drawn by `indicatif`, only when the output layer says a
//! person watches (stderr is a terminal, no `--json`, no `-q`), and only once the work
//! has taken half a second, so quick runs look as they always did; it clears itself when
//! done. Lines written to stdout meanwhile go through [`Progress::suspend`], so the bar
//! never cuts a line of the report on a shared terminal.

use std::cell::{Cell, RefCell};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::browser::Profile;
use crate::output::{clean, human_bytes};
use crate::stores::{Store, StoreScan};

/// How long work runs before the bar appears.
const DELAY: Duration = Duration::from_millis(500);
/// How often the bar is redrawn while nothing else moves it (a store being read).
const TICK: Duration = Duration::from_millis(100);
/// How often an item count is passed on to the bar: removing 100,000 entries should not
/// format 100,000 messages.
const ITEM_UPDATES: Duration = Duration::from_millis(50);

/// The progress of one clean; hidden unless [`Progress::on_terminal`] made it visible.
pub struct Progress {
    bar: Option<ProgressBar>,
    /// Dropped when the work ends, which wakes the timer early.
    done: Option<mpsc::Sender<()>>,
    /// Set, under its lock, when the work ends: the timer shows the bar under the same
    /// lock, so a bar is never drawn again after it was cleared.
    finished: Arc<Mutex<bool>>,
    stores_total: Cell<usize>,
    stores_done: Cell<usize>,
    items_total: Cell<usize>,
    /// Items of the stores finished before the one in hand.
    items_before: Cell<usize>,
    bytes_before: Cell<u64>,
    /// `chrome Default: cache`, the store in hand.
    label: RefCell<String>,
    last_update: Cell<Option<Instant>>,
    /// What is being read ("Reading chrome Default: cache (1 of 3 stores)"), empty once
    /// the changes begin: the timer adds the entries the scanners have read to it.
    reading: Arc<Mutex<String>>,
    /// The cache scanners' count of the store being read.
    entries: Arc<crate::stores::ScanCount>,
}

impl Progress {
    /// Progress that is never drawn (JSON, `-q`, stderr not a terminal, tests).
    pub fn hidden() -> Progress {
        Progress::with(None, None, Arc::default())
    }

    fn with(
        bar: Option<ProgressBar>,
        done: Option<mpsc::Sender<()>>,
        finished: Arc<Mutex<bool>>,
    ) -> Progress {
        Progress::with_counts(bar, done, finished, Arc::default(), Arc::default())
    }

    fn with_counts(
        bar: Option<ProgressBar>,
        done: Option<mpsc::Sender<()>>,
        finished: Arc<Mutex<bool>>,
        reading: Arc<Mutex<String>>,
        entries: Arc<crate::stores::ScanCount>,
    ) -> Progress {
        Progress {
            reading,
            entries,
            bar,
            done,
            finished,
            stores_total: Cell::new(0),
            stores_done: Cell::new(0),
            items_total: Cell::new(0),
            items_before: Cell::new(0),
            bytes_before: Cell::new(0),
            label: RefCell::new(String::new()),
            last_update: Cell::new(None),
        }
    }

    /// Progress drawn on stderr (which the caller knows to be a terminal) once the work
    /// has taken [`DELAY`].
    pub fn on_terminal() -> Progress {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        let style = ProgressStyle::with_template("{spinner} {wide_msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner());
        bar.set_style(style);
        let (tx, rx) = mpsc::channel::<()>();
        let shown = bar.clone();
        let finished = Arc::new(Mutex::new(false));
        let ended = Arc::clone(&finished);
        let reading: Arc<Mutex<String>> = Arc::default();
        let entries: Arc<crate::stores::ScanCount> = Arc::default();
        let (what, count) = (Arc::clone(&reading), Arc::clone(&entries));
        // A timer rather than a check on each update: one store can be read for seconds
        // without an update, and that is exactly when the bar must appear; then, while a
        // cache is read, it says how many of its entries are.
        std::thread::spawn(move || {
            if let Err(mpsc::RecvTimeoutError::Timeout) = rx.recv_timeout(DELAY) {
                {
                    let ended = ended.lock().unwrap_or_else(|e| e.into_inner());
                    if *ended {
                        return;
                    }
                    shown.set_draw_target(ProgressDrawTarget::stderr());
                    shown.enable_steady_tick(TICK);
                }
                while let Err(mpsc::RecvTimeoutError::Timeout) = rx.recv_timeout(TICK) {
                    use std::sync::atomic::Ordering::Relaxed;
                    let what = what.lock().unwrap_or_else(|e| e.into_inner());
                    let total = count.total.load(Relaxed);
                    if !what.is_empty() && total > 0 {
                        let done = count.done.load(Relaxed).min(total);
                        shown.set_message(crate::i18n::ta(
                            "progress-entries",
                            &[
                                ("what", &what),
                                ("done", &done.to_string()),
                                ("total", &total.to_string()),
                            ],
                        ));
                    }
                }
            }
        });
        Progress::with_counts(Some(bar), Some(tx), finished, reading, entries)
    }

    /// How many stores will be read, for "3 of 12 stores"; the count starts anew.
    pub fn plan_total(&self, stores: usize) {
        self.stores_total.set(stores);
        self.stores_done.set(0);
    }

    /// How many items will be changed, for "2,000 of 3,000 items"; the counts start anew.
    pub fn run_total(&self, items: usize) {
        self.items_total.set(items);
        self.items_before.set(0);
        self.bytes_before.set(0);
    }

    fn show(&self, msg: String) {
        if let Some(bar) = &self.bar {
            bar.set_message(msg);
        }
    }

    fn who(profile: &Profile, store: &str) -> String {
        crate::i18n::ta(
            "progress-who",
            &[
                ("id", profile.browser.name()),
                ("product", profile.browser.product_name()),
                ("dir", &clean(&profile.dir_name)),
                ("store", &crate::i18n::store_label(store)),
            ],
        )
    }

    /// Runs `f` with the bar taken off the terminal (to write report lines on stdout).
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    /// Takes the bar off the terminal for good.
    pub fn finish(&mut self) {
        self.done.take();
        let mut finished = self.finished.lock().unwrap_or_else(|e| e.into_inner());
        *finished = true;
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

impl crate::plan::Watch for Progress {
    fn store(&self, profile: &Profile, store: &Store) {
        let n = self.stores_done.get() + 1;
        self.stores_done.set(n);
        let total = self.stores_total.get().max(n);
        let what = crate::i18n::ta(
            "progress-reading",
            &[
                ("what", &Progress::who(profile, store.kind.label)),
                ("done", &n.to_string()),
                ("total", &total.to_string()),
            ],
        );
        self.entries.reset();
        *self.reading.lock().unwrap_or_else(|e| e.into_inner()) = what.clone();
        self.show(what);
    }

    fn stop(&self) -> bool {
        crate::interrupt::requested()
    }

    fn entries(&self) -> Option<Arc<crate::stores::ScanCount>> {
        Some(Arc::clone(&self.entries))
    }
}

impl crate::execute::Watch for Progress {
    fn store(&self, profile: &Profile, scan: &StoreScan) {
        self.reading
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        *self.label.borrow_mut() = Progress::who(profile, scan.store.kind.label);
        self.last_update.set(None);
        self.items(0, 0);
    }

    fn items(&self, done: usize, freed: u64) {
        let now = Instant::now();
        if self
            .last_update
            .get()
            .is_some_and(|at| now.duration_since(at) < ITEM_UPDATES)
        {
            return;
        }
        self.last_update.set(Some(now));
        let done = self.items_before.get() + done;
        let bytes = self.bytes_before.get() + freed;
        self.show(crate::i18n::ta(
            "progress-removing",
            &[
                ("what", &self.label.borrow()),
                ("done", &done.to_string()),
                ("total", &self.items_total.get().to_string()),
                ("size", &human_bytes(bytes)),
            ],
        ));
    }

    fn store_done(&self, items: usize, freed: u64) {
        self.items_before.set(self.items_before.get() + items);
        self.bytes_before.set(self.bytes_before.get() + freed);
    }

    fn stop(&self) -> bool {
        crate::interrupt::requested()
    }
}
