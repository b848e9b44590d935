//! Talking to Graph: GET and `$batch` with the bearer token, retries (429/503 after
//! `Retry-After`, network errors and 5xx with capped exponential backoff), Graph error bodies
//! turned into reasons. Blocking (ureq over rustls): one request at a time is plenty when the
//! per-object requests go 20 to a `$batch`.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::auth::AccessToken;
use super::progress::Progress;

/// Largest response body read (a Graph page is at most a few MB).
const MAX_BODY: u64 = 256 * 1024 * 1024;
/// Longest wait that a `Retry-After` is honoured with.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(300);
/// Backoff after the first transient failure; doubles each time up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_secs(1);
const MAX_BACKOFF: Duration = Duration::from_secs(32);
/// How many throttling answers (429, 503) one request may get before it counts as failed.
pub(crate) const MAX_THROTTLED: u32 = 20;

/// Why a request did not succeed (after the retries that made sense).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failure {
    /// The HTTP status, when Graph answered.
    pub(crate) status: Option<u16>,
    /// Graph's error code (`Authorization_RequestDenied`).
    pub(crate) code: Option<String>,
    /// What happened, for people.
    pub(crate) message: String,
    /// How many times it was sent.
    pub(crate) attempts: u32,
}

impl Failure {
    /// From a Graph answer with an error status and (usually) a `{"error":{code,message}}` body.
    pub(crate) fn from_answer(status: u16, body: &[u8], attempts: u32) -> Failure {
        #[derive(Deserialize)]
        struct Envelope {
            error: Option<ErrorBody>,
        }
        #[derive(Deserialize)]
        struct ErrorBody {
            code: Option<String>,
            message: Option<String>,
        }
        let error = serde_json::from_slice::<Envelope>(body)
            .ok()
            .and_then(|e| e.error);
        let code = error.as_ref().and_then(|e| e.code.clone());
        let detail = error
            .and_then(|e| e.message)
            .map(|m| one_line(&m))
            .filter(|m| !m.is_empty());
        let what = match status {
            401 => "the access token was rejected (expired, or issued for another resource)",
            403 => "forbidden: a permission or licence is missing",
            404 => "not found",
            429 => "throttled",
            _ if status >= 500 => "Graph failed",
            _ => "the request was refused",
        };
        let message = match detail {
            Some(detail) => format!("HTTP {status}, {what}: {detail}"),
            None => format!("HTTP {status}, {what}"),
        };
        Failure {
            status: Some(status),
            code,
            message,
            attempts,
        }
    }

    fn network(error: &ureq::Error, attempts: u32) -> Failure {
        Failure {
            status: None,
            code: None,
            message: format!("no answer from Graph: {}", one_line(&error.to_string())),
            attempts,
        }
    }

    pub(crate) fn other(message: String) -> Failure {
        Failure {
            status: None,
            code: None,
            message,
            attempts: 1,
        }
    }
}

/// The first line of a message, at most 300 characters (Graph messages can carry request ids
/// and stack-like details).
fn one_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or("").trim();
    let mut out: String = line.chars().take(300).collect();
    if line.chars().count() > 300 {
        out.push('…');
    }
    out
}

/// A successful answer or an error status, before retry decisions.
struct Answer {
    status: u16,
    retry_after: Option<Duration>,
    body: Vec<u8>,
}

/// `Retry-After` as seconds (or an HTTP date), capped.
pub(crate) fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    let wait = if let Ok(seconds) = value.parse::<u64>() {
        Duration::from_secs(seconds)
    } else {
        let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
        let seconds = (date.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_seconds();
        Duration::from_secs(u64::try_from(seconds).unwrap_or(0))
    };
    Some(wait.min(MAX_RETRY_AFTER))
}

/// The wait before retry number `n` (1-based) after a transient failure: 1 s, 2 s, 4 s, … up to
/// 32 s, each shortened by up to a quarter at random so that clients do not retry in step.
pub(crate) fn backoff(n: u32) -> Duration {
    let base = FIRST_BACKOFF
        .saturating_mul(1 << n.saturating_sub(1).min(16))
        .min(MAX_BACKOFF);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    base - base / 4 * (nanos % 1000) / 1000
}

/// Percent-encodes what cannot stand in a URL (spaces in `$filter`, quotes, non-ASCII), leaving
/// everything else, including existing `%XX` escapes, as it is.
pub(crate) fn encode_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for byte in url.bytes() {
        let keep = byte.is_ascii_graphic()
            && !matches!(
                byte,
                b'"' | b'<' | b'>' | b'\\' | b'^' | b'`' | b'{' | b'|' | b'}'
            );
        if keep {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// One request of a `$batch`.
#[derive(Debug, Clone)]
pub(crate) struct SubRequest {
    pub(crate) id: String,
    /// Relative to the version root, starting with `/`.
    pub(crate) url: String,
}

/// One answer inside a `$batch` response.
#[derive(Debug)]
pub(crate) struct SubResponse {
    pub(crate) id: String,
    pub(crate) status: u16,
    pub(crate) retry_after: Option<Duration>,
    /// The response body exactly as Graph serialised it inside the batch.
    pub(crate) body: Option<Box<RawValue>>,
}

#[derive(Serialize)]
struct BatchRequestBody<'a> {
    requests: Vec<BatchRequestItem<'a>>,
}

#[derive(Serialize)]
struct BatchRequestItem<'a> {
    id: &'a str,
    method: &'static str,
    url: String,
}

#[derive(Deserialize)]
struct BatchResponseBody {
    responses: Vec<BatchResponseItem>,
}

#[derive(Deserialize)]
struct BatchResponseItem {
    id: String,
    status: u16,
    #[serde(default)]
    headers: BTreeMap<String, serde_json::Value>,
    #[serde(default)]
    body: Option<Box<RawValue>>,
}

/// Gets a fresh access token when Graph rejects the current one (device code sign-in).
pub(crate) type Renew = Box<dyn Fn() -> anyhow::Result<AccessToken>>;

pub(crate) struct Graph {
    agent: ureq::Agent,
    /// `https://graph.microsoft.com/v1.0`
    root: String,
    /// `https://graph.microsoft.com`: the only origin the token is ever sent to.
    origin: String,
    token: RefCell<AccessToken>,
    renew: Option<Renew>,
    retries: u32,
    progress: Progress,
}

/// An HTTP agent for Graph and the identity platform: status codes are answers, not errors;
/// proxies from the environment (`HTTPS_PROXY`, `NO_PROXY`) are honoured.
pub(crate) fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_connect(Some(Duration::from_secs(30)))
        .timeout_recv_response(Some(Duration::from_secs(180)))
        .timeout_recv_body(Some(Duration::from_secs(300)))
        .user_agent(concat!("grantscope/", env!("CARGO_PKG_VERSION")))
        .max_redirects(0)
        .max_redirects_will_error(false)
        .build()
        .new_agent()
}

/// Reads an answer's status, `Retry-After` and body.
fn read(mut response: ureq::http::Response<ureq::Body>) -> Result<Answer, ureq::Error> {
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(parse_retry_after);
    let body = response
        .body_mut()
        .with_config()
        .limit(MAX_BODY)
        .read_to_vec()?;
    Ok(Answer {
        status,
        retry_after,
        body,
    })
}

impl Graph {
    /// `graph_url` is the Graph root without the version (`https://graph.microsoft.com`).
    pub(crate) fn new(
        agent: ureq::Agent,
        graph_url: &str,
        token: AccessToken,
        retries: u32,
        progress: Progress,
    ) -> Graph {
        let origin = graph_url.trim_end_matches('/').to_owned();
        let origin = origin
            .strip_suffix("/v1.0")
            .map_or(origin.clone(), str::to_owned);
        Graph {
            agent,
            root: format!("{origin}/v1.0"),
            origin: origin_of(&origin),
            token: RefCell::new(token),
            renew: None,
            retries,
            progress,
        }
    }

    /// Renews the token with `renew` once per request that Graph answers `401`.
    pub(crate) fn with_renewal(mut self, renew: Renew) -> Graph {
        self.renew = Some(renew);
        self
    }

    fn authorization(&self) -> String {
        self.token.borrow().header()
    }

    /// The absolute URL of a request relative to the version root.
    pub(crate) fn url(&self, request: &str) -> String {
        format!("{}{}", self.root, encode_url(request))
    }

    /// Whether an absolute URL (a `@odata.nextLink`) points at the Graph being collected from:
    /// the token is never sent anywhere else.
    pub(crate) fn is_own(&self, url: &str) -> bool {
        origin_of(url) == self.origin
            && url
                .get(self.origin.len()..)
                .is_some_and(|rest| rest.starts_with('/'))
    }

    /// GETs an absolute URL of this Graph, with retries.
    pub(crate) fn get(&self, url: &str) -> Result<Vec<u8>, Failure> {
        if !self.is_own(url) {
            return Err(Failure::other(format!(
                "refusing to follow a link outside {}: {}",
                self.origin,
                one_line(url)
            )));
        }
        let url = encode_url(url);
        self.with_retries(|| {
            self.agent
                .get(&url)
                .header("Authorization", self.authorization())
                .header("Accept", "application/json")
                .call()
                .and_then(read)
        })
        .map(|answer| answer.body)
    }

    /// Sends up to 20 GETs as one `POST /$batch` (with retries of the whole batch when it is
    /// throttled or fails); the answers come back per request, in any order.
    pub(crate) fn batch(&self, requests: &[SubRequest]) -> Result<Vec<SubResponse>, Failure> {
        let body = BatchRequestBody {
            requests: requests
                .iter()
                .map(|r| BatchRequestItem {
                    id: &r.id,
                    method: "GET",
                    url: encode_url(&r.url),
                })
                .collect(),
        };
        let body = serde_json::to_vec(&body)
            .map_err(|e| Failure::other(format!("cannot build a batch: {e}")))?;
        let url = format!("{}/$batch", self.root);
        let answer = self.with_retries(|| {
            self.agent
                .post(&url)
                .header("Authorization", self.authorization())
                .header("Accept", "application/json")
                .content_type("application/json")
                .send(&body[..])
                .and_then(read)
        })?;
        let parsed: BatchResponseBody = serde_json::from_slice(&answer.body).map_err(|e| {
            Failure::other(format!("the $batch answer is not a batch response: {e}"))
        })?;
        Ok(parsed
            .responses
            .into_iter()
            .map(|item| SubResponse {
                retry_after: item
                    .headers
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case("retry-after"))
                    .and_then(|(_, v)| match v {
                        serde_json::Value::String(s) => parse_retry_after(s),
                        serde_json::Value::Number(n) => n.as_u64().map(Duration::from_secs),
                        _ => None,
                    })
                    .map(|d| d.min(MAX_RETRY_AFTER)),
                id: item.id,
                status: item.status,
                body: item.body,
            })
            .collect())
    }

    /// Sends a request until it succeeds, fails for good (a 4xx other than 429), or runs out of
    /// retries: 429 and 503 wait as `Retry-After` says (else back off) up to [`MAX_THROTTLED`]
    /// times; network errors and other 5xx back off up to `--retries` times.
    fn with_retries(
        &self,
        mut send: impl FnMut() -> Result<Answer, ureq::Error>,
    ) -> Result<Answer, Failure> {
        let mut attempts = 0;
        let mut throttled = 0;
        let mut transient = 0;
        let mut renewed = false;
        loop {
            attempts += 1;
            let wait = match send() {
                Ok(answer) if (200..300).contains(&answer.status) => return Ok(answer),
                Ok(answer) if answer.status == 401 && !renewed && self.renew.is_some() => {
                    renewed = true;
                    let renew = self.renew.as_ref().map(|renew| renew());
                    match renew {
                        Some(Ok(token)) => {
                            *self.token.borrow_mut() = token;
                            self.progress
                                .fetching("signed in again (the token had expired)");
                            continue;
                        }
                        Some(Err(error)) => {
                            let mut failure =
                                Failure::from_answer(answer.status, &answer.body, attempts);
                            failure.message = format!(
                                "{}; renewing the token failed: {error:#}",
                                failure.message
                            );
                            return Err(failure);
                        }
                        None => return Err(Failure::from_answer(401, &answer.body, attempts)),
                    }
                }
                Ok(answer) if matches!(answer.status, 429 | 503) => {
                    throttled += 1;
                    if throttled > MAX_THROTTLED {
                        return Err(Failure::from_answer(answer.status, &answer.body, attempts));
                    }
                    let wait = answer.retry_after.unwrap_or_else(|| backoff(throttled));
                    self.progress.waiting(wait, "throttled by Graph");
                    wait
                }
                Ok(answer) if answer.status >= 500 => {
                    transient += 1;
                    if transient > self.retries {
                        return Err(Failure::from_answer(answer.status, &answer.body, attempts));
                    }
                    let wait = answer.retry_after.unwrap_or_else(|| backoff(transient));
                    self.progress
                        .waiting(wait, &format!("Graph answered {}", answer.status));
                    wait
                }
                Ok(answer) => {
                    return Err(Failure::from_answer(answer.status, &answer.body, attempts));
                }
                Err(error) => {
                    transient += 1;
                    if transient > self.retries {
                        return Err(Failure::network(&error, attempts));
                    }
                    let wait = backoff(transient);
                    self.progress.waiting(wait, "network error");
                    wait
                }
            };
            std::thread::sleep(wait);
        }
    }
}

/// `scheme://host[:port]` of a URL, lowercased.
pub(crate) fn origin_of(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return String::new();
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    format!(
        "{}://{}",
        scheme.to_ascii_lowercase(),
        authority.to_ascii_lowercase()
    )
}

/// Whether a URL may carry a token: https, or http to this machine (tests, local proxies).
pub(crate) fn is_safe_endpoint(url: &str) -> bool {
    let origin = origin_of(url);
    if origin.starts_with("https://") && origin.len() > "https://".len() {
        return true;
    }
    let Some(authority) = origin.strip_prefix("http://") else {
        return false;
    };
    let host = if authority.starts_with('[') {
        authority.split(']').next().map(|h| format!("{h}]"))
    } else {
        authority.split(':').next().map(str::to_owned)
    };
    matches!(host.as_deref(), Some("127.0.0.1" | "localhost" | "[::1]"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_is_seconds_or_a_date_and_capped() {
        assert_eq!(parse_retry_after("1"), Some(Duration::from_secs(1)));
        assert_eq!(parse_retry_after(" 30 "), Some(Duration::from_secs(30)));
        assert_eq!(parse_retry_after("86400"), Some(MAX_RETRY_AFTER));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon"), None);
    }

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        for (n, secs) in [(1, 1), (2, 2), (3, 4), (6, 32), (40, 32)] {
            let wait = backoff(n);
            let base = Duration::from_secs(secs);
            assert!(wait <= base && wait >= base * 3 / 4, "{n}: {wait:?}");
        }
    }

    #[test]
    fn urls_are_encoded_only_where_needed() {
        assert_eq!(
            encode_url("/users?$filter=userType eq 'Guest'&$select=id"),
            "/users?$filter=userType%20eq%20'Guest'&$select=id"
        );
        assert_eq!(
            encode_url("/x?$skiptoken=a%20b&$expand=manager($select=id)"),
            "/x?$skiptoken=a%20b&$expand=manager($select=id)"
        );
        assert_eq!(encode_url("/é"), "/%C3%A9");
    }

    #[test]
    fn graph_errors_become_reasons() {
        let failure = Failure::from_answer(
            403,
            br#"{"error":{"code":"Authentication_RequestFromNonPremiumTenantOrB2CTenant","message":"Neither tenant is B2C or tenant doesn't have premium license\nmore"}}"#,
            1,
        );
        assert_eq!(
            failure.code.as_deref(),
            Some("Authentication_RequestFromNonPremiumTenantOrB2CTenant")
        );
        assert_eq!(
            failure.message,
            "HTTP 403, forbidden: a permission or licence is missing: Neither tenant is B2C or \
             tenant doesn't have premium license"
        );
        assert_eq!(
            Failure::from_answer(500, b"<html>", 3).message,
            "HTTP 500, Graph failed"
        );
    }

    #[test]
    fn the_token_only_goes_to_graph_itself() {
        let graph = Graph::new(
            agent(),
            "http://127.0.0.1:8080/v1.0",
            AccessToken::new("t".into()),
            0,
            Progress::hidden(),
        );
        assert_eq!(
            graph.url("/users?$top=1"),
            "http://127.0.0.1:8080/v1.0/users?$top=1"
        );
        assert!(graph.is_own("http://127.0.0.1:8080/v1.0/users?$skiptoken=x"));
        assert!(!graph.is_own("http://127.0.0.1:8081/v1.0/users"));
        assert!(!graph.is_own("http://127.0.0.1:8080.evil.example/v1.0/users"));
        assert!(!graph.is_own("https://evil.example/v1.0/users"));
        assert!(graph.get("https://evil.example/v1.0/users").is_err());
    }

    #[test]
    fn plain_http_only_to_this_machine() {
        assert!(is_safe_endpoint("https://graph.microsoft.com"));
        assert!(is_safe_endpoint("http://127.0.0.1:41234"));
        assert!(is_safe_endpoint("http://localhost"));
        assert!(is_safe_endpoint("http://[::1]:80/"));
        assert!(!is_safe_endpoint("http://graph.microsoft.com"));
        assert!(!is_safe_endpoint("http://127.0.0.1.evil.example"));
        assert!(!is_safe_endpoint("ftp://x"));
        assert!(!is_safe_endpoint("https://"));
    }
}
