//! Getting an access token for Graph: the OAuth 2.0 device authorization grant (RFC 8628)
//! against the Microsoft identity platform, or a token from an environment variable.
//!
//! Tokens only ever live in an [`AccessToken`] or a [`RefreshToken`], whose `Debug` hides them
//! and which have no `Display`: they reach the `Authorization` header and the token endpoint and
//! nothing else (no file, log, manifest or error message).

use std::time::Duration;

use anyhow::{Context, Result, bail};
use serde::Deserialize;

/// A bearer token. Deliberately neither `Display` nor a revealing `Debug`.
pub(crate) struct AccessToken(String);

/// A refresh token (device code sign-in asks for `offline_access`), used to renew the access
/// token when Graph rejects it as expired during a long collection. Hidden like the token.
pub(crate) struct RefreshToken(String);

impl std::fmt::Debug for RefreshToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RefreshToken(<hidden>)")
    }
}

/// What the token endpoint hands out.
#[derive(Debug)]
pub(crate) struct Tokens {
    pub(crate) access: AccessToken,
    pub(crate) refresh: Option<RefreshToken>,
}

impl std::fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AccessToken(<hidden>)")
    }
}

impl AccessToken {
    #[cfg(test)]
    pub(crate) fn new(token: String) -> AccessToken {
        AccessToken(token)
    }

    /// The token from `--token-env VAR`; a leading `Bearer ` is accepted and dropped.
    pub(crate) fn from_env(var: &str) -> Result<AccessToken> {
        let value = std::env::var(var).map_err(|e| match e {
            std::env::VarError::NotPresent => {
                anyhow::anyhow!("environment variable `{var}` (--token-env) is not set")
            }
            std::env::VarError::NotUnicode(_) => {
                anyhow::anyhow!("environment variable `{var}` (--token-env) is not valid text")
            }
        })?;
        let token = value.trim();
        let token = token
            .strip_prefix("Bearer ")
            .or_else(|| token.strip_prefix("bearer "))
            .unwrap_or(token)
            .trim();
        if token.is_empty() {
            bail!("environment variable `{var}` (--token-env) is empty");
        }
        if token.chars().any(|c| c.is_whitespace() || c.is_control()) {
            bail!("environment variable `{var}` (--token-env) does not hold a single access token");
        }
        Ok(AccessToken(token.to_owned()))
    }

    /// The value of the `Authorization` header.
    pub(crate) fn header(&self) -> String {
        format!("Bearer {}", self.0)
    }

    /// The tenant the token was issued by (its `tid` claim), read without verifying the token
    /// (Graph does that); `None` when the token is not a JWT with such a claim.
    pub(crate) fn tenant_id(&self) -> Option<String> {
        let payload = self.0.split('.').nth(1)?;
        let bytes = base64url_decode(payload)?;
        let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
        let tid = claims.get("tid")?.as_str()?;
        // A tenant id is a GUID; anything else is not trusted into the manifest.
        (tid.len() == 36 && tid.chars().all(|c| c.is_ascii_hexdigit() || c == '-'))
            .then(|| tid.to_ascii_lowercase())
    }
}

/// Decodes unpadded (or padded) base64url.
fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer = 0u32;
    let mut bits = 0u32;
    for byte in text.trim_end_matches('=').bytes() {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((buffer >> bits) & 0xff).ok()?);
        }
    }
    Some(out)
}

/// The device authorization response (`/devicecode`).
#[derive(Debug, Deserialize)]
pub(crate) struct DeviceCode {
    pub(crate) device_code: String,
    #[serde(default)]
    pub(crate) user_code: String,
    #[serde(default)]
    pub(crate) verification_uri: String,
    /// Seconds until the device code expires.
    pub(crate) expires_in: u64,
    /// Seconds to wait between polls (default 5, RFC 8628 §3.2).
    #[serde(default = "default_interval")]
    pub(crate) interval: u64,
    /// The identity platform's instruction for the user ("To sign in, use a web browser…").
    #[serde(default)]
    pub(crate) message: Option<String>,
}

fn default_interval() -> u64 {
    5
}

/// A token endpoint answer while polling.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct TokenAnswer {
    #[serde(default)]
    access_token: Option<String>,
    #[serde(default)]
    refresh_token: Option<String>,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    error_description: Option<String>,
}

/// What a poll of the token endpoint said.
#[derive(Debug)]
pub(crate) enum Poll {
    Token(Tokens),
    Pending,
    SlowDown,
}

impl TokenAnswer {
    /// Interprets the answer (RFC 8628 §3.5): a token, keep polling, slow down, or a reason to
    /// stop.
    pub(crate) fn into_poll(self) -> Result<Poll> {
        if let Some(token) = self.access_token.filter(|t| !t.is_empty()) {
            return Ok(Poll::Token(Tokens {
                access: AccessToken(token),
                refresh: self
                    .refresh_token
                    .filter(|t| !t.is_empty())
                    .map(RefreshToken),
            }));
        }
        let description = self
            .error_description
            .as_deref()
            .and_then(|d| d.lines().next())
            .unwrap_or("")
            .to_owned();
        match self.error.as_deref() {
            Some("authorization_pending") => Ok(Poll::Pending),
            Some("slow_down") => Ok(Poll::SlowDown),
            Some("expired_token" | "code_expired") => bail!(
                "the sign-in code expired before sign-in completed: run the command again \
                 and sign in within the time shown"
            ),
            Some("authorization_declined" | "access_denied") => {
                bail!("sign-in was declined: {description}")
            }
            Some(other) => bail!("sign-in failed ({other}): {description}"),
            None => bail!("the token endpoint answered neither a token nor an error"),
        }
    }
}

/// Polls the token endpoint until the user has signed in, waiting `interval` seconds between
/// polls and 5 seconds more after each `slow_down`, for at most `expires_in` seconds of waiting.
/// `poll` asks the token endpoint once; `sleep` waits (both injected for tests).
pub(crate) fn poll_for_token(
    code: &DeviceCode,
    mut poll: impl FnMut() -> Result<Poll>,
    mut sleep: impl FnMut(Duration),
) -> Result<Tokens> {
    let mut interval = code.interval.max(1);
    let mut waited = 0u64;
    loop {
        if waited >= code.expires_in {
            bail!(
                "the sign-in code expired after {} seconds without sign-in: run the command \
                 again",
                code.expires_in
            );
        }
        sleep(Duration::from_secs(interval));
        waited += interval;
        match poll().context("cannot get a token (device code sign-in)")? {
            Poll::Token(token) => return Ok(token),
            Poll::Pending => {}
            Poll::SlowDown => interval += 5,
        }
    }
}

/// Where to sign in: `{login_url}/{tenant}/oauth2/v2.0/…`.
pub(crate) struct DeviceFlow {
    pub(crate) agent: ureq::Agent,
    pub(crate) login_url: String,
    /// A tenant id or domain, or `organizations` (the account's home tenant).
    pub(crate) tenant: String,
    pub(crate) client_id: String,
    /// Graph's `/.default` scope (the app's consented permissions).
    pub(crate) scope: String,
}

impl DeviceFlow {
    /// The scopes asked for: Graph's, and `offline_access` for a refresh token.
    fn scopes(&self) -> String {
        format!("{} offline_access", self.scope)
    }

    fn endpoint(&self, name: &str) -> String {
        format!(
            "{}/{}/oauth2/v2.0/{name}",
            self.login_url.trim_end_matches('/'),
            self.tenant
        )
    }

    /// Signs in: asks for a device code, shows the instruction through `show` (the user opens
    /// the page and types the code), then polls the token endpoint until the user has signed in.
    pub(crate) fn sign_in(&self, show: impl FnOnce(&str)) -> Result<Tokens> {
        let url = self.endpoint("devicecode");
        let (status, body) = post_form(
            &self.agent,
            &url,
            &[("client_id", &self.client_id), ("scope", &self.scopes())],
        )
        .with_context(|| format!("cannot reach the sign-in endpoint {url}"))?;
        if !(200..300).contains(&status) {
            let answer: TokenAnswer = serde_json::from_slice(&body).unwrap_or_default();
            let reason = answer
                .error_description
                .as_deref()
                .and_then(|d| d.lines().next())
                .or(answer.error.as_deref())
                .unwrap_or("no reason given")
                .to_owned();
            bail!(
                "the identity platform refused the device code request (HTTP {status}): \
                 {reason}; check --client-id, --tenant and that the app registration allows \
                 public client flows"
            );
        }
        let code: DeviceCode = serde_json::from_slice(&body)
            .context("the device code answer is not what the identity platform sends")?;
        let message = code.message.clone().unwrap_or_else(|| {
            format!(
                "To sign in, open {} in a browser and enter the code {}.",
                code.verification_uri, code.user_code
            )
        });
        show(&message);
        let token_url = self.endpoint("token");
        poll_for_token(
            &code,
            || {
                let (_, body) = post_form(
                    &self.agent,
                    &token_url,
                    &[
                        ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
                        ("client_id", &self.client_id),
                        ("device_code", &code.device_code),
                    ],
                )
                .with_context(|| format!("cannot reach the token endpoint {token_url}"))?;
                serde_json::from_slice::<TokenAnswer>(&body)
                    .context("the token endpoint's answer is not JSON")?
                    .into_poll()
            },
            std::thread::sleep,
        )
    }

    /// A new access token (and perhaps a new refresh token) for a refresh token.
    pub(crate) fn refresh(&self, refresh: &RefreshToken) -> Result<Tokens> {
        let url = self.endpoint("token");
        let (_, body) = post_form(
            &self.agent,
            &url,
            &[
                ("grant_type", "refresh_token"),
                ("client_id", &self.client_id),
                ("refresh_token", &refresh.0),
                ("scope", &self.scopes()),
            ],
        )
        .with_context(|| format!("cannot reach the token endpoint {url}"))?;
        match serde_json::from_slice::<TokenAnswer>(&body)
            .context("the token endpoint's answer is not JSON")?
            .into_poll()?
        {
            Poll::Token(tokens) => Ok(tokens),
            Poll::Pending | Poll::SlowDown => {
                bail!("the token endpoint did not renew the token: sign in again")
            }
        }
    }
}

/// POSTs a form; returns the status and body (at most 1 MB).
fn post_form(
    agent: &ureq::Agent,
    url: &str,
    form: &[(&str, &str)],
) -> Result<(u16, Vec<u8>), ureq::Error> {
    let mut response = agent
        .post(url)
        .header("Accept", "application/json")
        .send_form(form.iter().copied())?;
    let status = response.status().as_u16();
    let body = response
        .body_mut()
        .with_config()
        .limit(1024 * 1024)
        .read_to_vec()?;
    Ok((status, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(interval: u64, expires_in: u64) -> DeviceCode {
        DeviceCode {
            device_code: "dc".into(),
            user_code: "ABC".into(),
            verification_uri: "https://microsoft.com/devicelogin".into(),
            expires_in,
            interval,
            message: None,
        }
    }

    fn answer(json: &str) -> Result<Poll> {
        serde_json::from_str::<TokenAnswer>(json)
            .unwrap()
            .into_poll()
    }

    #[test]
    fn pending_then_slow_down_then_token() {
        let mut answers = vec![
            r#"{"error":"authorization_pending"}"#,
            r#"{"error":"slow_down"}"#,
            r#"{"error":"authorization_pending"}"#,
            r#"{"access_token":"t0k3n","token_type":"Bearer","expires_in":3600}"#,
        ]
        .into_iter();
        let mut sleeps = Vec::new();
        let token = poll_for_token(
            &code(2, 900),
            || answer(answers.next().unwrap()),
            |d| sleeps.push(d.as_secs()),
        )
        .unwrap();
        assert!(token.refresh.is_none());
        let token = token.access;
        assert_eq!(token.header(), "Bearer t0k3n");
        assert_eq!(sleeps, [2, 2, 7, 7]);
        assert_eq!(format!("{token:?}"), "AccessToken(<hidden>)");
    }

    #[test]
    fn expired_and_declined_stop_with_a_reason() {
        let err = poll_for_token(
            &code(1, 900),
            || answer(r#"{"error":"expired_token","error_description":"AADSTS70020: expired"}"#),
            |_| {},
        )
        .unwrap_err();
        assert!(format!("{err:#}").contains("expired before sign-in completed"));
        let err = poll_for_token(
            &code(1, 900),
            || answer(r#"{"error":"authorization_declined","error_description":"no"}"#),
            |_| {},
        )
        .unwrap_err();
        assert!(format!("{err:#}").contains("declined"));
        // Never signing in ends when the code expires.
        let mut polls = 0;
        let err = poll_for_token(
            &code(5, 12),
            || {
                polls += 1;
                answer(r#"{"error":"authorization_pending"}"#)
            },
            |_| {},
        )
        .unwrap_err();
        assert_eq!(polls, 3);
        assert!(format!("{err:#}").contains("expired after 12 seconds"));
    }

    #[test]
    fn tenant_comes_from_the_tid_claim() {
        // {"alg":"none"} . {"tid":"72F988BF-86F1-41AF-91AB-2D7CD011DB47","aud":"x"} . sig
        let payload = "eyJ0aWQiOiI3MkY5ODhCRi04NkYxLTQxQUYtOTFBQi0yRDdDRDAxMURCNDciLCJhdWQiOiJ4In0";
        let token = AccessToken(format!("eyJhbGciOiJub25lIn0.{payload}.c2ln"));
        assert_eq!(
            token.tenant_id().as_deref(),
            Some("72f988bf-86f1-41af-91ab-2d7cd011db47")
        );
        assert_eq!(AccessToken("opaque".into()).tenant_id(), None);
    }
}
