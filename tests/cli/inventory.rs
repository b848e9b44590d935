//! `grantscope inventory`.

use std::io::Read as _;
use std::process::Stdio;

use grantscope_tests::grantscope;
use insta_cmd::assert_cmd_snapshot;

#[test]
fn contoso_text() {
    assert_cmd_snapshot!(grantscope(["inventory", "fixtures/tenants/contoso"]));
}

#[test]
fn contoso_json() {
    assert_cmd_snapshot!(grantscope([
        "inventory",
        "fixtures/tenants/contoso",
        "--format",
        "json"
    ]));
}

#[test]
fn json_is_the_documented_object() {
    let output = grantscope(["inventory", "fixtures/tenants/contoso", "--format", "json"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    for key in [
        "\"schemaVersion\": 1",
        "\"summary\"",
        "\"files\"",
        "\"warnings\"",
        "\"datasets\"",
        "\"counts\"",
        "\"catalogs\"",
    ] {
        assert!(text.contains(key), "missing {key}");
    }
}

#[test]
fn nonexistent_path_exits_2() {
    assert_cmd_snapshot!(grantscope(["inventory", "tests/data/does-not-exist"]), @r"
    success: false
    exit_code: 2
    ----- stdout -----

    ----- stderr -----
    grantscope failed
      Cause: cannot read `tests/data/does-not-exist`
      Cause: No such file or directory (os error 2)
    ");
}

#[test]
fn malformed_json_exits_2_and_still_lists_the_rest() {
    assert_cmd_snapshot!(grantscope(["inventory", "tests/data/malformed"]));
}

#[test]
fn malformed_json_in_json_format() {
    assert_cmd_snapshot!(grantscope([
        "inventory",
        "tests/data/malformed/users.json",
        "--format",
        "json"
    ]));
}

#[test]
fn hostile_display_names_are_escaped() {
    let output = grantscope(["inventory", "tests/data/hostile", "--color", "never"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    for bad in [
        '\u{1b}', '\u{7}', '\u{202e}', '\u{202c}', '\u{2066}', '\u{2067}', '\u{2069}',
    ] {
        assert!(
            !stdout.contains(bad),
            "U+{:04X} reached the terminal",
            u32::from(bad)
        );
    }
    assert!(
        stdout.contains(
            "\\u{1b}[2J\\u{1b}[1;31mAPPROVED\\u{1b}[0m Guest access \\u{202e}fdp.exe\\u{202c}"
        ),
        "{stdout}"
    );
    assert_cmd_snapshot!(grantscope(["inventory", "tests/data/hostile"]));
}

#[test]
fn colour_is_only_ours_when_forced() {
    let output = grantscope(["inventory", "tests/data/hostile", "--color", "always"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    // Our own styles are there, the data's escape sequences are not.
    assert!(stdout.contains("\u{1b}[1m"));
    assert!(!stdout.contains("\u{1b}[2J"));
    assert!(!stdout.contains("\u{1b}]0;"));
}

#[test]
fn no_color_env_is_respected() {
    let output = grantscope(["inventory", "tests/data/hostile"])
        .env("NO_COLOR", "1")
        .env("CLICOLOR_FORCE", "0")
        .output()
        .unwrap();
    assert!(!String::from_utf8(output.stdout).unwrap().contains('\u{1b}'));
}

#[test]
fn closed_stdout_is_not_a_failure() {
    let mut child = grantscope(["inventory", "fixtures/tenants/contoso", "--format", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Close the reading end before the binary writes: its write fails with EPIPE.
    drop(child.stdout.take());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "stderr: {stderr}");
    assert!(stderr.is_empty(), "stderr: {stderr}");
}

#[test]
fn usage_errors_exit_2() {
    assert_cmd_snapshot!(grantscope(["inventory"]), @r"
    success: false
    exit_code: 2
    ----- stdout -----

    ----- stderr -----
    error: the following required arguments were not provided:
      <PATH>...

    Usage: grantscope inventory <PATH>...

    For more information, try '--help'.
    ");
    assert_cmd_snapshot!(grantscope(["inventory", "x", "--format", "yaml"]), @r"
    success: false
    exit_code: 2
    ----- stdout -----

    ----- stderr -----
    error: invalid value 'yaml' for '--format <FORMAT>'
      [possible values: text, json]

    For more information, try '--help'.
    ");
}

#[test]
fn help() {
    assert_cmd_snapshot!(grantscope(["--help"]));
}

#[test]
fn inventory_help() {
    assert_cmd_snapshot!(grantscope(["inventory", "--help"]));
}
