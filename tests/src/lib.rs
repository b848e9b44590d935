//! Helpers for the command-line tests: building the `grantscope` binary and running it the same
//! way on every machine (from the workspace root, without colour settings from the environment).

pub mod mock_graph;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The workspace root, where the tests run the binary (so that paths in snapshots are relative).
#[must_use]
pub fn workspace_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ lives inside the workspace")
}

/// The path of an up-to-date `grantscope` binary of the same profile as the running test.
///
/// Cargo builds another package's binaries only for that package's own tests, so this runs
/// `cargo build -p grantscope-cli` once per test process (a no-op when it is fresh). That also
/// guarantees the snapshots never test a stale binary.
///
/// # Panics
/// If the build fails or the binary is not where Cargo puts it.
pub fn grantscope_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        // target/<profile>/deps/<this test> → target/<profile>
        let exe = std::env::current_exe().expect("the test binary has a path");
        let profile_dir = exe
            .parent()
            .and_then(Path::parent)
            .expect("test binaries live in target/<profile>/deps");
        let profile = match profile_dir.file_name().and_then(|n| n.to_str()) {
            Some("debug") | None => "dev",
            Some(other) => other,
        };
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let status = Command::new(cargo)
            .args([
                "build",
                "--quiet",
                "--package",
                "grantscope-cli",
                "--bin",
                "grantscope",
            ])
            .args(["--profile", profile])
            .current_dir(workspace_root())
            .status()
            .expect("cargo can be run");
        assert!(status.success(), "building grantscope failed");
        let bin = profile_dir.join(format!("grantscope{}", std::env::consts::EXE_SUFFIX));
        assert!(bin.is_file(), "no binary at {}", bin.display());
        bin
    })
}

/// `grantscope` with the given arguments, run from the workspace root, colour settings removed.
#[must_use]
pub fn grantscope<I, S>(args: I) -> Command
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let mut command = Command::new(grantscope_bin());
    command
        .args(args)
        .current_dir(workspace_root())
        .env_remove("CLICOLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("NO_COLOR")
        .env("COLUMNS", "100");
    command
}

/// Runs an external tool (Chromium through Node, poppler) to completion, killing it if it takes
/// longer than `limit`: a hung browser must fail the test, not hang the suite. Both pipes are
/// drained while waiting, so that a large output cannot block the child.
///
/// # Panics
/// When the command cannot start or runs past `limit`.
#[must_use]
pub fn run_with_limit(mut command: Command, limit: Duration) -> Output {
    let started = Instant::now();
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {command:?}: {e}"));
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_end(&mut buf);
            }
            buf
        })
    };
    let stdout = drain(child.stdout.take().map(|p| Box::new(p) as _));
    let stderr = drain(child.stderr.take().map(|p| Box::new(p) as _));
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{command:?} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    Output {
        status,
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    }
}
