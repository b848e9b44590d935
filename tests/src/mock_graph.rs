//! A small Microsoft Graph stand-in for the `grantscope collect` tests: serves a recipe-layout
//! fixture folder (docs/EXPORT-RECIPE.md) as Graph v1.0 would, on 127.0.0.1 only.
//!
//! - Collections are split into pages of [`MockGraph::page_size`] items linked by
//!   `@odata.nextLink` (absolute, with `$skiptoken`); per-object requests (`groupMembers-<id>`,
//!   `incompatibleGroups-<id>`, `catalogResources-<id>` …) answer from the fixture's files.
//! - `POST /v1.0/$batch` answers each sub-request through the same routes (at most 20, as Graph).
//! - Requests must carry the token handed out by the device code endpoints
//!   (`/{tenant}/oauth2/v2.0/devicecode` and `/token`, which answers `authorization_pending` once).
//! - Faults ([`Faults`]) are matched by substring of the decoded request: a `429` with
//!   `Retry-After: 1` once, a `403` always, a connection dropped once without an answer, a `500`
//!   always.
//! - Only routes of the recipe answer; anything else is a `400` (so the collector must send the
//!   recipe's exact queries). Every request is logged for the tests to count.
//!
//! The server stops when dropped, and by itself after [`LIFETIME`].

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// The longest a server runs, whatever the test does.
pub const LIFETIME: Duration = Duration::from_secs(300);

/// The tenant id in the tokens the mock hands out.
pub const TENANT_ID: &str = "c0de7e57-0000-4000-8000-00000000c0de";

/// Faults to inject, each a substring of the decoded request (`/users?$select=id,signInActivity`,
/// `/groups/<id>/transitiveMembers`, `/$batch`).
#[derive(Debug, Clone, Default)]
pub struct Faults {
    /// The first matching request gets `429` with `Retry-After: 1`.
    pub throttle_once: Vec<String>,
    /// Every matching request gets `403` (Graph's answer for `signInActivity` without P1).
    pub forbidden: Vec<String>,
    /// The first matching request (not a `$batch` sub-request) has its connection closed
    /// without an answer.
    pub drop_once: Vec<String>,
    /// Every matching request gets `500`.
    pub fail_always: Vec<String>,
    /// After this many Graph requests the first access token expires (`401`); the refresh
    /// token handed out with it gets a new one.
    pub expire_token_after: Option<usize>,
}

#[derive(Debug, Default)]
struct State {
    log: Vec<String>,
    /// How often each fault pattern has fired.
    fired: BTreeMap<String, usize>,
    token_polls: usize,
    refreshes: usize,
    graph_requests: usize,
    largest_batch: usize,
}

struct Shared {
    fixture: PathBuf,
    base: String,
    token: String,
    /// The token handed out for the refresh token.
    renewed: String,
    refresh: String,
    page_size: usize,
    faults: Faults,
    state: Mutex<State>,
}

/// A running mock Graph (and identity platform) on 127.0.0.1.
pub struct MockGraph {
    shared: Arc<Shared>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    addr: SocketAddr,
}

/// Unpadded base64url.
fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

/// Decodes `%XX` escapes (and `+` as a space when `plus_is_space`, for form bodies).
fn percent_decode(text: &str, plus_is_space: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                if let Ok(b) = u8::from_str_radix(hex, 16) {
                    out.push(b);
                    i += 3;
                    continue;
                }
                out.push(b'%');
            }
            b'+' if plus_is_space => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn form(body: &str) -> BTreeMap<String, String> {
    body.split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (percent_decode(k, true), percent_decode(v, true)))
        .collect()
}

impl MockGraph {
    /// Starts a server for the recipe folder `fixture` (relative to the workspace root or
    /// absolute), pages of `page_size` items.
    ///
    /// # Panics
    /// If no loopback port can be bound.
    #[must_use]
    pub fn start(fixture: &Path, page_size: usize, faults: Faults) -> MockGraph {
        let fixture = if fixture.is_absolute() {
            fixture.to_path_buf()
        } else {
            crate::workspace_root().join(fixture)
        };
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let addr = listener.local_addr().expect("a bound address");
        listener
            .set_nonblocking(true)
            .expect("a non-blocking listener");
        let header = base64url(br#"{"alg":"none","typ":"JWT"}"#);
        let claims = base64url(
            format!(r#"{{"aud":"https://graph.microsoft.com","tid":"{TENANT_ID}"}}"#).as_bytes(),
        );
        let secret = format!("mock-secret-{}-{}", std::process::id(), addr.port());
        let token = format!("{header}.{claims}.{}", base64url(secret.as_bytes()));
        let renewed = format!(
            "{header}.{claims}.{}",
            base64url(format!("{secret}-renewed").as_bytes())
        );
        let refresh = format!("mock-refresh.{}", base64url(secret.as_bytes()));
        let shared = Arc::new(Shared {
            fixture,
            base: format!("http://{addr}"),
            token,
            renewed,
            refresh,
            page_size: page_size.max(1),
            faults,
            state: Mutex::default(),
        });
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let shared = Arc::clone(&shared);
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || serve(&listener, &shared, &stop))
        };
        MockGraph {
            shared,
            stop,
            thread: Some(thread),
            addr,
        }
    }

    /// `http://127.0.0.1:PORT`: both `--graph-url` and `--login-url`.
    #[must_use]
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The access token the token endpoint hands out (and Graph requires).
    #[must_use]
    pub fn token(&self) -> &str {
        &self.shared.token
    }

    /// Every secret the mock hands out (access tokens, the refresh token): none may appear in
    /// any output or file.
    #[must_use]
    pub fn secrets(&self) -> Vec<String> {
        [
            &self.shared.token,
            &self.shared.renewed,
            &self.shared.refresh,
        ]
        .into_iter()
        .map(|t| t.rsplit('.').next().unwrap_or(t).to_owned())
        .collect()
    }

    /// How many times the refresh token was redeemed.
    #[must_use]
    pub fn refreshes(&self) -> usize {
        self.lock().refreshes
    }

    /// The page size of collections.
    #[must_use]
    pub fn page_size(&self) -> usize {
        self.shared.page_size
    }

    /// Every request so far: `GET /users?…`, `POST /$batch`, `BATCH GET /groups/…` (each
    /// sub-request), `POST /token` …, decoded.
    #[must_use]
    pub fn requests(&self) -> Vec<String> {
        self.lock().log.clone()
    }

    /// How many requests (sub-requests included) contain `pattern`.
    #[must_use]
    pub fn count(&self, pattern: &str) -> usize {
        self.lock()
            .log
            .iter()
            .filter(|r| r.contains(pattern))
            .count()
    }

    /// The most sub-requests seen in one `$batch`.
    #[must_use]
    pub fn largest_batch(&self) -> usize {
        self.lock().largest_batch
    }

    /// Forgets the log (keeps the faults that already fired).
    pub fn clear_log(&self) {
        self.lock().log.clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.shared
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

impl Drop for MockGraph {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn serve(listener: &TcpListener, shared: &Arc<Shared>, stop: &AtomicBool) {
    let deadline = Instant::now() + LIFETIME;
    while !stop.load(Ordering::SeqCst) && Instant::now() < deadline {
        match listener.accept() {
            Ok((stream, _)) => {
                let shared = Arc::clone(shared);
                std::thread::spawn(move || {
                    let _ = handle(stream, &shared);
                });
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(5));
            }
            Err(_) => std::thread::sleep(Duration::from_millis(20)),
        }
    }
}

struct Request {
    method: String,
    target: String,
    authorization: Option<String>,
    body: Vec<u8>,
}

fn read_request(stream: &TcpStream) -> std::io::Result<Request> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("").to_owned();
    let target = parts.next().unwrap_or("").to_owned();
    let mut length = 0usize;
    let mut authorization = None;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            let value = value.trim();
            if name.eq_ignore_ascii_case("content-length") {
                length = value.parse().unwrap_or(0);
            } else if name.eq_ignore_ascii_case("authorization") {
                authorization = Some(value.to_owned());
            }
        }
    }
    let mut body = vec![0; length.min(16 * 1024 * 1024)];
    reader.read_exact(&mut body)?;
    Ok(Request {
        method,
        target,
        authorization,
        body,
    })
}

/// An answer: status, extra headers, JSON body.
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Value,
}

impl Answer {
    fn ok(body: Value) -> Answer {
        Answer {
            status: 200,
            headers: Vec::new(),
            body,
        }
    }

    fn error(status: u16, code: &str, message: &str) -> Answer {
        Answer {
            status,
            headers: Vec::new(),
            body: json!({"error": {"code": code, "message": message,
                "innerError": {"date": "2026-11-01T00:00:00", "request-id": "00000000-0000-0000-0000-000000000000"}}}),
        }
    }
}

fn write_answer(mut stream: &TcpStream, answer: &Answer) -> std::io::Result<()> {
    let body = serde_json::to_vec(&answer.body).unwrap_or_default();
    let reason = match answer.status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    };
    let mut head = format!(
        "HTTP/1.1 {} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
        answer.status,
        body.len()
    );
    for (name, value) in &answer.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(&body)?;
    stream.flush()
}

fn handle(stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    let request = read_request(&stream)?;
    let target = percent_decode(&request.target, false);
    let entry = format!("{} {target}", request.method);
    shared.lock().log.push(entry.clone());

    if shared.fire_once(&shared.faults.drop_once, &target) {
        // Closed without a word, as a reset connection looks to the client.
        return Ok(());
    }
    let answer = if target.contains("/oauth2/v2.0/") {
        shared.identity(&request, &target)
    } else if let Some(answer) = shared.unauthorized(request.authorization.as_deref()) {
        answer
    } else if let Some(route) = target.strip_prefix("/v1.0") {
        if request.method == "POST" && route == "/$batch" {
            shared.batch(&request.body)
        } else if request.method == "GET" {
            shared.route(route)
        } else {
            Answer::error(405, "Request_BadRequest", "Method not allowed.")
        }
    } else {
        Answer::error(404, "NotFound", "Not a Graph version root.")
    };
    write_answer(&stream, &answer)
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A `401` unless the request carries a valid token: the first one until it expires, the
    /// renewed one after.
    fn unauthorized(&self, authorization: Option<&str>) -> Option<Answer> {
        let mut state = self.lock();
        state.graph_requests += 1;
        let expired = self
            .faults
            .expire_token_after
            .is_some_and(|n| state.graph_requests > n);
        let token = authorization.and_then(|a| a.strip_prefix("Bearer "));
        let valid = match token {
            Some(t) if t == self.token => !expired,
            Some(t) if t == self.renewed => state.refreshes > 0,
            _ => false,
        };
        if valid {
            return None;
        }
        let message = if expired && token == Some(self.token.as_str()) {
            "Lifetime validation failed, the token is expired."
        } else {
            "Access token is empty or invalid."
        };
        Some(Answer::error(401, "InvalidAuthenticationToken", message))
    }

    /// Whether a once-fault for `target` fires now (and remembers that it did).
    fn fire_once(&self, patterns: &[String], target: &str) -> bool {
        let mut state = self.lock();
        for pattern in patterns {
            if target.contains(pattern.as_str()) {
                let fired = state.fired.entry(pattern.clone()).or_default();
                if *fired == 0 {
                    *fired += 1;
                    return true;
                }
            }
        }
        false
    }

    /// The device code and token endpoints.
    fn identity(&self, request: &Request, target: &str) -> Answer {
        let fields = form(&String::from_utf8_lossy(&request.body));
        if request.method != "POST" || fields.get("client_id").is_none_or(String::is_empty) {
            return Answer::error(400, "invalid_request", "client_id is required");
        }
        if target.ends_with("/oauth2/v2.0/devicecode") {
            let scopes: Vec<&str> = fields
                .get("scope")
                .map(|s| s.split(' ').collect())
                .unwrap_or_default();
            if !scopes.contains(&"https://graph.microsoft.com/.default") {
                return Answer::error(400, "invalid_scope", "unexpected scope");
            }
            return Answer::ok(json!({
                "user_code": "MOCKCODE",
                "device_code": "mock-device-code",
                "verification_uri": format!("{}/devicelogin", self.base),
                "expires_in": 60,
                "interval": 1,
                "message": format!("To sign in, use a web browser to open the page {}/devicelogin and enter the code MOCKCODE to authenticate.", self.base),
            }));
        }
        if target.ends_with("/oauth2/v2.0/token")
            && fields.get("grant_type").map(String::as_str) == Some("refresh_token")
        {
            if fields.get("refresh_token") != Some(&self.refresh) {
                return Answer {
                    status: 400,
                    headers: Vec::new(),
                    body: json!({"error": "invalid_grant", "error_description": "AADSTS9002313: Invalid request."}),
                };
            }
            self.lock().refreshes += 1;
            return Answer::ok(json!({
                "token_type": "Bearer",
                "scope": "https://graph.microsoft.com/.default",
                "expires_in": 3599,
                "access_token": self.renewed,
                "refresh_token": self.refresh,
            }));
        }
        if target.ends_with("/oauth2/v2.0/token") {
            if fields.get("grant_type").map(String::as_str)
                != Some("urn:ietf:params:oauth:grant-type:device_code")
                || fields.get("device_code").map(String::as_str) != Some("mock-device-code")
            {
                return Answer {
                    status: 400,
                    headers: Vec::new(),
                    body: json!({"error": "invalid_grant", "error_description": "AADSTS70000: bad grant"}),
                };
            }
            let polls = {
                let mut state = self.lock();
                state.token_polls += 1;
                state.token_polls
            };
            if polls == 1 {
                return Answer {
                    status: 400,
                    headers: Vec::new(),
                    body: json!({"error": "authorization_pending",
                        "error_description": "AADSTS70016: OAuth 2.0 device flow error. Authorization is pending."}),
                };
            }
            return Answer::ok(json!({
                "token_type": "Bearer",
                "scope": "https://graph.microsoft.com/.default",
                "expires_in": 3599,
                "access_token": self.token,
                "refresh_token": self.refresh,
            }));
        }
        Answer::error(404, "NotFound", "unknown identity endpoint")
    }

    /// `$batch`: each sub-request through [`Shared::route`], answers in reverse order (the
    /// collector must match them by id).
    fn batch(&self, body: &[u8]) -> Answer {
        let Ok(batch) = serde_json::from_slice::<Value>(body) else {
            return Answer::error(400, "BadRequest", "Invalid batch payload format.");
        };
        let requests = batch["requests"].as_array().cloned().unwrap_or_default();
        if requests.is_empty() || requests.len() > 20 {
            return Answer::error(
                400,
                "BadRequest",
                "Number of batch requests must be between 1 and 20.",
            );
        }
        {
            let mut state = self.lock();
            state.largest_batch = state.largest_batch.max(requests.len());
        }
        let mut responses = Vec::new();
        for request in requests.iter().rev() {
            let id = request["id"].as_str().unwrap_or("").to_owned();
            let url = percent_decode(request["url"].as_str().unwrap_or(""), false);
            let url = if url.starts_with('/') {
                url
            } else {
                format!("/{url}")
            };
            let method = request["method"].as_str().unwrap_or("");
            self.lock().log.push(format!("BATCH {method} {url}"));
            let answer = if method == "GET" {
                self.route(&url)
            } else {
                Answer::error(400, "BadRequest", "only GET here")
            };
            let mut headers = serde_json::Map::new();
            headers.insert("Content-Type".into(), json!("application/json"));
            for (name, value) in answer.headers {
                headers.insert(name, json!(value));
            }
            responses.push(
                json!({"id": id, "status": answer.status, "headers": headers, "body": answer.body}),
            );
        }
        Answer::ok(json!({ "responses": responses }))
    }

    /// A Graph v1.0 request (path and query, decoded, after `/v1.0`), faults first.
    fn route(&self, target: &str) -> Answer {
        let faults = &self.faults;
        if faults
            .fail_always
            .iter()
            .any(|p| target.contains(p.as_str()))
        {
            return Answer::error(500, "UnknownError", "Something went wrong.");
        }
        if faults.forbidden.iter().any(|p| target.contains(p.as_str())) {
            return Answer::error(
                403,
                "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
                "Neither tenant is B2C or tenant doesn't have premium license",
            );
        }
        if self.fire_once(&faults.throttle_once, target) {
            let mut answer = Answer::error(
                429,
                "TooManyRequests",
                "Too many requests, retry after the time in Retry-After.",
            );
            answer.headers.push(("Retry-After".into(), "1".into()));
            return answer;
        }
        // `…&$skiptoken=N` (or `?$skiptoken=N`) is the page after the first.
        let (route, page) = match target.rsplit_once("$skiptoken=") {
            Some((route, n)) => (
                route.trim_end_matches(['&', '?']),
                n.parse::<usize>().unwrap_or(usize::MAX),
            ),
            None => (target, 0),
        };
        let Some(files) = self.files_for(route) else {
            return Answer::error(
                400,
                "BadRequest",
                &format!("Not a request of the recipe: {route}"),
            );
        };
        self.page(route, &files, page)
    }

    /// Which fixture files hold the answer to a recipe request; `None` for anything else.
    fn files_for(&self, route: &str) -> Option<Vec<PathBuf>> {
        const EM: &str = "/identityGovernance/entitlementManagement/";
        let one = |name: String| Some(vec![self.fixture.join(name)]);
        let (path, query) = route.split_once('?').unwrap_or((route, ""));
        if let Some(rest) = path.strip_prefix(EM) {
            let segments: Vec<&str> = rest.split('/').collect();
            return match (segments.as_slice(), query) {
                (["catalogs"], "") => one("catalogs.json".into()),
                (["accessPackages"], "$expand=catalog,resourceRoleScopes($expand=role,scope)") => {
                    one("accessPackages.json".into())
                }
                (["assignmentPolicies"], "$expand=accessPackage,catalog") => {
                    one("assignmentPolicies.json".into())
                }
                (["assignments"], "$expand=target,accessPackage,assignmentPolicy") => {
                    one("assignments.json".into())
                }
                (["assignmentRequests"], "$expand=requestor,accessPackage,assignment") => {
                    one("assignmentRequests.json".into())
                }
                (["connectedOrganizations"], "$expand=internalSponsors,externalSponsors") => {
                    one("connectedOrganizations.json".into())
                }
                (["settings"], "") => one("settings.json".into()),
                (["catalogs", id, "resources"], "$expand=roles,scopes") => {
                    one(format!("catalogResources-{id}.json"))
                }
                (["accessPackages", id, "incompatibleAccessPackages"], "") => {
                    one(format!("incompatibleAccessPackages-{id}.json"))
                }
                (["accessPackages", id, "incompatibleGroups"], "") => {
                    one(format!("incompatibleGroups-{id}.json"))
                }
                _ => None,
            };
        }
        let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        match (segments.as_slice(), query) {
            (
                ["users"],
                "$select=id,displayName,userPrincipalName,mail,userType,accountEnabled,createdDateTime,creationType,externalUserState,externalUserStateChangeDateTime,department,jobTitle",
            ) => Some(vec![
                self.fixture.join("users.json"),
                self.fixture.join("users.2.json"),
            ]),
            (["users"], "$select=id,signInActivity") => one("signInActivity.json".into()),
            (["users"], "$select=id&$expand=manager($select=id)") => one("managers.json".into()),
            (["users"], "$filter=userType eq 'Guest'&$select=id&$expand=sponsors($select=id)") => {
                one("guestSponsors.json".into())
            }
            (
                ["groups"],
                "$select=id,displayName,description,groupTypes,isAssignableToRole,membershipRule,securityEnabled,mailEnabled",
            ) => one("groups.json".into()),
            (["groups", id, "transitiveMembers"], "$select=id,userType") => {
                one(format!("groupMembers-{id}.json"))
            }
            (["groups", id, "members"], "") => one(format!("groupDirectMembers-{id}.json")),
            (["servicePrincipals"], "$select=id,appId,displayName,servicePrincipalType") => {
                one("servicePrincipals.json".into())
            }
            (["auditLogs", "directoryAudits"], q)
                if q == "$filter=category eq 'EntitlementManagement'"
                    || q.starts_with(
                        "$filter=category eq 'EntitlementManagement' and activityDateTime ge ",
                    ) =>
            {
                one("auditLogs.json".into())
            }
            _ => None,
        }
    }

    /// Page `page` (0-based) of the items in `files`, or the entity itself.
    fn page(&self, route: &str, files: &[PathBuf], page: usize) -> Answer {
        let mut context = None;
        let mut items = Vec::new();
        for file in files {
            let Ok(bytes) = std::fs::read(file) else {
                return Answer::error(
                    404,
                    "Request_ResourceNotFound",
                    "Resource does not exist or one of its queried reference-property objects are not present.",
                );
            };
            let Ok(value) = serde_json::from_slice::<Value>(&bytes) else {
                return Answer::error(500, "UnknownError", "fixture is not JSON");
            };
            let Some(list) = value.get("value").and_then(Value::as_array) else {
                // A single entity (settings).
                return Answer::ok(value);
            };
            context = context.or_else(|| value.get("@odata.context").cloned());
            items.extend(list.iter().cloned());
        }
        // The audit log can be bounded by date.
        if let Some((_, since)) = route.split_once("activityDateTime ge ") {
            items.retain(|item| {
                item["activityDateTime"]
                    .as_str()
                    .is_some_and(|t| t >= since)
            });
        }
        let size = self.page_size;
        let start = page.saturating_mul(size);
        if page > 0 && start >= items.len() {
            return Answer::error(400, "BadRequest", "$skiptoken is invalid or expired.");
        }
        let end = (start + size).min(items.len());
        let mut body = serde_json::Map::new();
        if let Some(context) = context {
            body.insert("@odata.context".into(), context);
        }
        if end < items.len() {
            let separator = if route.contains('?') { '&' } else { '?' };
            let next = format!(
                "{}/v1.0{route}{separator}$skiptoken={}",
                self.base,
                page + 1
            )
            .replace(' ', "%20");
            body.insert("@odata.nextLink".into(), json!(next));
        }
        body.insert("value".into(), Value::Array(items[start..end].to_vec()));
        Answer::ok(Value::Object(body))
    }
}
