//! The HTML report: one file with its styles inline, no scripts and nothing loaded from
//! elsewhere, in the app's colours and fonts. Every value is escaped.

use std::fmt::Write;

use crate::Report;
use crate::csv_out::{COLUMNS, PAGE_COLUMNS};
use crate::labels::{Label, status_text};

/// Text made safe for HTML content and attribute values.
pub(crate) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

// The app's look (ui/styles/app.css): its light theme's colours, system fonts, cards and badges.
const STYLE: &str = r#"
:root{--font:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Helvetica Neue",Arial,sans-serif;
--mono:ui-monospace,"SF Mono","Cascadia Mono",Menlo,"DejaVu Sans Mono",monospace;
--bg:#f4f6fa;--surface:#fff;--surface-2:#f0f3f8;--border:#dde3ec;--text:#172033;--muted:#5b6678;
--accent:#1f62d8;--accent-soft:#e6eefc;--ok-bg:#e5f6ec;--ok:#136c3a;--warn-bg:#fff3d6;--warn:#8a5a00;
--bad-bg:#fde8e8;--bad:#b42318;--neutral-bg:#eceff4;--neutral:#4a5568}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--text);font:14px/1.5 var(--font)}
.page{max-width:1280px;margin:0 auto;padding:32px 24px}
.top{display:flex;justify-content:space-between;align-items:baseline;gap:16px;flex-wrap:wrap;margin-bottom:16px}
.brand{font-weight:700;font-size:17px;color:var(--accent)}
.meta{color:var(--muted);font-size:13px}
.card{background:var(--surface);border:1px solid var(--border);border-radius:10px;padding:24px;margin:0 0 16px;box-shadow:0 1px 2px rgb(16 24 40/6%),0 1px 3px rgb(16 24 40/8%)}
h1{font-size:22px;line-height:1.3;margin:8px 0 12px}
h2{font-size:17px;margin:0 0 12px}
h3{font-size:14px;margin:16px 0 6px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
.note{background:var(--warn-bg);color:var(--warn);border-color:transparent}
.note h2{color:var(--warn)}
.badge{display:inline-block;padding:2px 10px;border-radius:999px;font-size:12px;font-weight:600;background:var(--neutral-bg);color:var(--neutral)}
.s-success{background:var(--ok-bg);color:var(--ok)}
.s-interrupted{background:var(--warn-bg);color:var(--warn)}
.s-failure,.s-suspicious{background:var(--bad-bg);color:var(--bad)}
.scenario{font-family:var(--mono);font-size:12px;color:var(--muted);margin-left:8px}
table{width:100%;border-collapse:collapse;font-size:13px}
th,td{text-align:left;vertical-align:top;padding:6px 8px;border-bottom:1px solid var(--border)}
th{background:var(--surface-2);font-weight:600}
td.id,td.code{font-family:var(--mono);font-size:12px;word-break:break-all}
.table-wrap{overflow-x:auto}
ol,ul{margin:0;padding-left:22px}
li{margin:4px 0}
a{color:var(--accent)}
footer{color:var(--muted);font-size:12px;text-align:center;margin-top:24px}
td.time{white-space:nowrap}
td.reason{min-width:12em}
td.upn{overflow-wrap:anywhere;min-width:10em}
#evidence td:first-child{width:35%}
@media screen and (prefers-color-scheme:dark){:root{--bg:#0f1420;--surface:#171d2b;--surface-2:#1d2535;--border:#2b3547;
--text:#e6eaf2;--muted:#9aa5b8;--accent:#7fb1ff;--accent-soft:#1d2c4a;--ok-bg:#12321f;--ok:#7ee2a8;--warn-bg:#3a2c0b;
--warn:#f7c95c;--bad-bg:#3d1717;--bad:#ff9b91;--neutral-bg:#252e3f;--neutral:#b7c0cf}}
@media print{body{background:#fff}.page{padding:0}td.time,td.reason,td.upn{white-space:normal;min-width:0}.card{box-shadow:none;break-inside:avoid-page}}
"#;

pub(crate) fn render(report: &Report) -> String {
    let lang = report.lang;
    let l = |label: Label| esc(label.text(lang));
    let mut h = String::new();
    let _ = writeln!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main class=\"page\">",
        lang.tag(),
        esc(&report.title()),
    );
    let mut meta = format!("{}: {}", l(Label::Count), report.rows.len());
    if let Some(at) = report.generated_at_text() {
        meta = format!("{}: {} · {meta}", l(Label::Generated), esc(&at));
    }
    let _ = writeln!(
        h,
        "<header class=\"top\"><div class=\"brand\">Sign-in Doctor</div><div class=\"meta\">{meta}</div></header>"
    );
    if let Some(counts) = report.redaction_counts() {
        let _ = writeln!(
            h,
            "<section class=\"card note\" id=\"redaction\"><h2>{}</h2><p>{}</p><p>{}</p></section>",
            l(Label::Redacted),
            l(Label::RedactedNote),
            esc(&counts),
        );
    }
    match &report.diagnosis {
        Some(d) => {
            let verdict = d.verdict.as_str();
            let _ = writeln!(
                h,
                "<section class=\"card\" id=\"diagnosis\"><div><span class=\"badge s-{verdict}\">{}: {}</span><span class=\"scenario\">{}</span></div>\
                 <h1>{}</h1><p class=\"meta\">{}</p><h3>{}</h3><p>{}</p></section>",
                l(Label::Verdict),
                esc(&status_text(verdict, lang)),
                esc(d.scenario),
                esc(&d.headline),
                esc(&report.ids_line(d)),
                l(Label::WhatHappened),
                esc(&d.what_happened),
            );
            let _ = write!(
                h,
                "<section class=\"card\" id=\"evidence\"><h2>{}</h2><table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
                l(Label::Evidence),
                l(Label::Field),
                l(Label::Value),
            );
            for e in &d.evidence {
                let _ = write!(
                    h,
                    "<tr><td class=\"code\">{}</td><td>{}</td></tr>",
                    esc(&e.field),
                    esc(&e.value)
                );
            }
            h.push_str("</tbody></table>");
            if !d.patterns.is_empty() {
                let _ = write!(h, "<h3>{}</h3><ul>", l(Label::Patterns));
                for p in &d.patterns {
                    let _ = write!(h, "<li>{}</li>", esc(&p.text));
                }
                h.push_str("</ul>");
            }
            h.push_str("</section>\n");
            let _ = write!(
                h,
                "<section class=\"card\" id=\"fixes\"><h2>{}</h2>",
                l(Label::WhatToDo)
            );
            for (label, steps) in crate::fixes(d) {
                let _ = write!(h, "<h3>{}</h3><ol>", l(label));
                for step in steps {
                    let _ = write!(h, "<li>{}</li>", esc(step));
                }
                h.push_str("</ol>");
            }
            if !d.links.is_empty() {
                let _ = write!(h, "<h3>{}</h3><ul>", l(Label::Links));
                for link in &d.links {
                    let _ = write!(
                        h,
                        "<li><a href=\"{}\" rel=\"noreferrer\">{}</a></li>",
                        esc(&link.url),
                        esc(&link.label)
                    );
                }
                h.push_str("</ul>");
            }
            h.push_str("</section>\n");
        }
        None => {
            let _ = writeln!(h, "<h1>{}</h1>", l(Label::ReportTitle));
        }
    }
    let _ = write!(
        h,
        "<section class=\"card\" id=\"timeline\"><h2>{}</h2>",
        l(Label::Timeline)
    );
    if let Some(d) = report.diagnosis.as_ref().filter(|d| !d.chain.is_empty()) {
        let _ = write!(
            h,
            "<h3>{}</h3><div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
            l(Label::Attempt),
            l(Label::TimeUtc),
            l(Label::Status),
            l(Label::ErrorCode),
            l(Label::RequestId),
        );
        for step in &d.chain {
            let _ = write!(
                h,
                "<tr><td class=\"time\">{}</td><td><span class=\"badge s-{}\">{}</span></td><td class=\"code\">{}</td><td class=\"id\">{}</td></tr>",
                esc(&step.created_date_time),
                step.status,
                esc(&status_text(step.status, lang)),
                step.error_code,
                esc(&step.request_id),
            );
        }
        h.push_str("</tbody></table></div>");
    }
    let _ = write!(h, "<h3>{}</h3>", l(Label::SignIns));
    if report.rows.is_empty() {
        let _ = write!(h, "<p>{}</p>", l(Label::NoSignIns));
    } else {
        h.push_str("<div class=\"table-wrap\"><table><thead><tr>");
        for &i in &PAGE_COLUMNS {
            let _ = write!(h, "<th scope=\"col\">{}</th>", l(COLUMNS[i].0));
        }
        h.push_str("</tr></thead><tbody>");
        for row in &report.rows {
            h.push_str("<tr>");
            for &i in &PAGE_COLUMNS {
                let (label, value) = COLUMNS[i];
                let text = esc(&value(row, lang));
                if label == Label::Status {
                    let _ = write!(
                        h,
                        "<td><span class=\"badge s-{}\">{text}</span></td>",
                        row.summary.status
                    );
                } else {
                    let class = match label {
                        Label::TimeUtc => " class=\"time\"",
                        Label::FailureReason => " class=\"reason\"",
                        Label::Username => " class=\"upn\"",
                        _ => "",
                    };
                    let _ = write!(h, "<td{class}>{text}</td>");
                }
            }
            h.push_str("</tr>");
        }
        h.push_str("</tbody></table></div>");
    }
    h.push_str("</section>\n");
    let _ = writeln!(
        h,
        "<footer>{}</footer>\n</main>\n</body>\n</html>",
        l(Label::MadeWith)
    );
    h
}
