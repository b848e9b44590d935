//! The same seed gives byte-identical files; another seed gives another tenant.

use std::collections::BTreeMap;
use std::path::Path;

use grantscope_synth::{Format, Spec, Tier, generate};

fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

fn fresh(name: &str) -> std::path::PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("synth-determinism")
        .join(name);
    if dir.exists() {
        std::fs::remove_dir_all(&dir).unwrap();
    }
    dir
}

#[test]
fn same_seed_same_bytes() {
    let spec = Spec::tier(Tier::S, 42);
    let (a, b) = (fresh("a"), fresh("b"));
    let ma = generate(&spec, Some(Tier::S), Format::Recipe, &a).unwrap();
    let mb = generate(&spec, Some(Tier::S), Format::Recipe, &b).unwrap();
    assert_eq!(ma, mb);
    let (ta, tb) = (tree(&a), tree(&b));
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    for (name, bytes) in &ta {
        assert!(
            bytes == &tb[name],
            "{name} differs between two runs with the same seed"
        );
    }
    assert_eq!(
        ma.counts.files,
        ta.len() - 2,
        "manifest.json and grantscope.toml are not counted"
    );
    let total: u64 = ta
        .iter()
        .filter(|(n, _)| *n != "manifest.json" && *n != "grantscope.toml")
        .map(|(_, b)| b.len() as u64)
        .sum();
    assert_eq!(ma.counts.bytes, total);

    let c = fresh("c");
    generate(&Spec::tier(Tier::S, 43), Some(Tier::S), Format::Recipe, &c).unwrap();
    assert_ne!(tree(&c).get("users.json"), ta.get("users.json"));
}

#[test]
fn every_file_is_json_with_a_context_and_pages_link_up() {
    let dir = fresh("pages");
    generate(&Spec::custom(1_500, 3), None, Format::Recipe, &dir).unwrap();
    let files = tree(&dir);
    for (name, bytes) in &files {
        if name == "grantscope.toml" {
            continue;
        }
        let v: serde_json::Value =
            serde_json::from_slice(bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        if name == "manifest.json" {
            continue;
        }
        assert!(
            v["@odata.context"]
                .as_str()
                .is_some_and(|c| c.starts_with("https://graph.microsoft.com/v1.0/$metadata#")),
            "{name}"
        );
        // A page has a next link exactly when a next page file exists.
        let stem = name.trim_end_matches(".json");
        let (base, n) = match stem.rsplit_once('.') {
            Some((b, n)) if n.parse::<u32>().is_ok() => (b.to_owned(), n.parse::<u32>().unwrap()),
            _ => (stem.to_owned(), 1),
        };
        let next = format!("{base}.{}.json", n + 1);
        assert_eq!(
            v.get("@odata.nextLink").is_some(),
            files.contains_key(&next),
            "{name}"
        );
    }
    assert!(
        files.contains_key("users.2.json"),
        "1,500 users take two pages of 999"
    );
    assert!(
        files.contains_key("signInActivity.13.json"),
        "sign-in activity pages hold 120 users"
    );
}

#[test]
fn entraexporter_tree_loads_completely() {
    use grantscope_core::ingest::{FileOutcome, Limits, load};
    let dir = fresh("entraexporter");
    let m = generate(
        &Spec::tier(Tier::S, 5),
        Some(Tier::S),
        Format::EntraExporter,
        &dir,
    )
    .unwrap();
    let mut files = Vec::new();
    fn walk(dir: &Path, prefix: &str, out: &mut Vec<grantscope_core::ingest::InputFile>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
            let name = format!("{prefix}{}", p.file_name().unwrap().to_string_lossy());
            if p.is_dir() {
                walk(&p, &format!("{name}/"), out);
            } else {
                out.push(grantscope_core::ingest::InputFile::new(
                    name,
                    std::fs::read(&p).unwrap(),
                ));
            }
        }
    }
    walk(&dir, "", &mut files);
    assert_eq!(files.len(), m.counts.files + 2);
    let loaded = load(files, &Limits::default());
    let failed: Vec<_> = loaded
        .report
        .files
        .iter()
        .filter(|f| matches!(f.outcome, FileOutcome::Failed { .. }))
        .collect();
    assert!(failed.is_empty(), "{failed:#?}");
    let s = &loaded.snapshot;
    assert_eq!(s.users.len(), m.counts.users);
    assert_eq!(s.access_packages.len(), m.counts.access_packages);
    assert_eq!(
        s.connected_organizations.len(),
        m.counts.connected_organizations
    );
    // Beta has no auto-assignment policies: they and their assignments are left out.
    assert!(
        s.policies.len() < m.counts.assignment_policies
            && s.policies.len() * 10 > m.counts.assignment_policies * 8
    );
    assert!(
        s.assignments.len() < m.counts.assignments
            && s.assignments.len() * 10 > m.counts.assignments * 7
    );
    assert!(
        s.access_packages.values().all(|p| p
            .resource_role_scopes
            .as_ref()
            .is_some_and(|r| !r.is_empty())),
        "role scopes were read"
    );
}

#[test]
fn in_memory_generation_gives_the_files_on_disk() {
    let spec = Spec::custom(400, 9);
    let dir = fresh("memory");
    let on_disk = generate(&spec, None, Format::Recipe, &dir).unwrap();
    let (in_memory, files) = grantscope_synth::generate_in_memory(&spec, None, Format::Recipe);
    assert_eq!(on_disk, in_memory);
    let disk = tree(&dir);
    assert_eq!(files.len() + 2, disk.len());
    for (name, bytes) in &files {
        assert!(disk.get(name) == Some(bytes), "{name}");
    }
}
