//! Loads and checks a generated tenant once, printing the time of each stage: the tool behind
//! the peak-memory and per-stage figures of docs/PERFORMANCE.md.
//!
//! ```text
//! cargo run --release -p grantscope-synth --example pipeline -- target/synth/M-7 [--parse-floor] [--stop-after read|load|check]
//! /usr/bin/time -v target/release/examples/pipeline target/synth/M-7
//! ```

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use grantscope_core::config::Config;
use grantscope_core::graph::AccessGraph;
use grantscope_core::ingest::{InputFile, Limits, load};
use grantscope_core::rules::run;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = PathBuf::from(
        args.first()
            .expect("usage: pipeline DIR [--parse-floor] [--stop-after read|load|check]"),
    );
    let floor = args.iter().any(|a| a == "--parse-floor");
    let stop = args
        .iter()
        .position(|a| a == "--stop-after")
        .and_then(|i| args.get(i + 1))
        .cloned()
        .unwrap_or_default();
    let mut out = std::io::stderr().lock();

    let t = Instant::now();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("readable folder")
        .map(|e| e.expect("entry").path())
        .collect();
    paths.sort();
    let files: Vec<InputFile> = paths
        .iter()
        .filter(|p| p.is_file())
        .map(|p| {
            InputFile::new(
                p.file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned(),
                std::fs::read(p).expect("readable file"),
            )
        })
        .collect();
    let bytes: usize = files.iter().map(|f| f.bytes.len()).sum();
    let read = t.elapsed();
    writeln!(
        out,
        "read     {:>8.3} s  {} files, {:.1} MB",
        read.as_secs_f64(),
        files.len(),
        bytes as f64 / 1e6
    )
    .ok();
    if stop == "read" {
        return;
    }
    if floor {
        let t = Instant::now();
        let mut values = 0usize;
        for f in &files {
            if f.name.ends_with(".json") {
                let v: serde_json::Value = serde_json::from_slice(&f.bytes).expect("valid JSON");
                values += usize::from(!v.is_null());
            }
        }
        let e = t.elapsed();
        writeln!(
            out,
            "floor    {:>8.3} s  {:.0} MB/s ({values} documents into serde_json::Value)",
            e.as_secs_f64(),
            bytes as f64 / 1e6 / e.as_secs_f64()
        )
        .ok();
        return;
    }
    let config = Config::from_toml(
        &std::fs::read_to_string(dir.join("grantscope.toml")).expect("grantscope.toml"),
    )
    .expect("valid config");
    let limits = Limits {
        max_total_bytes: u64::MAX,
        ..Limits::default()
    };
    let t = Instant::now();
    let loaded = load(files, &limits);
    let l = t.elapsed();
    writeln!(
        out,
        "load     {:>8.3} s  {:.0} MB/s",
        l.as_secs_f64(),
        bytes as f64 / 1e6 / l.as_secs_f64()
    )
    .ok();
    if stop == "load" {
        return;
    }
    let t = Instant::now();
    let graph = AccessGraph::build(&loaded.snapshot, &config);
    let g = t.elapsed();
    drop(graph);
    writeln!(out, "graph    {:>8.3} s", g.as_secs_f64()).ok();
    let as_of = config.as_of.expect("as-of in grantscope.toml");
    let t = Instant::now();
    let report = run(&loaded, &config, as_of);
    let c = t.elapsed();
    writeln!(
        out,
        "check    {:>8.3} s  (graph + rules; rules alone ~{:.3} s), {} findings",
        c.as_secs_f64(),
        (c - g.min(c)).as_secs_f64(),
        report.findings.len()
    )
    .ok();
    if stop == "check" {
        return;
    }
    let t = Instant::now();
    let json = grantscope_report::render_report_json(&report).expect("json");
    let j = t.elapsed();
    let t = Instant::now();
    let text =
        grantscope_report::render_report_text(&report, grantscope_report::TextOptions::default());
    let x = t.elapsed();
    writeln!(
        out,
        "render   {:>8.3} s json ({:.1} MB), {:.3} s text ({:.1} MB)",
        j.as_secs_f64(),
        json.len() as f64 / 1e6,
        x.as_secs_f64(),
        text.len() as f64 / 1e6
    )
    .ok();
    writeln!(
        out,
        "pipeline {:>8.3} s  load + check: {:.0} MB/s",
        (l + c).as_secs_f64(),
        bytes as f64 / 1e6 / (l + c).as_secs_f64()
    )
    .ok();
}
