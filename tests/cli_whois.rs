//! `domlife whois`: input the user must fix exits with status 2 before any
//! connection is attempted. (Answers from a server are tested against the mock
//! in whois_client.rs.)

use assert_cmd::Command;
use predicates::str::contains;
use rstest::rstest;

#[rstest]
#[case(&["whois", "example.de", "--whois-server", "de"], "TLD=HOST[:PORT]")]
#[case(&["whois", "example.de", "--whois-server", "de=whois denic.de"], "not a host name")]
#[case(&["whois", "example.de", "--whois-server", "de=whois.denic.de:0"], "not a TCP port")]
#[case(&["whois", "example.de", "--timeout", "0"], "--timeout")]
#[case(&["whois", "exa mple.de"], "not allowed in a host name")]
#[case(&["whois", "example.de\r\n-T dn,ace other.de"], "not allowed in a host name")]
fn bad_input_exits_2(#[case] args: &[&str], #[case] message: &str) {
    Command::cargo_bin("domlife")
        .unwrap()
        .args(args)
        .assert()
        .code(2)
        .stderr(contains(message));
}
