//! The documented policy and pref cases of tests/policy_cases/ (see its README): doctor's
//! verdict on each equals what the browser does, as its documentation and source say,
//! except for the cases listed in `KNOWN-GAPS`, each of which must still differ (so a
//! fix takes its case off the list).

use std::collections::BTreeSet;
use std::path::Path;

use crate::util::*;

struct Outcome {
    name: String,
    want: BTreeSet<String>,
    got: BTreeSet<String>,
    unread_ok: bool,
}

fn run_case(dir: &Path) -> Outcome {
    let case: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("case.json")).unwrap()).unwrap();
    let empty = tempfile::tempdir().unwrap();
    let pick = |sub: &str| {
        let d = dir.join(sub);
        if d.is_dir() {
            d
        } else {
            let d = empty.path().join(sub);
            std::fs::create_dir_all(&d).unwrap();
            d
        }
    };
    let (home, root) = (pick("home"), pick("root"));
    let os = case["os"].as_str().unwrap();
    let run = loginfix(
        &home,
        os,
        &["--root", root.to_str().unwrap(), "--json", "doctor"],
    );
    let json = run.json();
    let got = crate::util::finding_keys(&json, "severity");
    let want = case["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap().to_string())
        .collect();
    let unread_ok = match case.get("unread") {
        None => true,
        Some(list) => {
            let want: BTreeSet<String> = list
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f.as_str().unwrap().to_string())
                .collect();
            let got: BTreeSet<String> = json["unread"]
                .as_array()
                .unwrap()
                .iter()
                .map(|u| {
                    let f = Path::new(u["file"].as_str().unwrap());
                    f.strip_prefix(&root).unwrap_or(f).display().to_string()
                })
                .collect();
            want == got
        }
    };
    Outcome {
        name: dir.file_name().unwrap().to_string_lossy().into_owned(),
        want,
        got,
        unread_ok,
    }
}

#[test]
fn documented_policy_and_pref_cases_are_judged_as_the_browsers_do() {
    let cases = repo().join("tests/policy_cases");
    let gaps: BTreeSet<String> = std::fs::read_to_string(cases.join("KNOWN-GAPS"))
        .unwrap()
        .lines()
        .map(|l| l.split('#').next().unwrap().trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    let mut dirs: Vec<_> = std::fs::read_dir(&cases)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("case.json").is_file())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 78, "{} cases", dirs.len());
    for gap in &gaps {
        assert!(cases.join(gap).is_dir(), "KNOWN-GAPS names no case `{gap}`");
    }
    let (mut wrong, mut fixed) = (Vec::new(), Vec::new());
    let (mut report, mut quiet) = (0, 0);
    for dir in &dirs {
        let o = run_case(dir);
        if o.want.is_empty() {
            quiet += 1;
        } else {
            report += 1;
        }
        let ok = o.want == o.got && o.unread_ok;
        match (ok, gaps.contains(&o.name)) {
            (false, false) => wrong.push(format!(
                "{}: want {:?}, got {:?}{}",
                o.name,
                o.want,
                o.got,
                if o.unread_ok { "" } else { " (unread differs)" }
            )),
            (true, true) => fixed.push(o.name),
            _ => {}
        }
    }
    assert!(
        report >= 61 && quiet >= 17,
        "{report} to report, {quiet} not"
    );
    assert!(
        wrong.is_empty(),
        "doctor differs from the browser:\n{}",
        wrong.join("\n")
    );
    assert!(
        fixed.is_empty(),
        "now judged right; take off tests/policy_cases/KNOWN-GAPS: {fixed:?}"
    );
}
