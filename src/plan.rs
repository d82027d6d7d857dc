//! A plan: per profile, the stores read and the items in them that belong to the
//! targets. Built read-only by the adapters; the same plan is printed by a dry run and
//! applied by the executor, so the two cannot drift.

use crate::browser::{Profile, StoreKind};
use crate::report::StoreError;
use crate::stores::{self, ScanOptions, StoreScan};
use crate::targets::Targets;

/// What is to be done for one profile.
#[derive(Clone, Debug)]
pub struct ProfilePlan {
    pub profile: Profile,
    pub stores: Vec<StoreScan>,
    /// Stores that could not be read; nothing is changed in them.
    pub errors: Vec<StoreError>,
}

impl ProfilePlan {
    pub fn item_count(&self) -> usize {
        self.stores.iter().map(|s| s.items.len()).sum()
    }
}

/// Plans the removal of the targets' cookies (cookie databases and session-restore
/// files) from each profile.
pub fn cookies(profiles: &[Profile], targets: &Targets) -> Vec<ProfilePlan> {
    profiles
        .iter()
        .map(|profile| {
            plan_stores(
                profile,
                targets,
                ScanOptions::default(),
                StoreKind::holds_cookies,
            )
        })
        .collect()
}

/// Plans the removal of the targets' HTTP-cache and code-cache entries.
pub fn cache(profiles: &[Profile], targets: &Targets, opts: ScanOptions) -> Vec<ProfilePlan> {
    profiles
        .iter()
        .map(|profile| plan_stores(profile, targets, opts, StoreKind::is_cache))
        .collect()
}

fn plan_stores(
    profile: &Profile,
    targets: &Targets,
    opts: ScanOptions,
    wanted: impl Fn(StoreKind) -> bool,
) -> ProfilePlan {
    let mut plan = ProfilePlan {
        profile: profile.clone(),
        stores: Vec::new(),
        errors: Vec::new(),
    };
    for store in profile.stores.iter().filter(|s| wanted(s.kind)) {
        match stores::scan(store, targets, opts) {
            Ok(scan) => plan.stores.push(scan),
            Err(err) => plan.errors.push(StoreError {
                store: store.kind.label(),
                file: store.path.clone(),
                error: format!("{err:#}"),
            }),
        }
    }
    plan
}
