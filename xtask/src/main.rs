//! `cargo xtask web`: builds the browser app into `www/dist/` — the wasm facade in release mode,
//! `wasm-bindgen --target web` into `www/pkg/`, `wasm-opt -Oz` (Debian's `binaryen`), then the
//! TypeScript app with Vite (`npm ci` first when `www/node_modules` is missing).
//!
//! `cargo xtask serve [--port N] [--dir DIR]`: serves `www/dist/` (or DIR) on 127.0.0.1, as any
//! plain static file server would (no special headers: the page's CSP is in its own meta tag).
//! `--port 0` picks a free port; the first line printed gives the address.
//!
//! `cargo xtask fuzz [--seconds N] [TARGET...]`: runs the libFuzzer targets under `fuzz/` (all, or
//! the ones named) for N seconds each (default 60) with `scripts/fuzz.sh`, which seeds them from
//! `fixtures/` and replays `fuzz/regressions/` first.
//!
//! `cargo xtask synth [--tier S|M|L] [--seed N] --out DIR [...]`: generates a synthetic tenant
//! with `grantscope-synth` (built in release mode; every argument is passed on to it).
#![allow(clippy::print_stdout, clippy::print_stderr)] // a command-line tool: it talks on stdout

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::process::{Command, ExitCode};

type Result<T> = std::result::Result<T, String>;

const USAGE: &str = "usage: cargo xtask web [--debug]
       cargo xtask serve [--port PORT] [--dir DIR]   (default: 8080, www/dist)
       cargo xtask fuzz [--seconds N] [TARGET...]    (default: 60 s, every target)
       cargo xtask synth --tier M --seed 7 --out DIR  (grantscope-synth --help for the rest)";

const FUZZ_USAGE: &str = "usage: cargo xtask fuzz [--seconds N] [TARGET...]

Runs the libFuzzer targets under fuzz/ (every target, or the TARGETs named) for N seconds each
(default 60), with scripts/fuzz.sh: seeds each corpus from fixtures/, replays the inputs in
fuzz/regressions/<target>/ first, and fails on a crash (the input is in fuzz/artifacts/<target>/).
Needs cargo-fuzz (installed when missing) and builds with RUSTC_BOOTSTRAP=1.

Targets: graph_json entraexporter audit_csv users_csv zip_archive config_toml waivers lint_graph
         lint_terraform pipeline";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("web") => web(&args[1..]),
        Some("serve") => serve(&args[1..]),
        Some("fuzz") => fuzz(&args[1..]),
        Some("synth") => synth(&args[1..]),
        Some("-h" | "--help") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (this crate's parent folder).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

fn run(command: &mut Command) -> Result<()> {
    eprintln!("+ {command:?}");
    let status = command
        .status()
        .map_err(|e| format!("cannot run {:?}: {e}", command.get_program()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{:?} failed ({status})", command.get_program()))
    }
}

/// Runs the generator in release mode (tier L takes minutes in debug); a relative `--out` stays
/// relative to the folder the command was typed in.
fn synth(args: &[String]) -> Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    run(Command::new(cargo)
        .arg("run")
        .arg("--manifest-path")
        .arg(root().join("Cargo.toml"))
        .args(["--quiet", "--release", "-p", "grantscope-synth", "--"])
        .args(args))
}

fn web(args: &[String]) -> Result<()> {
    let debug = match args {
        [] => false,
        [flag] if flag == "--debug" => true,
        _ => return Err(USAGE.to_owned()),
    };
    let root = root();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut build = Command::new(&cargo);
    build
        .current_dir(&root)
        .args(["build", "--package", "grantscope-wasm", "--target"])
        .arg("wasm32-unknown-unknown");
    if !debug {
        // Small: the whole program optimised at once, for size (the download is the budget).
        build.args([
            "--release",
            "--config",
            "profile.release.opt-level='z'",
            "--config",
            "profile.release.lto=true",
            "--config",
            "profile.release.codegen-units=1",
        ]);
    }
    run(&mut build)?;
    let profile = if debug { "debug" } else { "release" };
    let target_dir =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let wasm = target_dir
        .join("wasm32-unknown-unknown")
        .join(profile)
        .join("grantscope_wasm.wasm");
    // wasm-opt runs before wasm-bindgen: Debian's binaryen (108) mistypes the externref table
    // that wasm-bindgen adds, and the module then fails to instantiate.
    let input = if debug {
        wasm
    } else {
        let optimised = wasm.with_extension("opt.wasm");
        // The features rustc enables by default for wasm32-unknown-unknown. Flattening and
        // re-looping the control flow before two -Oz rounds gives ~7 KB less gzipped than -Oz
        // alone (measured on binaryen 108; it costs ~40 s of build time).
        run(Command::new("wasm-opt")
            .args([
                "--flatten",
                "--rereloop",
                "-Oz",
                "-Oz",
                "--enable-bulk-memory",
                "--enable-mutable-globals",
                "--enable-nontrapping-float-to-int",
                "--enable-sign-ext",
                "--enable-reference-types",
                "--enable-multivalue",
            ])
            .arg(&wasm)
            .arg("-o")
            .arg(&optimised))?;
        optimised
    };
    let pkg = root.join("www/pkg");
    run(Command::new("wasm-bindgen")
        .args([
            "--target",
            "web",
            "--out-name",
            "grantscope_wasm",
            "--out-dir",
        ])
        .arg(&pkg)
        .arg(&input))?;
    let bg = pkg.join("grantscope_wasm_bg.wasm");
    let size = std::fs::metadata(&bg).map_err(|e| e.to_string())?.len();
    eprintln!("{}: {size} bytes", bg.display());

    let www = root.join("www");
    let npm = if cfg!(windows) { "npm.cmd" } else { "npm" };
    if !www.join("node_modules").is_dir() {
        run(Command::new(npm).current_dir(&www).arg("ci"))?;
    }
    run(Command::new(npm).current_dir(&www).args(["run", "build"]))?;
    eprintln!("built {}", www.join("dist").display());
    Ok(())
}

fn serve(args: &[String]) -> Result<()> {
    let mut port: u16 = 8080;
    let mut dir = root().join("www/dist");
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--port" => {
                port = it
                    .next()
                    .and_then(|p| p.parse().ok())
                    .ok_or("--port needs a number")?;
            }
            "--dir" => dir = PathBuf::from(it.next().ok_or("--dir needs a folder")?),
            _ => return Err(USAGE.to_owned()),
        }
    }
    if !dir.join("index.html").is_file() {
        return Err(format!(
            "no index.html in {}: run `cargo xtask web` first",
            dir.display()
        ));
    }
    let listener = TcpListener::bind(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    println!("Serving {} on http://{address}/", dir.display());
    let _ = std::io::stdout().flush();
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let dir = dir.clone();
        std::thread::spawn(move || {
            if let Err(e) = respond(stream, &dir) {
                eprintln!("{e}");
            }
        });
    }
    Ok(())
}

/// What `cargo xtask fuzz` was asked to do; `None` for `--help`.
#[derive(Debug, PartialEq, Eq)]
struct FuzzArgs {
    seconds: u64,
    targets: Vec<String>,
}

fn parse_fuzz_args(args: &[String]) -> Result<Option<FuzzArgs>> {
    let mut parsed = FuzzArgs {
        seconds: 60,
        targets: Vec::new(),
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let seconds = match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--seconds" => it
                .next()
                .ok_or_else(|| format!("--seconds needs a number of seconds\n\n{FUZZ_USAGE}"))?,
            a if a.starts_with("--seconds=") => &a["--seconds=".len()..],
            a if a.starts_with('-') => return Err(format!("unknown option {a}\n\n{FUZZ_USAGE}")),
            target => {
                parsed.targets.push(target.to_owned());
                continue;
            }
        };
        parsed.seconds = match seconds.parse() {
            Ok(n) if n > 0 => n,
            _ => {
                return Err(format!(
                    "--seconds needs a whole number of seconds above 0, not {seconds:?}"
                ));
            }
        };
    }
    Ok(Some(parsed))
}

fn fuzz(args: &[String]) -> Result<()> {
    let Some(args) = parse_fuzz_args(args)? else {
        println!("{FUZZ_USAGE}");
        return Ok(());
    };
    // The script does the work (CI runs it directly), so the two cannot drift apart.
    run(Command::new("bash")
        .current_dir(root())
        .arg("scripts/fuzz.sh")
        .arg(args.seconds.to_string())
        .args(&args.targets))
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// The file under `dir` a request path names, refusing anything that climbs out of it.
fn resolve(dir: &Path, target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let path = percent_decode(path)?;
    let mut out = dir.to_path_buf();
    for component in Path::new(path.trim_start_matches('/')).components() {
        match component {
            Component::Normal(part) => out.push(part),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if out.is_dir() {
        out.push("index.html");
    }
    out.is_file().then_some(out)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn respond(mut stream: TcpStream, dir: &Path) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line)? == 0 {
            return Ok(());
        }
        let mut keep_alive = true;
        let mut content_length = 0usize;
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header)? == 0 || header.trim().is_empty() {
                break;
            }
            let lower = header.to_ascii_lowercase();
            if lower.starts_with("connection:") && lower.contains("close") {
                keep_alive = false;
            }
            if let Some(v) = lower.strip_prefix("content-length:") {
                content_length = v.trim().parse().unwrap_or(0);
            }
        }
        if content_length > 0 {
            let mut body = vec![0; content_length];
            reader.read_exact(&mut body)?;
        }
        let mut parts = request_line.split_whitespace();
        let method = parts.next().unwrap_or("");
        let target = parts.next().unwrap_or("/");
        let (status, kind, body) = match (method, resolve(dir, target)) {
            ("GET" | "HEAD", Some(path)) => match std::fs::read(&path) {
                Ok(body) => ("200 OK", content_type(&path), body),
                Err(_) => ("500 Internal Server Error", "text/plain", b"error".to_vec()),
            },
            ("GET" | "HEAD", None) => ("404 Not Found", "text/plain", b"not found".to_vec()),
            _ => (
                "405 Method Not Allowed",
                "text/plain",
                b"method not allowed".to_vec(),
            ),
        };
        let head = format!(
            "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\nConnection: {}\r\n\r\n",
            body.len(),
            if keep_alive { "keep-alive" } else { "close" }
        );
        stream.write_all(head.as_bytes())?;
        if method != "HEAD" {
            stream.write_all(&body)?;
        }
        stream.flush()?;
        if !keep_alive {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_cannot_leave_the_folder() {
        let dir = root().join("xtask");
        assert!(resolve(&dir, "/src/main.rs").is_some());
        assert!(resolve(&dir, "/src/main.rs?x=1").is_some());
        assert!(resolve(&dir, "/../Cargo.toml").is_none());
        assert!(resolve(&dir, "/%2e%2e/Cargo.toml").is_none());
        assert!(resolve(&dir, "/missing").is_none());
    }

    #[test]
    fn wasm_is_served_as_wasm() {
        assert_eq!(content_type(Path::new("a/b.wasm")), "application/wasm");
        assert_eq!(
            content_type(Path::new("x.js")),
            "text/javascript; charset=utf-8"
        );
    }

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|a| (*a).to_owned()).collect()
    }

    #[test]
    fn fuzz_arguments() {
        let parse = |args: &[&str]| parse_fuzz_args(&strings(args));
        let all = |seconds| {
            Ok(Some(FuzzArgs {
                seconds,
                targets: Vec::new(),
            }))
        };
        assert_eq!(parse(&[]), all(60));
        assert_eq!(parse(&["--seconds", "5"]), all(5));
        assert_eq!(parse(&["--seconds=90"]), all(90));
        assert_eq!(
            parse(&["waivers", "--seconds", "7", "lint_graph"]),
            Ok(Some(FuzzArgs {
                seconds: 7,
                targets: strings(&["waivers", "lint_graph"]),
            }))
        );
        assert_eq!(parse(&["--help"]), Ok(None));
        assert_eq!(parse(&["waivers", "-h"]), Ok(None));
        for bad in [
            &["--seconds"][..],
            &["--seconds", "0"],
            &["--seconds", "x"],
            &["--time", "5"],
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }

    /// The targets named in the help are those of scripts/fuzz.sh and of fuzz/Cargo.toml.
    #[test]
    fn fuzz_help_lists_every_target() {
        let help: Vec<&str> = FUZZ_USAGE
            .split("Targets:")
            .nth(1)
            .unwrap()
            .split_whitespace()
            .collect();
        let script = std::fs::read_to_string(root().join("scripts/fuzz.sh")).unwrap();
        let line = script
            .lines()
            .find_map(|l| l.strip_prefix("targets=("))
            .unwrap();
        let in_script: Vec<&str> = line.trim_end_matches(')').split_whitespace().collect();
        assert_eq!(help, in_script);
        let manifest = std::fs::read_to_string(root().join("fuzz/Cargo.toml")).unwrap();
        let mut bins: Vec<&str> = manifest
            .lines()
            .filter_map(|l| l.strip_prefix("name = \""))
            .map(|n| n.trim_end_matches('"'))
            .filter(|n| *n != "grantscope-fuzz")
            .collect();
        let mut sorted = help.clone();
        sorted.sort_unstable();
        bins.sort_unstable();
        assert_eq!(sorted, bins);
    }
}
