//! CLI manners: `--quiet`, shell completions, examples in every subcommand's help, and no
//! progress output when stderr is not a terminal.

use grantscope_tests::grantscope;
use insta_cmd::assert_cmd_snapshot;

use crate::formats::{run, scratch};

const CONTOSO: &str = "fixtures/tenants/contoso";

#[test]
fn quiet_leaves_only_results_and_errors() {
    let dir = scratch("manners-quiet");
    let empty = dir.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let mut command = grantscope(["check", CONTOSO, "--exit-zero", "--format", "json"]);
    command.arg(&empty);
    let (code, stdout, stderr) = run(command);
    assert_eq!(code, 0);
    assert!(stderr.starts_with("note: no files found in "), "{stderr}");
    assert!(!stdout.is_empty());

    let mut command = grantscope(["check", CONTOSO, "--exit-zero", "--format", "json", "-q"]);
    command.arg(&empty);
    let (code, quiet_stdout, stderr) = run(command);
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert_eq!(quiet_stdout, stdout, "the results are the same");

    // Errors are still printed, and so is why check exits 1.
    let (code, _, stderr) = run(grantscope(["check", CONTOSO, "--quiet", "--format", "csv"]));
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        "error: 59 findings at or above `info` (--fail-on); exiting with 1\n"
    );
    let (code, _, stderr) = run(grantscope(["--quiet", "check", "does/not/exist"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("Cause: cannot read `does/not/exist`"));

    // What a command wrote is a note too.
    let mut command = grantscope(["baseline", CONTOSO, "--quiet", "--output"]);
    command.arg(dir.join("base.json"));
    assert_eq!(run(command), (0, String::new(), String::new()));
    let mut command = grantscope(["report", CONTOSO, "--output"]);
    command.arg(dir.join("report.html"));
    let (code, _, stderr) = run(command);
    assert_eq!(code, 0);
    assert!(stderr.starts_with("wrote "), "{stderr}");
    let mut command = grantscope(["report", CONTOSO, "-q", "--output"]);
    command.arg(dir.join("report.html"));
    assert_eq!(run(command), (0, String::new(), String::new()));
}

#[test]
fn no_progress_output_when_stderr_is_not_a_terminal() {
    // The tests' stderr is a pipe: the progress bar (for inputs of 32 MiB or more) never shows,
    // and a run without notes prints nothing at all there.
    let (code, _, stderr) = run(grantscope([
        "check",
        CONTOSO,
        "--exit-zero",
        "--format",
        "json",
    ]));
    assert_eq!((code, stderr.as_str()), (0, ""));
}

#[test]
fn completions_for_every_shell() {
    for (shell, marker) in [
        ("bash", "_grantscope()"),
        ("zsh", "#compdef grantscope"),
        ("fish", "complete -c grantscope"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[grantscope]"),
    ] {
        let (code, script, stderr) = run(grantscope(["completions", shell]));
        assert_eq!((code, stderr.as_str()), (0, ""), "{shell}");
        assert!(script.contains(marker), "{shell}: {marker}");
        for word in ["check", "baseline", "waivers", "strict-baseline", "sarif"] {
            assert!(script.contains(word), "{shell} completes {word}");
        }
    }
    assert_cmd_snapshot!(grantscope(["completions", "tcsh"]), @r"
    success: false
    exit_code: 2
    ----- stdout -----

    ----- stderr -----
    error: invalid value 'tcsh' for '<SHELL>'
      [possible values: bash, elvish, fish, powershell, zsh]

      tip: a similar value exists: 'zsh'

    For more information, try '--help'.
    ");
}

#[test]
fn every_subcommand_help_has_examples() {
    let (_, help, _) = run(grantscope(["--help"]));
    let commands: Vec<&str> = help
        .lines()
        .skip_while(|l| *l != "Commands:")
        .skip(1)
        .take_while(|l| !l.is_empty())
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    for command in ["check", "baseline", "completions", "rules", "explain"] {
        assert!(commands.contains(&command), "{commands:?}");
    }
    for command in commands {
        let (code, help, _) = run(grantscope([command, "--help"]));
        assert_eq!(code, 0, "{command}");
        let examples = help
            .split("\nExamples:\n")
            .nth(1)
            .unwrap_or_else(|| panic!("`grantscope {command} --help` has no examples"));
        assert!(
            examples.contains(&format!("grantscope {command}")),
            "{command}: the examples use the command"
        );
        assert!(help.contains("\nExit codes: "), "{command}");
    }
}

#[test]
fn baseline_help() {
    assert_cmd_snapshot!(grantscope(["baseline", "--help"]));
}

#[test]
fn completions_help() {
    assert_cmd_snapshot!(grantscope(["completions", "--help"]));
}

#[test]
fn rules_help() {
    assert_cmd_snapshot!(grantscope(["rules", "--help"]));
}

#[test]
fn explain_help() {
    assert_cmd_snapshot!(grantscope(["explain", "--help"]));
}
