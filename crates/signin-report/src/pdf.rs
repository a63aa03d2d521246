//! The PDF report: the HTML report's content on A4 pages, drawn with krilla in DejaVu Sans
//! (embedded and subsetted, so names like "Zoë Müller" print everywhere and the text can be
//! searched and copied). Laid out in two passes: first into pages of simple drawing steps,
//! then drawn.

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule};
use krilla::text::{Font, TextDirection};

use crate::csv_out::COLUMNS;
use crate::labels::{Label, status_text};
use crate::{Report, ReportError};

const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 48.0;
const BOTTOM: f32 = PAGE_H - MARGIN - 16.0;
const WIDTH: f32 = PAGE_W - 2.0 * MARGIN;

type Rgb = (u8, u8, u8);
const TEXT: Rgb = (0x17, 0x20, 0x33);
const MUTED: Rgb = (0x5b, 0x66, 0x78);
const ACCENT: Rgb = (0x1f, 0x62, 0xd8);
const BORDER: Rgb = (0xdd, 0xe3, 0xec);
const HEAD_BG: Rgb = (0xf0, 0xf3, 0xf8);
const NOTE_BG: Rgb = (0xff, 0xf3, 0xd6);
const NOTE_TEXT: Rgb = (0x8a, 0x5a, 0x00);

/// The colours of a verdict or status badge: background and text.
fn badge(status: &str) -> (Rgb, Rgb) {
    match status {
        "success" => ((0xe5, 0xf6, 0xec), (0x13, 0x6c, 0x3a)),
        "interrupted" => (NOTE_BG, NOTE_TEXT),
        "failure" | "suspicious" => ((0xfd, 0xe8, 0xe8), (0xb4, 0x23, 0x18)),
        _ => ((0xec, 0xef, 0xf4), (0x4a, 0x55, 0x68)),
    }
}

#[derive(Debug)]
enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        color: Rgb,
        text: String,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        color: Rgb,
    },
}

/// Measures text in the embedded fonts. Advances of Latin characters (most of any report) are
/// looked up once, as the font's tables are slow to read character by character.
struct Metrics {
    regular: Face,
    bold: Face,
}

/// One font's advances, in em.
struct Face {
    face: ttf_parser::Face<'static>,
    latin: Vec<f32>,
}

const LATIN: u32 = 0x250;

impl Face {
    fn new(data: &'static [u8]) -> Result<Face, ReportError> {
        let face = ttf_parser::Face::parse(data, 0).map_err(|e| ReportError::Pdf(e.to_string()))?;
        let mut this = Face {
            face,
            latin: Vec::new(),
        };
        this.latin = (0..LATIN)
            .map(|c| char::from_u32(c).map_or(0.0, |c| this.lookup(c)))
            .collect();
        Ok(this)
    }

    fn lookup(&self, c: char) -> f32 {
        let glyph = self.face.glyph_index(c).unwrap_or(ttf_parser::GlyphId(0));
        f32::from(self.face.glyph_hor_advance(glyph).unwrap_or(0))
            / f32::from(self.face.units_per_em())
    }

    fn advance(&self, c: char) -> f32 {
        self.latin
            .get(c as usize)
            .copied()
            .unwrap_or_else(|| self.lookup(c))
    }
}

impl Metrics {
    fn width(&self, text: &str, size: f32, bold: bool) -> f32 {
        let face = if bold { &self.bold } else { &self.regular };
        text.chars().map(|c| face.advance(c)).sum::<f32>() * size
    }

    /// The text broken into lines no wider than `width`: at spaces, and inside a word (a long
    /// ID or address) only when the word alone is too wide.
    fn wrap(&self, text: &str, size: f32, bold: bool, width: f32) -> Vec<String> {
        let space = self.width(" ", size, bold);
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            let mut line_w = 0.0;
            for word in paragraph.split_whitespace() {
                let word_w = self.width(word, size, bold);
                if !line.is_empty() && line_w + space + word_w <= width {
                    line.push(' ');
                    line.push_str(word);
                    line_w += space + word_w;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                line_w = 0.0;
                if word_w <= width {
                    line.push_str(word);
                    line_w = word_w;
                    continue;
                }
                // Wider than the column on its own: break it where it reaches the edge.
                for c in word.chars() {
                    let c_w = self.width(c.encode_utf8(&mut [0; 4]), size, bold);
                    if line_w + c_w > width && !line.is_empty() {
                        lines.push(std::mem::take(&mut line));
                        line_w = 0.0;
                    }
                    line.push(c);
                    line_w += c_w;
                }
            }
            lines.push(line);
        }
        lines
    }
}

/// Pages of drawing steps, with a cursor moving down.
struct Layout<'m> {
    m: &'m Metrics,
    pages: Vec<Vec<Op>>,
    y: f32,
}

impl Layout<'_> {
    fn ensure(&mut self, height: f32) {
        if self.y + height > BOTTOM {
            self.pages.push(Vec::new());
            self.y = MARGIN;
        }
    }

    fn op(&mut self, op: Op) {
        if let Some(page) = self.pages.last_mut() {
            page.push(op);
        }
    }

    fn text_at(&mut self, x: f32, y: f32, size: f32, bold: bool, color: Rgb, text: &str) {
        self.op(Op::Text {
            x,
            y,
            size,
            bold,
            color,
            text: text.to_owned(),
        });
    }

    /// A wrapped paragraph at the cursor.
    fn para(&mut self, text: &str, size: f32, bold: bool, color: Rgb, indent: f32) {
        let line_h = size * 1.4;
        for line in self.m.wrap(text, size, bold, WIDTH - indent) {
            self.ensure(line_h);
            self.y += line_h;
            self.text_at(
                MARGIN + indent,
                self.y - size * 0.3,
                size,
                bold,
                color,
                &line,
            );
        }
    }

    fn heading(&mut self, text: &str) {
        self.ensure(40.0);
        self.y += 14.0;
        self.para(text, 13.0, true, TEXT, 0.0);
        self.y += 4.0;
    }

    fn subheading(&mut self, text: &str) {
        // Keep a heading with at least the first lines of what follows it.
        self.ensure(60.0);
        self.y += 6.0;
        self.para(text, 9.0, true, MUTED, 0.0);
        self.y += 2.0;
    }

    fn badge(&mut self, status: &str, text: &str, x: f32, size: f32) -> f32 {
        let (bg, fg) = badge(status);
        let w = self.m.width(text, size, true) + size * 1.2;
        let h = size * 1.6;
        self.op(Op::Rect {
            x,
            y: self.y,
            w,
            h,
            color: bg,
        });
        self.text_at(x + size * 0.6, self.y + size * 1.15, size, true, fg, text);
        w
    }

    /// A table whose cells wrap; the header row repeats on each new page.
    fn table(&mut self, header: &[&str], widths: &[f32], rows: &[Vec<String>]) {
        const SIZE: f32 = 7.5;
        const LINE: f32 = SIZE * 1.35;
        const PAD: f32 = 3.0;
        let total: f32 = widths.iter().sum();
        let widths: Vec<f32> = widths.iter().map(|w| w / total * WIDTH).collect();
        let draw_row = |this: &mut Self, cells: &[String], bold: bool, bg: Option<Rgb>| {
            let wrapped: Vec<Vec<String>> = cells
                .iter()
                .zip(&widths)
                .map(|(c, w)| this.m.wrap(c, SIZE, bold, w - 2.0 * PAD))
                .collect();
            let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1);
            let h = lines as f32 * LINE + 2.0 * PAD;
            let top = this.y;
            if let Some(color) = bg {
                this.op(Op::Rect {
                    x: MARGIN,
                    y: top,
                    w: WIDTH,
                    h,
                    color,
                });
            }
            let mut x = MARGIN;
            for (cell, w) in wrapped.iter().zip(&widths) {
                for (i, line) in cell.iter().enumerate() {
                    let y = top + PAD + (i as f32 + 1.0) * LINE - SIZE * 0.3;
                    this.text_at(x + PAD, y, SIZE, bold, TEXT, line);
                }
                x += w;
            }
            this.op(Op::Rect {
                x: MARGIN,
                y: top + h - 0.5,
                w: WIDTH,
                h: 0.5,
                color: BORDER,
            });
            this.y += h;
            h
        };
        let header: Vec<String> = header.iter().map(|h| (*h).to_owned()).collect();
        self.ensure(LINE * 4.0);
        draw_row(self, &header, true, Some(HEAD_BG));
        for row in rows {
            let lines = row
                .iter()
                .zip(&widths)
                .map(|(c, w)| self.m.wrap(c, SIZE, false, w - 2.0 * PAD).len())
                .max()
                .unwrap_or(1);
            let needed = lines as f32 * LINE + 2.0 * PAD;
            if self.y + needed > BOTTOM {
                self.pages.push(Vec::new());
                self.y = MARGIN;
                draw_row(self, &header, true, Some(HEAD_BG));
            }
            draw_row(self, row, false, None);
        }
    }
}

/// Control characters (tabs, line breaks inside a value) print as spaces.
fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

pub(crate) fn render(report: &Report) -> Result<Vec<u8>, ReportError> {
    let m = Metrics {
        regular: Face::new(dejavu::sans::regular())?,
        bold: Face::new(dejavu::sans::bold())?,
    };
    let lang = report.lang;
    let l = |label: Label| label.text(lang);
    let mut lay = Layout {
        m: &m,
        pages: vec![Vec::new()],
        y: MARGIN,
    };
    // Header line.
    lay.text_at(MARGIN, MARGIN + 10.0, 12.0, true, ACCENT, "Sign-in Doctor");
    let mut meta = format!("{}: {}", l(Label::Count), report.rows.len());
    if let Some(at) = report.generated_at_text() {
        meta = format!("{}: {at} · {meta}", l(Label::Generated));
    }
    let meta_w = m.width(&meta, 8.5, false);
    lay.text_at(
        MARGIN + WIDTH - meta_w,
        MARGIN + 10.0,
        8.5,
        false,
        MUTED,
        &meta,
    );
    lay.y += 22.0;

    if let Some(counts) = report.redaction_counts() {
        let note = format!("{}\n{counts}", l(Label::RedactedNote));
        let lines = m.wrap(&note, 8.5, false, WIDTH - 16.0).len() + 1;
        let h = lines as f32 * 8.5 * 1.4 + 16.0;
        lay.ensure(h);
        let top = lay.y;
        lay.op(Op::Rect {
            x: MARGIN,
            y: top,
            w: WIDTH,
            h,
            color: NOTE_BG,
        });
        lay.y += 6.0;
        lay.para(&clean(l(Label::Redacted)), 9.5, true, NOTE_TEXT, 8.0);
        lay.para(&note, 8.5, false, NOTE_TEXT, 8.0);
        lay.y = top + h + 8.0;
    }

    match &report.diagnosis {
        Some(d) => {
            let verdict = d.verdict.as_str();
            let text = format!("{}: {}", l(Label::Verdict), status_text(verdict, lang));
            lay.ensure(20.0);
            let w = lay.badge(verdict, &text, MARGIN, 8.5);
            lay.text_at(MARGIN + w + 8.0, lay.y + 9.5, 8.0, false, MUTED, d.scenario);
            lay.y += 16.0;
            lay.para(&clean(&d.headline), 16.0, true, TEXT, 0.0);
            lay.para(&clean(&report.ids_line(d)), 8.5, false, MUTED, 0.0);
            lay.subheading(l(Label::WhatHappened));
            lay.para(&clean(&d.what_happened), 10.0, false, TEXT, 0.0);

            lay.heading(l(Label::Evidence));
            let rows: Vec<Vec<String>> = d
                .evidence
                .iter()
                .map(|e| vec![clean(&e.field), clean(&e.value)])
                .collect();
            lay.table(&[l(Label::Field), l(Label::Value)], &[1.0, 2.0], &rows);
            if !d.patterns.is_empty() {
                lay.subheading(l(Label::Patterns));
                for p in &d.patterns {
                    lay.para(&format!("• {}", clean(&p.text)), 9.5, false, TEXT, 0.0);
                }
            }

            lay.heading(l(Label::WhatToDo));
            for (label, steps) in crate::fixes(d) {
                lay.subheading(l(label));
                for (i, a) in steps.iter().enumerate() {
                    lay.para(&format!("{}. {}", i + 1, clean(a)), 9.5, false, TEXT, 0.0);
                }
            }
            if !d.links.is_empty() {
                lay.subheading(l(Label::Links));
                for link in &d.links {
                    lay.para(&clean(&link.label), 9.0, false, TEXT, 0.0);
                    lay.para(&clean(&link.url), 7.5, false, ACCENT, 10.0);
                }
            }
        }
        None => {
            lay.para(l(Label::ReportTitle), 16.0, true, TEXT, 0.0);
        }
    }

    lay.heading(l(Label::Timeline));
    if let Some(d) = report.diagnosis.as_ref().filter(|d| !d.chain.is_empty()) {
        lay.subheading(l(Label::Attempt));
        let rows: Vec<Vec<String>> = d
            .chain
            .iter()
            .map(|s| {
                vec![
                    clean(&s.created_date_time),
                    status_text(s.status, lang),
                    s.error_code.to_string(),
                    clean(&s.request_id),
                ]
            })
            .collect();
        lay.table(
            &[
                l(Label::TimeUtc),
                l(Label::Status),
                l(Label::ErrorCode),
                l(Label::RequestId),
            ],
            &[1.3, 1.0, 0.8, 2.2],
            &rows,
        );
    }
    lay.subheading(l(Label::SignIns));
    if report.rows.is_empty() {
        lay.para(l(Label::NoSignIns), 9.5, false, TEXT, 0.0);
    } else {
        let value = |label: Label, row: &crate::Row| {
            COLUMNS
                .iter()
                .find(|(l, _)| *l == label)
                .map(|(_, v)| clean(&v(row, lang)))
                .unwrap_or_default()
        };
        let rows: Vec<Vec<String>> = report
            .rows
            .iter()
            .map(|r| {
                let user = [value(Label::User, r), value(Label::Username, r)]
                    .into_iter()
                    .filter(|v| !v.is_empty())
                    .collect::<Vec<_>>()
                    .join("\n");
                let what = [value(Label::ErrorCode, r), value(Label::FailureReason, r)]
                    .into_iter()
                    .filter(|v| !v.is_empty())
                    .collect::<Vec<_>>()
                    .join("\n");
                vec![
                    // A space instead of the T lets the time wrap below the date.
                    value(Label::TimeUtc, r).replacen('T', " ", 1),
                    user,
                    value(Label::Application, r),
                    value(Label::Status, r),
                    what,
                    value(Label::IpAddress, r),
                    value(Label::Device, r),
                    value(Label::RequestId, r),
                ]
            })
            .collect();
        lay.table(
            &[
                l(Label::TimeUtc),
                l(Label::User),
                l(Label::Application),
                l(Label::Status),
                l(Label::ErrorCode),
                l(Label::IpAddress),
                l(Label::Device),
                l(Label::RequestId),
            ],
            &[1.25, 1.6, 1.1, 0.8, 1.8, 0.9, 0.9, 1.3],
            &rows,
        );
    }

    draw(report, lay.pages)
}

fn draw(report: &Report, pages: Vec<Vec<Op>>) -> Result<Vec<u8>, ReportError> {
    let regular = Font::new(dejavu::sans::regular().into(), 0)
        .ok_or_else(|| ReportError::Pdf("the embedded font cannot be read".into()))?;
    let bold = Font::new(dejavu::sans::bold().into(), 0)
        .ok_or_else(|| ReportError::Pdf("the embedded font cannot be read".into()))?;
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(clean(&report.title()))
            .language(report.lang.tag().to_owned())
            .creator("Sign-in Doctor".to_owned()),
    );
    let count = pages.len();
    let fill = |c: Rgb| {
        Some(Fill {
            paint: rgb::Color::new(c.0, c.1, c.2).into(),
            opacity: NormalizedF32::ONE,
            rule: FillRule::NonZero,
        })
    };
    for (n, ops) in pages.into_iter().enumerate() {
        let settings = PageSettings::from_wh(PAGE_W, PAGE_H)
            .ok_or_else(|| ReportError::Pdf("bad page size".into()))?;
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();
        for op in ops {
            match op {
                Op::Rect { x, y, w, h, color } => {
                    let mut path = PathBuilder::new();
                    if let Some(rect) = Rect::from_xywh(x, y, w, h) {
                        path.push_rect(rect);
                    }
                    if let Some(path) = path.finish() {
                        surface.set_fill(fill(color));
                        surface.draw_path(&path);
                    }
                }
                Op::Text {
                    x,
                    y,
                    size,
                    bold: is_bold,
                    color,
                    text,
                } => {
                    surface.set_fill(fill(color));
                    let font = if is_bold {
                        bold.clone()
                    } else {
                        regular.clone()
                    };
                    surface.draw_text(
                        Point::from_xy(x, y),
                        font,
                        size,
                        &text,
                        false,
                        TextDirection::Auto,
                    );
                }
            }
        }
        let footer = format!(
            "{} · {} {} / {count}",
            report.label(Label::MadeWith),
            report.label(Label::Page),
            n + 1
        );
        surface.set_fill(fill(MUTED));
        surface.draw_text(
            Point::from_xy(MARGIN, PAGE_H - MARGIN + 8.0),
            regular.clone(),
            7.5,
            &footer,
            false,
            TextDirection::Auto,
        );
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| ReportError::Pdf(format!("{e:?}")))
}
