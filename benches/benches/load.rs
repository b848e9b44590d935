//! Ingestion speed: bytes already in memory → `Snapshot` + `LoadReport`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use grantscope_benches::{read_tree, tenant_dir};
use grantscope_core::ingest::{Limits, load};

fn load_contoso(c: &mut Criterion) {
    let files = read_tree(&tenant_dir("contoso"));
    let bytes: u64 = files.iter().map(|f| f.bytes.len() as u64).sum();
    let limits = Limits::default();

    let mut group = c.benchmark_group("load");
    group.throughput(Throughput::Bytes(bytes));
    group.bench_function("contoso", |b| {
        b.iter_batched(
            || files.clone(),
            |files| black_box(load(files, &limits)),
            criterion::BatchSize::SmallInput,
        );
    });
    group.finish();
}

criterion_group!(benches, load_contoso);
criterion_main!(benches);
