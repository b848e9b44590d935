//! Loads and checks a generated tenant once, printing the wall and CPU time of each stage: the
//! tool behind the per-stage and peak-memory figures of docs/PERFORMANCE.md.
//!
//! ```text
//! cargo build --release -p grantscope-synth --example pipeline
//! target/release/examples/pipeline target/synth/M-7                 # every stage
//! target/release/examples/pipeline target/synth/M-7 --parse-floor   # serde_json::Value only
//! target/release/examples/pipeline target/synth/M-7 --per-rule      # CPU time of each rule
//! /usr/bin/time -v target/release/examples/pipeline target/synth/M-7 --stream
//! ```
//!
//! By default every file is read into memory first (as the CLI does), so peak memory includes
//! the whole input; `--stream` hands the core an iterator that reads each file when it is
//! needed, so peak memory is the core's own (model + the file being parsed).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use grantscope_core::config::Config;
use grantscope_core::graph::AccessGraph;
use grantscope_core::ingest::{InputFile, Limits, load};
use grantscope_core::rules::{ALL_RULES, Findings, RuleContext, run};

/// CPU time of this thread in seconds (`/proc/thread-self/schedstat`, nanoseconds; Linux): on a
/// busy machine wall time says more about the neighbours than about the code, and the core is
/// single-threaded.
fn cpu() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .unwrap_or(0) as f64
        / 1e9
}

/// Wall and CPU seconds since a start.
struct Clock(Instant, f64);

impl Clock {
    fn start() -> Self {
        Clock(Instant::now(), cpu())
    }

    fn secs(&self) -> (f64, f64) {
        (self.0.elapsed().as_secs_f64(), cpu() - self.1)
    }
}

fn line(stage: &str, (wall, cpu): (f64, f64), mb: f64, extra: &str) -> String {
    let rate = if mb > 0.0 {
        format!(
            "  {:>6.0} MB/s wall  {:>6.0} MB/s cpu",
            mb / wall,
            mb / cpu.max(0.01)
        )
    } else {
        String::new()
    };
    format!("{stage:<9}{wall:>8.3} s wall {cpu:>8.2} s cpu{rate}  {extra}")
}

fn paths(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("readable folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            p.is_file()
                && p.file_name()
                    .is_some_and(|n| n != "manifest.json" && n != "grantscope.toml")
        })
        .collect();
    v.sort();
    v
}

fn input(p: &Path) -> InputFile {
    let name = p
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    InputFile::new(name, std::fs::read(p).expect("readable file"))
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir =
        PathBuf::from(args.first().expect(
            "usage: pipeline DIR [--parse-floor | --stream | --per-rule] [--stop-after read|load|check]",
        ));
    let floor = args.iter().any(|a| a == "--parse-floor");
    let stream = args.iter().any(|a| a == "--stream");
    let per_rule = args.iter().any(|a| a == "--per-rule");
    let stop = args
        .iter()
        .position(|a| a == "--stop-after")
        .and_then(|i| args.get(i + 1))
        .cloned()
        .unwrap_or_default();
    let mut out = std::io::stderr().lock();
    let config = Config::from_toml(
        &std::fs::read_to_string(dir.join("grantscope.toml")).expect("grantscope.toml"),
    )
    .expect("valid config");
    let as_of = config.as_of.expect("as-of in grantscope.toml");
    // The L tier is larger than the default 4 GiB limit on all files together.
    let limits = Limits {
        max_total_bytes: u64::MAX,
        ..Limits::default()
    };
    let paths = paths(&dir);
    let mb = paths
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum::<u64>() as f64
        / 1e6;

    if stream {
        let t = Clock::start();
        let loaded = load(paths.iter().map(|p| input(p)), &limits);
        let l = t.secs();
        let report = run(&loaded, &config, as_of);
        let all = t.secs();
        writeln!(out, "{}", line("read+load", l, mb, "")).ok();
        writeln!(
            out,
            "{}",
            line(
                "stream",
                all,
                mb,
                &format!("{} findings", report.findings.len())
            )
        )
        .ok();
        return;
    }

    let t = Clock::start();
    let files: Vec<InputFile> = paths.iter().map(|p| input(p)).collect();
    writeln!(
        out,
        "{}",
        line("read", t.secs(), mb, &format!("{} files", files.len()))
    )
    .ok();
    if stop == "read" {
        return;
    }
    if floor {
        let t = Clock::start();
        for f in &files {
            let v: serde_json::Value = serde_json::from_slice(&f.bytes).expect("valid JSON");
            std::hint::black_box(v);
        }
        writeln!(
            out,
            "{}",
            line("floor", t.secs(), mb, "every file into serde_json::Value")
        )
        .ok();
        return;
    }
    let t = Clock::start();
    let loaded = load(files, &limits);
    let l = t.secs();
    writeln!(out, "{}", line("load", l, mb, "")).ok();
    if stop == "load" {
        return;
    }
    if per_rule {
        rule_times(&loaded.snapshot, &config, &mut out);
        return;
    }
    let t = Clock::start();
    let graph = AccessGraph::build(&loaded.snapshot, &config);
    let g = t.secs();
    drop(graph);
    writeln!(out, "{}", line("graph", g, 0.0, "")).ok();
    let t = Clock::start();
    let report = run(&loaded, &config, as_of);
    let c = t.secs();
    writeln!(
        out,
        "{}",
        line(
            "check",
            c,
            0.0,
            &format!(
                "graph + rules (rules alone ~{:.3} s wall), {} findings",
                c.0 - g.0,
                report.findings.len()
            )
        )
    )
    .ok();
    if stop == "check" {
        return;
    }
    let t = Clock::start();
    let json = grantscope_report::render_report_json(&report).expect("json");
    let j = t.secs();
    writeln!(
        out,
        "{}",
        line(
            "json",
            j,
            0.0,
            &format!("{:.1} MB", json.len() as f64 / 1e6)
        )
    )
    .ok();
    let t = Clock::start();
    let text =
        grantscope_report::render_report_text(&report, grantscope_report::TextOptions::default());
    let x = t.secs();
    writeln!(
        out,
        "{}",
        line(
            "text",
            x,
            0.0,
            &format!("{:.1} MB", text.len() as f64 / 1e6)
        )
    )
    .ok();
    writeln!(
        out,
        "{}",
        line("pipeline", (l.0 + c.0, l.1 + c.1), mb, "load + check")
    )
    .ok();
}

/// Runs each rule on its own over one graph and prints the CPU time of each, slowest first: where
/// the check stage's time goes.
fn rule_times(snapshot: &grantscope_core::model::Snapshot, config: &Config, out: &mut impl Write) {
    let Some(as_of) = config.as_of else {
        return;
    };
    let t = Clock::start();
    let graph = AccessGraph::build(snapshot, config);
    writeln!(out, "{}", line("graph", t.secs(), 0.0, "")).ok();
    let ctx = RuleContext::new(snapshot, &graph, config, as_of);
    let mut times = Vec::new();
    for &rule in ALL_RULES.iter() {
        let meta = rule.meta();
        let setting = config.rule(meta);
        let mut found = Findings::new(meta, None);
        let t = Clock::start();
        let result = rule.run(&ctx, &setting.options, &mut found);
        let (wall, cpu) = t.secs();
        let n = if result.is_ok() {
            found.into_vec().len()
        } else {
            0
        };
        times.push((cpu, wall, meta.id, meta.name, n));
    }
    times.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (cpu, wall, id, name, n) in times {
        writeln!(
            out,
            "{id} {name:<40}{wall:>8.3} s wall {cpu:>8.2} s cpu  {n} findings"
        )
        .ok();
    }
}
