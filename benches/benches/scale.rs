//! Scale: the whole pipeline and each stage on synthetic tenants from `grantscope-synth`, beside
//! the parse floor (the same files deserialised into `serde_json::Value` and nothing else).
//!
//! Tenants S and M are generated once into `target/synth/<tier>-<seed>/` (reused while the
//! generator's revision is unchanged). Tiers S and M run by default; `GRANTSCOPE_BENCH_L=1` adds
//! L (100,000 users, 1,000,000 assignments and audit events), generated in memory (about 4.5 GB
//! of JSON; the benchmark needs about 12 GB of RAM). The EntraExporter form of L (a million
//! files) is skipped.
//! Figures, machine and commands: docs/PERFORMANCE.md.
//!
//! Time is the benchmark thread's CPU time (`/proc/thread-self/schedstat`, nanoseconds), not wall
//! time: the machines this runs on are shared, and wall time there measures the neighbours. The
//! core is single-threaded, so on an idle machine the two agree. `GRANTSCOPE_BENCH_WALL=1`
//! measures wall time instead.
//!
//! ```text
//! cargo bench -p grantscope-benches --bench scale                 # S and M
//! cargo bench -p grantscope-benches --bench scale -- 'pipeline|floor'
//! GRANTSCOPE_BENCH_L=1 cargo bench -p grantscope-benches --bench scale -- /L
//! ```

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use chrono::NaiveDate;
use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use criterion::{BatchSize, BenchmarkGroup, Criterion, Throughput};
use grantscope_benches::read_tree;
use grantscope_core::config::Config;
use grantscope_core::graph::AccessGraph;
use grantscope_core::ingest::{InputFile, Limits, Loaded, load};
use grantscope_core::rules::run;
use grantscope_synth::{Format, Spec, Tier, cache_dir, ensure, generate_in_memory};

const SEED: u64 = 7;

/// Nanoseconds this thread has spent on a CPU.
fn thread_cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// Criterion measurement of the benchmark thread's CPU time.
struct CpuTime;

static WALL: WallTime = WallTime;

impl Measurement for CpuTime {
    type Intermediate = u64;
    type Value = u64;

    fn start(&self) -> u64 {
        thread_cpu_ns()
    }

    fn end(&self, start: u64) -> u64 {
        thread_cpu_ns().saturating_sub(start)
    }

    fn add(&self, a: &u64, b: &u64) -> u64 {
        a + b
    }

    fn zero(&self) -> u64 {
        0
    }

    fn to_f64(&self, value: &u64) -> f64 {
        *value as f64
    }

    fn formatter(&self) -> &dyn ValueFormatter {
        // Nanoseconds, like wall time: the same units and throughput figures.
        WALL.formatter()
    }
}

/// One generated tenant, read into memory.
struct Tenant {
    name: &'static str,
    files: Vec<InputFile>,
    bytes: u64,
    config: Config,
    as_of: NaiveDate,
}

fn synth_root() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(
            || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"),
            PathBuf::from,
        )
        .join("synth")
}

fn tiers() -> Vec<Tier> {
    let mut v = vec![Tier::S, Tier::M];
    if std::env::var_os("GRANTSCOPE_BENCH_L").is_some_and(|v| v != "0") {
        v.push(Tier::L);
    }
    v
}

/// Generous limits: the L tier is larger than the default 4 GiB total.
fn limits() -> Limits {
    Limits {
        max_total_bytes: u64::MAX,
        ..Limits::default()
    }
}

fn tenant(tier: Tier, format: Format) -> Tenant {
    let spec = Spec::tier(tier, SEED);
    let (manifest, files) = if tier == Tier::L {
        // Several GB of JSON: generated in memory rather than cached on disk.
        let (manifest, files) = generate_in_memory(&spec, Some(tier), format);
        let files = files
            .into_iter()
            .map(|(name, bytes)| InputFile::new(name, bytes))
            .collect();
        (manifest, files)
    } else {
        let dir = cache_dir(&synth_root(), &spec, Some(tier), format);
        let manifest = ensure(&spec, Some(tier), format, &dir)
            .unwrap_or_else(|e| panic!("cannot generate {}: {e}", dir.display()));
        // The manifest and the configuration are not export data.
        let files: Vec<InputFile> = read_tree(&dir)
            .into_iter()
            .filter(|f| f.name != "manifest.json" && f.name != "grantscope.toml")
            .collect();
        (manifest, files)
    };
    let bytes = files.iter().map(|f| f.bytes.len() as u64).sum();
    let config = Config::from_toml(&manifest.config).expect("generated grantscope.toml is valid");
    let as_of = config.as_of.expect("generated grantscope.toml has as-of");
    Tenant {
        name: tier.name(),
        files,
        bytes,
        config,
        as_of,
    }
}

/// Entities in a loaded export (what entities/s counts).
fn entities(loaded: &Loaded) -> u64 {
    let s = &loaded.snapshot;
    (s.users.len()
        + s.groups.len()
        + s.service_principals.len()
        + s.catalogs.len()
        + s.resources.len()
        + s.access_packages.len()
        + s.policies.len()
        + s.assignments.len()
        + s.requests.len()
        + s.connected_organizations.len()
        + s.audit_events.len()) as u64
}

/// Fewer, longer samples for the big tiers.
fn tune<M: Measurement>(g: &mut BenchmarkGroup<'_, M>, t: &Tenant) {
    if t.name == "S" {
        g.sample_size(20).measurement_time(Duration::from_secs(10));
    } else {
        g.sample_size(10)
            .measurement_time(Duration::from_secs(30))
            .warm_up_time(Duration::from_secs(1));
    }
}

fn scale<M: Measurement>(c: &mut Criterion<M>) {
    for tier in tiers() {
        let t = tenant(tier, Format::Recipe);

        // The limit: every file into serde_json::Value, nothing else.
        let mut g = c.benchmark_group("floor");
        tune(&mut g, &t);
        g.throughput(Throughput::Bytes(t.bytes));
        g.bench_function(t.name, |b| {
            b.iter(|| {
                for f in &t.files {
                    let v: serde_json::Value =
                        serde_json::from_slice(&f.bytes).expect("valid JSON");
                    black_box(v);
                }
            });
        });
        g.finish();

        // Ingestion: bytes in memory → Snapshot + LoadReport.
        let mut g = c.benchmark_group("ingest/recipe");
        tune(&mut g, &t);
        g.throughput(Throughput::Bytes(t.bytes));
        g.bench_function(t.name, |b| {
            b.iter_batched(
                || t.files.clone(),
                |files| black_box(load(files, &limits())),
                BatchSize::PerIteration,
            );
        });
        g.finish();

        // The same tenant as an EntraExporter tree: one small beta object per file.
        if tier != Tier::L {
            let ee = tenant(tier, Format::EntraExporter);
            let mut g = c.benchmark_group("ingest/entraexporter");
            tune(&mut g, &ee);
            g.throughput(Throughput::Bytes(ee.bytes));
            g.bench_function(ee.name, |b| {
                b.iter_batched(
                    || ee.files.clone(),
                    |files| black_box(load(files, &limits())),
                    BatchSize::PerIteration,
                );
            });
            g.finish();
            drop(ee);
        }

        // The whole pipeline: bytes → report (load, graph, every rule).
        let mut g = c.benchmark_group("pipeline");
        tune(&mut g, &t);
        g.throughput(Throughput::Bytes(t.bytes));
        g.bench_function(t.name, |b| {
            b.iter_batched(
                || t.files.clone(),
                |files| {
                    let loaded = load(files, &limits());
                    black_box(run(&loaded, &t.config, t.as_of))
                },
                BatchSize::PerIteration,
            );
        });
        g.finish();

        // Loaded only now: a large model alive in the heap slows the allocation-heavy parse
        // floor several-fold (glibc free-list work), which would flatter the pipeline.
        let loaded = load(t.files.clone(), &limits());
        let n = entities(&loaded);

        // The access graph alone, then graph + rules (rules::run builds its own graph).
        let mut g = c.benchmark_group("graph");
        tune(&mut g, &t);
        g.throughput(Throughput::Elements(n));
        g.bench_function(t.name, |b| {
            b.iter(|| black_box(AccessGraph::build(&loaded.snapshot, &t.config)))
        });
        g.finish();
        let mut g = c.benchmark_group("rules");
        tune(&mut g, &t);
        g.throughput(Throughput::Elements(n));
        g.bench_function(t.name, |b| {
            b.iter(|| black_box(run(&loaded, &t.config, t.as_of)))
        });
        g.finish();

        // Rendering the report.
        let report = run(&loaded, &t.config, t.as_of);
        let mut g = c.benchmark_group("render/json");
        tune(&mut g, &t);
        g.throughput(Throughput::Elements(report.findings.len() as u64));
        g.bench_function(t.name, |b| {
            b.iter(|| black_box(grantscope_report::render_report_json(&report)))
        });
        g.finish();
        let mut g = c.benchmark_group("render/text");
        tune(&mut g, &t);
        g.throughput(Throughput::Elements(report.findings.len() as u64));
        g.bench_function(t.name, |b| {
            b.iter(|| {
                black_box(grantscope_report::render_report_text(
                    &report,
                    grantscope_report::TextOptions::default(),
                ))
            });
        });
        g.finish();
    }
}

fn main() {
    if std::env::var_os("GRANTSCOPE_BENCH_WALL").is_some_and(|v| v != "0") {
        let mut c = Criterion::default().configure_from_args();
        scale(&mut c);
        c.final_summary();
    } else {
        let mut c = Criterion::default()
            .with_measurement(CpuTime)
            .configure_from_args();
        scale(&mut c);
        c.final_summary();
    }
}
