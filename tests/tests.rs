//! Integration tests: the built binary against temporary homes.

// Tests set up and tear down fixtures freely; the rule is for the product code.
#![allow(clippy::disallowed_methods, clippy::print_stderr)]

mod util;

mod as_owner;
mod backups;
mod bad_input;
mod clear_cache;
mod clear_cookies;
mod clear_leveldb;
mod clear_site_data;
mod cli;
mod conventions;
mod crash;
mod discovery;
mod disk_full;
mod dist;
mod doctor_machine;
mod doctor_profiles;
mod extensions;
mod fix;
mod fleet;
mod hostile_home;
mod install;
mod ja_text;
mod json;
mod long_runs;
mod move_aside;
mod ownership;
mod pid_namespace;
mod policy_cases;
mod private_copies;
mod properties;
mod real_browsers;
mod restore_safety;
mod root_holes;
mod safari;
mod samples;
mod screens;
mod site_data_more;
mod windows;
mod windows_locks;
