//! Fetching sign-ins from Graph beta `/auditLogs/signIns`, politely and without losing any.
//!
//! * Pages of up to 1,000 events, following `@odata.nextLink` to the end.
//! * Paced under the reports API's limit (5 requests per 10 seconds per app and tenant), so
//!   throttling is the exception; on 429 the `Retry-After` pause is honoured.
//! * 5xx answers and timeouts are retried with growing, jittered pauses. A time window whose
//!   first page keeps timing out is split in two and each half fetched on its own.
//! * A 401 (the token expired mid-way) gets a fresh token and the same page again.
//! * Events are handed on page by page, each request ID once, so a caller can show progress and
//!   save as it goes; cancelling stops at the next pause or request. A page is handed on while
//!   Graph answers the request for the next one (or during the pause before it), so storing a
//!   page does not slow the fetch down; a page that arrived is handed on even when a later
//!   request fails or is cancelled.

use signin_core::messages::Message;
use std::collections::{HashSet, VecDeque};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use rand::Rng as _;
use serde::Deserialize;
use serde_json::value::RawValue;
use signin_core::Criteria;
use tokio_util::sync::CancellationToken;
use url::Url;

use super::filter;
use crate::error::{GraphError, LiveError};
use crate::oauth::network_error;
use crate::session::{Notice, Session};

/// How many requests may start within a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pace {
    pub requests: u32,
    pub per: Duration,
}

impl Pace {
    /// Graph's documented limit for the identity and access reports, 5 requests per 10 seconds
    /// per app per tenant. Graph counts a request when it arrives, so the pacer counts each
    /// request's period from the latest moment it may have arrived: when its answer came back,
    /// or half a second after it was sent when that is sooner.
    pub const GRAPH_REPORTS: Pace = Pace {
        requests: 5,
        per: Duration::from_secs(10),
    };
}

/// How long a request may take to reach Graph. A request arrived before its answer came back,
/// and (we assume) within this long after it was sent; its period under the [`Pace`] starts at
/// whichever is sooner. So a slow network cannot push a request into the previous period, and a
/// quick answer lets the next period start early.
const NETWORK_MARGIN: Duration = Duration::from_millis(500);

/// How to fetch.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// Events per page, at most 1,000 (Graph's maximum).
    pub page_size: u32,
    pub pace: Pace,
    /// How long one request may take before it counts as timed out.
    pub request_timeout: Duration,
    /// Retries of one request after a 5xx answer, a timeout or a dropped connection.
    pub max_retries: u32,
    /// 429 answers in a row before giving up.
    pub max_throttled: u32,
    /// The longest `Retry-After` pause honoured as given.
    pub max_pause: Duration,
    /// A window is not split below this span.
    pub min_split: chrono::Duration,
    /// The event types to list (Graph beta lists interactive sign-ins only unless asked).
    pub event_types: Vec<String>,
    /// The first pause after a failed request; it doubles each time.
    pub backoff: Duration,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            page_size: 1000,
            pace: Pace::GRAPH_REPORTS,
            request_timeout: Duration::from_secs(90),
            max_retries: 5,
            max_throttled: 30,
            max_pause: Duration::from_secs(300),
            min_split: chrono::Duration::minutes(10),
            event_types: filter::EVENT_TYPES
                .iter()
                .map(|t| (*t).to_owned())
                .collect(),
            backoff: Duration::from_secs(2),
        }
    }
}

/// Events of one page that were not seen before in this fetch, as Graph sent them.
#[derive(Debug)]
pub struct Page {
    /// 1-based.
    pub number: u32,
    pub events: Vec<Box<RawValue>>,
    /// Events of this page already handed on (a window boundary or a retried page).
    pub duplicates: u64,
}

impl Page {
    /// The page's new events as a JSON array, the shape the importers read.
    pub fn to_json_array(&self) -> String {
        let mut text =
            String::with_capacity(self.events.iter().map(|e| e.get().len() + 1).sum::<usize>() + 2);
        text.push('[');
        for (i, event) in self.events.iter().enumerate() {
            if i > 0 {
                text.push(',');
            }
            text.push_str(event.get());
        }
        text.push(']');
        text
    }
}

/// What a fetch is doing, for progress displays.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A request is about to be sent.
    Request { page: u32 },
    /// Waiting before the next request, and why.
    Waiting { pause: Duration, reason: WaitReason },
    /// A window kept timing out and is fetched as two halves.
    Split {
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    },
    /// Something the admin should know (permissions, retention).
    Notice(Notice),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitReason {
    /// Keeping under Graph's request limit.
    Pacing,
    /// Graph answered 429 and asked for this pause.
    Throttled,
    /// Graph failed or did not answer; trying again.
    Retrying,
}

/// What a finished fetch did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FetchSummary {
    pub requests: u32,
    pub pages: u32,
    /// Distinct events handed on.
    pub events: u64,
    pub duplicates: u64,
    pub throttled: u32,
    pub retried: u32,
    pub splits: u32,
    pub token_refreshes: u32,
}

#[derive(Deserialize)]
struct GraphPage<'a> {
    #[serde(borrow, default)]
    value: Vec<&'a RawValue>,
    #[serde(rename = "@odata.nextLink", default)]
    next_link: Option<String>,
}

#[derive(Deserialize)]
struct IdOnly<'a> {
    #[serde(borrow)]
    id: std::borrow::Cow<'a, str>,
}

/// A note for a time window that reaches past what Entra keeps.
pub fn retention_notice(from: DateTime<Utc>, now: DateTime<Utc>) -> Option<Notice> {
    (from < now - chrono::Duration::days(30))
        .then(|| Notice::Said(Message::new("live.notice.retention")))
}

/// Asks Graph for a single sign-in, right after signing in, to learn whether this account can
/// read the logs at all: a missing licence, role or permission is then explained before the
/// admin searches, not after. Uses one request of the pace's budget.
pub async fn preflight(session: &Session) -> Vec<Notice> {
    let check = async {
        let mut url = sign_ins_url(&session.graph_base()?)?;
        url.query_pairs_mut().append_pair("$top", "1");
        let token = session.token(false).await?;
        let response = session
            .http()
            .get(url.clone())
            .bearer_auth(token.secret.expose())
            .timeout(Duration::from_secs(60))
            .send()
            .await
            .map_err(|e| network_error(&url, &e))?;
        let status = response.status().as_u16();
        if (200..300).contains(&status) || status == 429 {
            return Ok(());
        }
        let body = response.text().await.unwrap_or_default();
        Err(LiveError::from(GraphError::from_body(status, &body)))
    };
    match check.await {
        Ok(()) => Vec::new(),
        Err(e) => vec![Notice::CannotListYet(Box::new(e))],
    }
}

/// Starts requests no faster than a [`Pace`].
#[derive(Debug)]
struct Pacer {
    pace: Pace,
    /// For each recent request, the latest moment Graph may have received it.
    arrived: VecDeque<Instant>,
}

impl Pacer {
    fn new(pace: Pace) -> Pacer {
        Pacer {
            pace,
            arrived: VecDeque::new(),
        }
    }

    /// How long to wait before the next request may start.
    fn delay(&mut self, now: Instant) -> Duration {
        let per = self.pace.per;
        while self
            .arrived
            .front()
            .is_some_and(|t| now.saturating_duration_since(*t) >= per)
        {
            self.arrived.pop_front();
        }
        if self.arrived.len() < self.pace.requests as usize {
            return Duration::ZERO;
        }
        let oldest = self.arrived[self.arrived.len() - self.pace.requests as usize];
        (oldest + per).saturating_duration_since(now)
    }

    /// A request was sent `at`.
    fn record(&mut self, at: Instant) {
        self.arrived.push_back(at + NETWORK_MARGIN);
    }

    /// The last request's answer came back `at`: Graph had it by then.
    fn answered(&mut self, at: Instant) {
        if let Some(last) = self.arrived.back_mut() {
            *last = (*last).min(at);
        }
    }
}

/// Hands on the page in hand, if any.
fn hand_on(
    page: &mut Option<Page>,
    on_page: &mut (dyn FnMut(Page) -> Result<(), LiveError> + Send),
) -> Result<(), LiveError> {
    match page.take() {
        Some(page) => on_page(page),
        None => Ok(()),
    }
}

/// A request running on its own task, so the page before it can be stored meanwhile. Dropping
/// it abandons the request.
struct Exchange(tokio::task::JoinHandle<Answer>);

/// Status (0: no answer), `Retry-After`, body (or what went wrong), and whether it timed out.
type Answer = (u16, Option<Duration>, String, bool);

impl Exchange {
    fn start(request: reqwest::RequestBuilder, url: Url) -> Exchange {
        Exchange(tokio::spawn(async move {
            let response = match request.send().await {
                Ok(response) => response,
                Err(e) => return (0, None, network_error(&url, &e).to_string(), e.is_timeout()),
            };
            let status = response.status().as_u16();
            let retry_after = response
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(Duration::from_secs);
            match response.text().await {
                Ok(body) => (status, retry_after, body, false),
                Err(e) => (0, None, network_error(&url, &e).to_string(), e.is_timeout()),
            }
        }))
    }

    async fn answer(&mut self, cancel: &CancellationToken) -> Result<Answer, LiveError> {
        // Cancel first: a Cancel pressed while the page before was being stored wins over an
        // answer that came meanwhile.
        tokio::select! {
            biased;
            () = cancel.cancelled() => Err(LiveError::Cancelled),
            answer = &mut self.0 => answer.map_err(|e| {
                LiveError::Network(Message::new("live.fetch.stopped").with("detail", e))
            }),
        }
    }
}

impl Drop for Exchange {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// One time window still to fetch; `next` is the page link once paging started.
#[derive(Debug)]
struct Window {
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    next: Option<String>,
}

enum Outcome {
    Page(String),
    /// Timed out or 504: the window may be split.
    Slow(String),
}

/// Fetches every sign-in meeting `criteria` in `from..=to`. `on_page` receives each page's new
/// events (return an error to stop); `on_event` hears about pauses, splits and notices.
#[allow(clippy::too_many_arguments)]
pub async fn fetch(
    session: &Session,
    criteria: &Criteria,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    options: &FetchOptions,
    cancel: &CancellationToken,
    on_page: &mut (dyn FnMut(Page) -> Result<(), LiveError> + Send),
    on_event: &mut (dyn FnMut(Event) + Send),
) -> Result<FetchSummary, LiveError> {
    if from > to {
        return Err(LiveError::InvalidInput(Message::new(
            "live.fetch.window-backwards",
        )));
    }
    if let Some(notice) = retention_notice(from, Utc::now()) {
        on_event(Event::Notice(notice));
    }
    for notice in session.notices().await? {
        on_event(Event::Notice(notice));
    }
    let base = session.graph_base()?;
    let event_types: Vec<&str> = options.event_types.iter().map(String::as_str).collect();
    let mut pacer = Pacer::new(options.pace);
    let mut summary = FetchSummary::default();
    // The last page that arrived, handed on while the next request runs.
    let mut in_hand: Option<Page> = None;
    let mut seen: HashSet<String> = HashSet::new();
    // Newest first, as Graph orders events.
    let mut windows = vec![Window {
        from,
        to,
        next: None,
    }];
    while let Some(mut window) = windows.pop() {
        loop {
            let url = match &window.next {
                Some(link) => Url::parse(link).map_err(|e| {
                    LiveError::Network(Message::new("live.fetch.bad-next-link").with("detail", e))
                })?,
                None => first_page_url(&base, criteria, &window, &event_types, options.page_size)?,
            };
            let first_page = window.next.is_none();
            let outcome = request(
                session,
                &url,
                options,
                cancel,
                &mut pacer,
                &mut summary,
                (&mut in_hand, &mut *on_page),
                on_event,
                first_page,
            )
            .await;
            let outcome = match outcome {
                Ok(outcome) => outcome,
                Err(e) => {
                    // What arrived is kept, whatever stopped the fetch.
                    hand_on(&mut in_hand, on_page)?;
                    return Err(e);
                }
            };
            let body = match outcome {
                Outcome::Page(body) => body,
                Outcome::Slow(why) => {
                    let span = window.to - window.from;
                    if span < options.min_split * 2 {
                        return Err(LiveError::Network(
                            Message::new("live.fetch.keeps-failing")
                                .with("from", window.from)
                                .with("to", window.to)
                                .with("detail", why),
                        ));
                    }
                    let middle = window.from + span / 2;
                    summary.splits += 1;
                    on_event(Event::Split {
                        from: window.from,
                        to: window.to,
                    });
                    // The older half waits; the newer half goes next.
                    windows.push(Window {
                        from: window.from,
                        to: middle,
                        next: None,
                    });
                    windows.push(Window {
                        from: middle,
                        to: window.to,
                        next: None,
                    });
                    break;
                }
            };
            let page: GraphPage<'_> = serde_json::from_str(&body).map_err(|e| {
                LiveError::Network(Message::new("live.fetch.unreadable-page").with("detail", e))
            })?;
            summary.pages += 1;
            let mut fresh = Vec::with_capacity(page.value.len());
            let mut duplicates = 0;
            for event in page.value {
                let id = serde_json::from_str::<IdOnly<'_>>(event.get())
                    .map(|i| i.id.trim().to_ascii_lowercase())
                    .unwrap_or_default();
                if id.is_empty() || seen.insert(id) {
                    fresh.push(event.to_owned());
                } else {
                    duplicates += 1;
                }
            }
            summary.events += fresh.len() as u64;
            summary.duplicates += duplicates;
            in_hand = Some(Page {
                number: summary.pages,
                events: fresh,
                duplicates,
            });
            match page.next_link {
                Some(next) => window.next = Some(next),
                None => break,
            }
        }
    }
    hand_on(&mut in_hand, on_page)?;
    Ok(summary)
}

/// Graph beta's sign-in list under `base`.
fn sign_ins_url(base: &Url) -> Result<Url, LiveError> {
    let mut url = base.clone();
    url.path_segments_mut()
        .map_err(|()| {
            LiveError::InvalidInput(Message::new("live.fetch.no-path").with("address", base))
        })?
        .pop_if_empty()
        .extend(["beta", "auditLogs", "signIns"]);
    Ok(url)
}

fn first_page_url(
    base: &Url,
    criteria: &Criteria,
    window: &Window,
    event_types: &[&str],
    page_size: u32,
) -> Result<Url, LiveError> {
    let mut url = sign_ins_url(base)?;
    url.query_pairs_mut()
        .append_pair(
            "$filter",
            &filter::build(criteria, window.from, window.to, event_types),
        )
        .append_pair("$top", &page_size.clamp(1, 1000).to_string());
    Ok(url)
}

/// Sends one page request until it succeeds, fails for good, or (for a first page) is slow.
/// The page in hand is handed on once the request is sent, or before a pause.
#[allow(clippy::too_many_arguments)]
async fn request(
    session: &Session,
    url: &Url,
    options: &FetchOptions,
    cancel: &CancellationToken,
    pacer: &mut Pacer,
    summary: &mut FetchSummary,
    (in_hand, on_page): (
        &mut Option<Page>,
        &mut (dyn FnMut(Page) -> Result<(), LiveError> + Send),
    ),
    on_event: &mut (dyn FnMut(Event) + Send),
    may_split: bool,
) -> Result<Outcome, LiveError> {
    let mut failures = 0u32;
    let mut throttled = 0u32;
    let mut refreshed = false;
    loop {
        if !pacer.delay(Instant::now()).is_zero() {
            // Store the page in hand first: the pause then starts from where it ends.
            hand_on(in_hand, on_page)?;
            let delay = pacer.delay(Instant::now());
            if !delay.is_zero() {
                on_event(Event::Waiting {
                    pause: delay,
                    reason: WaitReason::Pacing,
                });
                pause(delay, cancel).await?;
            }
        }
        let token = session.token(false).await?;
        on_event(Event::Request {
            page: summary.pages + 1,
        });
        pacer.record(Instant::now());
        summary.requests += 1;
        let mut exchange = Exchange::start(
            session
                .http()
                .get(url.clone())
                .bearer_auth(token.secret.expose())
                .header("Prefer", "include-unknown-enum-members")
                .header("Accept", "application/json")
                .timeout(options.request_timeout),
            url.clone(),
        );
        // Graph works on the request while the page before it is stored.
        hand_on(in_hand, on_page)?;
        // Status 0: no answer (a dropped connection or a timeout, told apart by `timed_out`).
        let (status, retry_after, body, timed_out) = exchange.answer(cancel).await?;
        if status != 0 {
            pacer.answered(Instant::now());
        }
        match status {
            200..=299 => return Ok(Outcome::Page(body)),
            401 if !refreshed => {
                refreshed = true;
                summary.token_refreshes += 1;
                session.token(true).await?;
            }
            429 => {
                throttled += 1;
                summary.throttled += 1;
                if throttled > options.max_throttled {
                    return Err(LiveError::from(GraphError::from_body(429, &body)));
                }
                let wait = retry_after
                    .unwrap_or_else(|| backoff(options.backoff, throttled))
                    .min(options.max_pause);
                on_event(Event::Waiting {
                    pause: wait,
                    reason: WaitReason::Throttled,
                });
                pause(wait, cancel).await?;
            }
            0 | 500 | 502 | 503 | 504 => {
                let slow = timed_out || status == 504;
                if slow && may_split && failures >= 1 {
                    return Ok(Outcome::Slow(body));
                }
                failures += 1;
                summary.retried += 1;
                if failures > options.max_retries {
                    return Err(if status == 0 {
                        LiveError::Network(
                            Message::new("live.fetch.no-answer")
                                .with("tries", failures)
                                .with("detail", body),
                        )
                    } else {
                        LiveError::from(GraphError::from_body(status, &body))
                    });
                }
                let wait = retry_after
                    .unwrap_or_else(|| backoff(options.backoff, failures))
                    .min(options.max_pause);
                on_event(Event::Waiting {
                    pause: wait,
                    reason: WaitReason::Retrying,
                });
                pause(wait, cancel).await?;
            }
            _ => return Err(LiveError::from(GraphError::from_body(status, &body))),
        }
    }
}

/// `first` doubled for each earlier attempt, with up to a quarter of random jitter.
fn backoff(first: Duration, attempt: u32) -> Duration {
    let base = first.saturating_mul(1 << attempt.saturating_sub(1).min(6));
    let jitter = rand::rng().random_range(0.0..0.25);
    base + base.mul_f64(jitter)
}

async fn pause(duration: Duration, cancel: &CancellationToken) -> Result<(), LiveError> {
    tokio::select! {
        () = tokio::time::sleep(duration) => Ok(()),
        () = cancel.cancelled() => Err(LiveError::Cancelled),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pacer_allows_a_burst_then_spaces_requests() {
        let pace = Pace {
            requests: 5,
            per: Duration::from_secs(10),
        };
        let mut pacer = Pacer::new(pace);
        let start = Instant::now();
        for i in 0..5 {
            let at = start + Duration::from_millis(i * 100);
            assert_eq!(pacer.delay(at), Duration::ZERO);
            pacer.record(at);
            pacer.answered(at + Duration::from_millis(20));
        }
        // The sixth waits until the first answer is ten seconds old.
        let now = start + Duration::from_millis(500);
        assert_eq!(pacer.delay(now), Duration::from_millis(9520));
        let later = start + Duration::from_millis(10_020);
        assert_eq!(pacer.delay(later), Duration::ZERO);
    }

    #[test]
    fn a_slow_answer_counts_from_the_network_margin() {
        let pace = Pace {
            requests: 1,
            per: Duration::from_secs(10),
        };
        let mut pacer = Pacer::new(pace);
        let start = Instant::now();
        pacer.record(start);
        // Unanswered (or answered late): Graph may have got it up to the margin after sending.
        assert_eq!(pacer.delay(start), Duration::from_secs(10) + NETWORK_MARGIN);
        pacer.answered(start + Duration::from_secs(3));
        assert_eq!(pacer.delay(start), Duration::from_secs(10) + NETWORK_MARGIN);
        assert_eq!(pacer.delay(start + Duration::from_secs(10)), NETWORK_MARGIN);
    }

    #[test]
    fn backoff_grows_and_stays_bounded() {
        let first = Duration::from_secs(2);
        let one = backoff(first, 1);
        assert!(one >= first && one <= first.mul_f64(1.25));
        let three = backoff(first, 3);
        assert!(three >= Duration::from_secs(8) && three <= Duration::from_secs(10));
        assert!(backoff(first, 40) <= Duration::from_secs(160));
    }

    #[test]
    fn retention_is_30_days() {
        let now = Utc::now();
        assert!(retention_notice(now - chrono::Duration::days(29), now).is_none());
        assert!(retention_notice(now - chrono::Duration::days(31), now).is_some());
    }
}
