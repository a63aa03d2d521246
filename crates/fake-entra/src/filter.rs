//! The OData `$filter` subset Graph supports on sign-ins: parsing and evaluation.
//!
//! Faithful:
//! - comparisons `property op literal` with `eq`, `ne`, `gt`, `ge`, `lt`, `le`;
//!   `startswith(property,'text')` (any case of the function name); `and`, `or`, `not`,
//!   parentheses; lambdas `collection/any(v: ...)` and `collection/all(v: ...)` with any
//!   variable name, the body referring to the element as `v` or to its properties as `v/name`;
//! - paths into complex properties (`status/errorCode`, `location/countryOrRegion`,
//!   `deviceDetail/operatingSystem`);
//! - literals: `'text'` with `''` for a quote (`'o''brien@contoso.com'`), integers, decimals,
//!   `true`, `false`, `null`, and bare ISO 8601 date-times (`2026-11-20T10:00:00Z`, with
//!   fractions or offsets) for `createdDateTime`;
//! - text comparisons ignore case, as Graph's do for sign-in properties; a missing property is
//!   `null` (so `x ne 'a'` holds for a sign-in without `x`);
//! - unknown properties, type mismatches and syntax errors are errors, reported in words.
//!
//! Simplified: no arithmetic, no `in`, no functions besides `startswith`; `null` compares equal
//! to a missing property; text ordering (`gt` on text) is by lower-cased code points.
//!
//! The parser never panics: every input is either a [`Filter`] or an error message. Nesting is
//! limited so that hostile input cannot exhaust the stack.

use std::cmp::Ordering;

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;

use crate::schema::{ApiVersion, PropType, Schema, type_of};

/// How deep parentheses, `not` and lambdas may nest.
const MAX_DEPTH: usize = 32;
/// The longest filter accepted, in bytes (Graph's URLs are limited long before this).
const MAX_LENGTH: usize = 16 * 1024;

/// A parsed `$filter`.
#[derive(Debug, Clone)]
pub(crate) struct Filter {
    expr: Expr,
}

#[derive(Debug, Clone)]
enum Expr {
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Not(Box<Expr>),
    Compare {
        path: Path,
        op: CmpOp,
        literal: Literal,
    },
    StartsWith {
        path: Path,
        /// Lower-cased.
        prefix: String,
    },
    Lambda {
        path: Path,
        all: bool,
        /// `None` for `any()`: the collection has an element.
        body: Option<Box<Expr>>,
    },
}

#[derive(Debug, Clone, PartialEq)]
struct Path {
    /// `None`: from the sign-in; `Some(i)`: from the `i`th enclosing lambda's variable.
    var: Option<usize>,
    /// Canonical property names.
    segments: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CmpOp {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
}

impl CmpOp {
    fn from_word(word: &str) -> Option<CmpOp> {
        Some(match word.to_ascii_lowercase().as_str() {
            "eq" => CmpOp::Eq,
            "ne" => CmpOp::Ne,
            "gt" => CmpOp::Gt,
            "ge" => CmpOp::Ge,
            "lt" => CmpOp::Lt,
            "le" => CmpOp::Le,
            _ => return None,
        })
    }

    /// The operator's name in Graph's error messages.
    fn kind(self) -> &'static str {
        match self {
            CmpOp::Eq => "Equal",
            CmpOp::Ne => "NotEqual",
            CmpOp::Gt => "GreaterThan",
            CmpOp::Ge => "GreaterThanOrEqual",
            CmpOp::Lt => "LessThan",
            CmpOp::Le => "LessThanOrEqual",
        }
    }

    fn holds(self, ordering: Ordering) -> bool {
        match self {
            CmpOp::Eq => ordering.is_eq(),
            CmpOp::Ne => ordering.is_ne(),
            CmpOp::Gt => ordering.is_gt(),
            CmpOp::Ge => ordering.is_ge(),
            CmpOp::Lt => ordering.is_lt(),
            CmpOp::Le => ordering.is_le(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Literal {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    /// Lower-cased: text comparisons ignore case.
    Text(String),
    DateTime(DateTime<Utc>),
}

impl Literal {
    fn edm(&self) -> &'static str {
        match self {
            Literal::Null => "null",
            Literal::Bool(_) => PropType::Bool.edm(),
            Literal::Int(_) => PropType::Int.edm(),
            Literal::Float(_) => PropType::Float.edm(),
            Literal::Text(_) => PropType::String.edm(),
            Literal::DateTime(_) => PropType::DateTime.edm(),
        }
    }

    /// Whether a property of type `ty` may be compared with this literal.
    fn fits(&self, ty: PropType) -> bool {
        matches!(
            (self, ty),
            (Literal::Null, _)
                | (Literal::DateTime(_), PropType::DateTime)
                | (Literal::Int(_), PropType::Int | PropType::Float)
                | (Literal::Float(_), PropType::Float)
                | (Literal::Bool(_), PropType::Bool)
                | (Literal::Text(_), PropType::String)
        )
    }
}

/// A sign-in as the filter sees it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Subject<'a> {
    pub event: &'a Value,
    /// `signInEventTypes`, derived from `isInteractive` when the record has none.
    pub event_types: &'a Value,
}

impl Filter {
    /// Parses `text` for a request on `version`.
    pub(crate) fn parse(
        text: &str,
        schema: &Schema,
        version: ApiVersion,
    ) -> Result<Filter, String> {
        if text.len() > MAX_LENGTH {
            return Err(format!(
                "the filter is {} characters long; at most {MAX_LENGTH} are accepted.",
                text.len()
            ));
        }
        let tokens = lex(text)?;
        if tokens.is_empty() {
            return Err("the filter is empty.".into());
        }
        let mut parser = Parser {
            tokens,
            pos: 0,
            schema,
            version,
            vars: Vec::new(),
            depth: 0,
            text,
        };
        let expr = parser.or()?;
        if let Some((_, at)) = parser.tokens.get(parser.pos) {
            return Err(parser.syntax_error(*at, "unexpected text after the end of the expression"));
        }
        Ok(Filter { expr })
    }

    /// Whether the sign-in meets the filter.
    pub(crate) fn matches(&self, subject: Subject<'_>) -> bool {
        let mut vars = Vec::new();
        eval(&self.expr, subject, &mut vars)
    }

    /// Whether the filter refers to the top-level property `name` anywhere.
    pub(crate) fn mentions(&self, name: &str) -> bool {
        fn walk(expr: &Expr, name: &str) -> bool {
            let named = |p: &Path| p.var.is_none() && p.segments.first().is_some_and(|s| s == name);
            match expr {
                Expr::And(items) | Expr::Or(items) => items.iter().any(|e| walk(e, name)),
                Expr::Not(inner) => walk(inner, name),
                Expr::Compare { path, .. } | Expr::StartsWith { path, .. } => named(path),
                Expr::Lambda { path, body, .. } => {
                    named(path) || body.as_deref().is_some_and(|b| walk(b, name))
                }
            }
        }
        walk(&self.expr, name)
    }

    /// The `createdDateTime` window the filter asks for: lower and upper bounds from the
    /// comparisons joined by `and` at the top. `None` is open-ended.
    pub(crate) fn time_window(&self) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
        let mut lower: Option<DateTime<Utc>> = None;
        let mut upper: Option<DateTime<Utc>> = None;
        let conjuncts: &[Expr] = match &self.expr {
            Expr::And(items) => items,
            other => std::slice::from_ref(other),
        };
        for item in conjuncts {
            let Expr::Compare {
                path,
                op,
                literal: Literal::DateTime(t),
            } = item
            else {
                continue;
            };
            if path.var.is_some() || path.segments != ["createdDateTime"] {
                continue;
            }
            let t = *t;
            if matches!(op, CmpOp::Gt | CmpOp::Ge | CmpOp::Eq) {
                lower = Some(lower.map_or(t, |l| l.max(t)));
            }
            if matches!(op, CmpOp::Lt | CmpOp::Le | CmpOp::Eq) {
                upper = Some(upper.map_or(t, |u| u.min(t)));
            }
        }
        (lower, upper)
    }
}

fn eval<'a>(expr: &Expr, subject: Subject<'a>, vars: &mut Vec<&'a Value>) -> bool {
    match expr {
        Expr::And(items) => items.iter().all(|e| eval(e, subject, vars)),
        Expr::Or(items) => items.iter().any(|e| eval(e, subject, vars)),
        Expr::Not(inner) => !eval(inner, subject, vars),
        Expr::Compare { path, op, literal } => compare(resolve(path, subject, vars), *op, literal),
        Expr::StartsWith { path, prefix } => match resolve(path, subject, vars) {
            Some(Value::String(s)) => s.to_lowercase().starts_with(prefix.as_str()),
            _ => false,
        },
        Expr::Lambda { path, all, body } => {
            let Some(Value::Array(items)) = resolve(path, subject, vars) else {
                return *all;
            };
            let Some(body) = body else {
                return !items.is_empty() || *all;
            };
            let mut test = |item: &'a Value| {
                vars.push(item);
                let result = eval(body, subject, vars);
                vars.pop();
                result
            };
            if *all {
                items.iter().all(&mut test)
            } else {
                items.iter().any(&mut test)
            }
        }
    }
}

fn resolve<'a>(path: &Path, subject: Subject<'a>, vars: &[&'a Value]) -> Option<&'a Value> {
    let mut segments = path.segments.iter();
    let mut value = match path.var {
        Some(i) => *vars.get(i)?,
        None => {
            let first = segments.next()?;
            if first == "signInEventTypes" {
                subject.event_types
            } else {
                subject.event.get(first)?
            }
        }
    };
    for segment in segments {
        value = value.get(segment)?;
    }
    Some(value)
}

fn compare(value: Option<&Value>, op: CmpOp, literal: &Literal) -> bool {
    let value = value.filter(|v| !v.is_null());
    let Some(value) = value else {
        // null eq null; null ne anything else; no ordering with null.
        return match literal {
            Literal::Null => op == CmpOp::Eq,
            _ => op == CmpOp::Ne,
        };
    };
    let ordering = match (literal, value) {
        (Literal::Null, _) => None,
        (Literal::Text(t), Value::String(s)) => Some(s.to_lowercase().as_str().cmp(t.as_str())),
        (Literal::DateTime(t), Value::String(s)) => parse_datetime(s).map(|v| v.cmp(t)),
        (Literal::Int(i), Value::Number(n)) => match n.as_i64() {
            Some(v) => Some(v.cmp(i)),
            None => n.as_f64().and_then(|v| v.partial_cmp(&(*i as f64))),
        },
        (Literal::Float(f), Value::Number(n)) => n.as_f64().and_then(|v| v.partial_cmp(f)),
        (Literal::Bool(b), Value::Bool(v)) => Some(v.cmp(b)),
        _ => None,
    };
    match ordering {
        Some(ordering) => op.holds(ordering),
        // Values of different kinds are simply unequal.
        None => op == CmpOp::Ne,
    }
}

/// Reads a Graph timestamp.
pub(crate) fn parse_datetime(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text.trim())
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    LParen,
    RParen,
    Comma,
    Colon,
    Slash,
    Ident(String),
    Text(String),
    /// A bare literal that starts with a digit or a minus: number or date-time.
    Bare(String),
}

/// Splits a filter into tokens with their byte offsets.
fn lex(text: &str) -> Result<Vec<(Tok, usize)>, String> {
    let mut tokens = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some(&(at, c)) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            '(' | ')' | ',' | ':' | '/' => {
                chars.next();
                tokens.push((
                    match c {
                        '(' => Tok::LParen,
                        ')' => Tok::RParen,
                        ',' => Tok::Comma,
                        ':' => Tok::Colon,
                        _ => Tok::Slash,
                    },
                    at,
                ));
            }
            '\'' => {
                chars.next();
                let mut value = String::new();
                let mut closed = false;
                while let Some((_, c)) = chars.next() {
                    if c == '\'' {
                        if chars.peek().is_some_and(|&(_, n)| n == '\'') {
                            chars.next();
                            value.push('\'');
                        } else {
                            closed = true;
                            break;
                        }
                    } else {
                        value.push(c);
                    }
                }
                if !closed {
                    return Err(format!(
                        "the text literal starting at position {at} is not closed with a quote."
                    ));
                }
                tokens.push((Tok::Text(value), at));
            }
            c if c.is_ascii_digit() || c == '-' => {
                let mut value = String::new();
                while let Some(&(_, c)) = chars.peek() {
                    if c.is_ascii_alphanumeric() || matches!(c, ':' | '.' | '-' | '+') {
                        value.push(c);
                        chars.next();
                    } else {
                        break;
                    }
                }
                tokens.push((Tok::Bare(value), at));
            }
            c if c.is_alphabetic() || c == '_' || c == '$' || c == '@' => {
                let mut value = String::new();
                while let Some(&(_, c)) = chars.peek() {
                    if c.is_alphanumeric() || matches!(c, '_' | '$' | '@' | '.') {
                        value.push(c);
                        chars.next();
                    } else {
                        break;
                    }
                }
                tokens.push((Tok::Ident(value), at));
            }
            other => {
                return Err(format!(
                    "syntax error: character '{other}' at position {at} is not valid here."
                ));
            }
        }
    }
    Ok(tokens)
}

/// Reads a bare literal: an integer, a decimal, or a date-time.
fn bare_literal(text: &str) -> Option<Literal> {
    if let Ok(i) = text.parse::<i64>() {
        return Some(Literal::Int(i));
    }
    if text.contains('T') || text.contains('t') {
        return parse_datetime(text).map(Literal::DateTime);
    }
    if text.len() == 10
        && let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d")
    {
        return date
            .and_hms_opt(0, 0, 0)
            .map(|t| Literal::DateTime(t.and_utc()));
    }
    match text.parse::<f64>() {
        Ok(f) if f.is_finite() => Some(Literal::Float(f)),
        _ => None,
    }
}

struct Parser<'a> {
    tokens: Vec<(Tok, usize)>,
    pos: usize,
    schema: &'a Schema,
    version: ApiVersion,
    /// Lambda variables in scope, innermost last, with their element type when known.
    vars: Vec<(String, Option<PropType>)>,
    depth: usize,
    text: &'a str,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.pos).map(|(t, _)| t)
    }

    fn position(&self) -> usize {
        self.tokens
            .get(self.pos)
            .map_or(self.text.len(), |(_, at)| *at)
    }

    fn next(&mut self) -> Option<Tok> {
        let token = self.tokens.get(self.pos).map(|(t, _)| t.clone());
        if token.is_some() {
            self.pos += 1;
        }
        token
    }

    fn syntax_error(&self, at: usize, what: &str) -> String {
        format!("syntax error at position {at} in '{}': {what}.", self.text)
    }

    fn expect(&mut self, wanted: Tok, what: &str) -> Result<(), String> {
        let at = self.position();
        match self.next() {
            Some(t) if t == wanted => Ok(()),
            _ => Err(self.syntax_error(at, &format!("expected {what}"))),
        }
    }

    fn is_word(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Tok::Ident(w)) if w.eq_ignore_ascii_case(word))
    }

    fn enter(&mut self) -> Result<(), String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(format!(
                "the filter nests more than {MAX_DEPTH} levels deep."
            ));
        }
        Ok(())
    }

    fn or(&mut self) -> Result<Expr, String> {
        let mut items = vec![self.and()?];
        while self.is_word("or") {
            self.pos += 1;
            items.push(self.and()?);
        }
        Ok(if items.len() == 1 {
            items.pop().unwrap_or(Expr::Or(Vec::new()))
        } else {
            Expr::Or(items)
        })
    }

    fn and(&mut self) -> Result<Expr, String> {
        let mut items = vec![self.unary()?];
        while self.is_word("and") {
            self.pos += 1;
            items.push(self.unary()?);
        }
        Ok(if items.len() == 1 {
            items.pop().unwrap_or(Expr::And(Vec::new()))
        } else {
            Expr::And(items)
        })
    }

    fn unary(&mut self) -> Result<Expr, String> {
        if self.is_word("not") {
            self.pos += 1;
            self.enter()?;
            let inner = self.unary()?;
            self.depth -= 1;
            return Ok(Expr::Not(Box::new(inner)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Expr, String> {
        let at = self.position();
        match self.next() {
            Some(Tok::LParen) => {
                self.enter()?;
                let inner = self.or()?;
                self.expect(Tok::RParen, "')'")?;
                self.depth -= 1;
                Ok(inner)
            }
            Some(Tok::Ident(name)) => {
                if self.peek() == Some(&Tok::LParen) {
                    return self.function(&name);
                }
                self.path_expression(name)
            }
            Some(_) => Err(self.syntax_error(at, "expected a property, a function or '('")),
            None => Err(self.syntax_error(at, "the expression ends too early")),
        }
    }

    fn function(&mut self, name: &str) -> Result<Expr, String> {
        if !name.eq_ignore_ascii_case("startswith") {
            return Err(format!(
                "the function '{name}' is not supported; use startswith(property,'text')."
            ));
        }
        self.expect(Tok::LParen, "'('")?;
        let path_at = self.position();
        let Some(Tok::Ident(first)) = self.next() else {
            return Err(self.syntax_error(path_at, "startswith needs a property first"));
        };
        let (path, ty) = self.path(first)?;
        if let Some(ty) = ty
            && ty != PropType::String
        {
            return Err(format!(
                "startswith needs a text property, but '{}' is {}.",
                path.segments.join("/"),
                ty.edm()
            ));
        }
        self.expect(Tok::Comma, "','")?;
        let text_at = self.position();
        let Some(Tok::Text(prefix)) = self.next() else {
            return Err(self.syntax_error(text_at, "startswith needs a quoted text second"));
        };
        self.expect(Tok::RParen, "')'")?;
        Ok(Expr::StartsWith {
            path,
            prefix: prefix.to_lowercase(),
        })
    }

    /// A comparison or a lambda, starting at the property `first`.
    fn path_expression(&mut self, first: String) -> Result<Expr, String> {
        let (path, ty) = self.path(first)?;
        // A lambda: `path/any(v: body)`.
        if self.peek() == Some(&Tok::Slash)
            && let Some((Tok::Ident(word), _)) = self.tokens.get(self.pos + 1)
            && (word.eq_ignore_ascii_case("any") || word.eq_ignore_ascii_case("all"))
        {
            let all = word.eq_ignore_ascii_case("all");
            self.pos += 2;
            return self.lambda(path, all);
        }
        let op_at = self.position();
        let op = match self.next() {
            Some(Tok::Ident(word)) => CmpOp::from_word(&word),
            _ => None,
        };
        let Some(op) = op else {
            return Err(self.syntax_error(
                op_at,
                "expected a comparison operator (eq, ne, gt, ge, lt, le)",
            ));
        };
        let literal_at = self.position();
        let literal = match self.next() {
            Some(Tok::Text(t)) => Literal::Text(t.to_lowercase()),
            Some(Tok::Bare(b)) => bare_literal(&b).ok_or_else(|| {
                self.syntax_error(literal_at, &format!("'{b}' is not a number or a date-time"))
            })?,
            Some(Tok::Ident(w)) if w.eq_ignore_ascii_case("null") => Literal::Null,
            Some(Tok::Ident(w)) if w.eq_ignore_ascii_case("true") => Literal::Bool(true),
            Some(Tok::Ident(w)) if w.eq_ignore_ascii_case("false") => Literal::Bool(false),
            _ => return Err(self.syntax_error(literal_at, "expected a literal value")),
        };
        if let Some(ty) = ty
            && !literal.fits(ty)
        {
            return Err(format!(
                "A binary operator with incompatible types was detected. Found operand types \
                 '{}' and '{}' for operator kind '{}'.",
                ty.edm(),
                literal.edm(),
                op.kind()
            ));
        }
        Ok(Expr::Compare { path, op, literal })
    }

    fn lambda(&mut self, path: Path, all: bool) -> Result<Expr, String> {
        self.expect(Tok::LParen, "'('")?;
        if self.peek() == Some(&Tok::RParen) {
            self.pos += 1;
            return Ok(Expr::Lambda {
                path,
                all,
                body: None,
            });
        }
        let var_at = self.position();
        let Some(Tok::Ident(var)) = self.next() else {
            return Err(self.syntax_error(var_at, "expected a lambda variable name"));
        };
        self.expect(Tok::Colon, "':' after the lambda variable")?;
        self.enter()?;
        let element = match path.segments.last().map(String::as_str) {
            Some(
                "signInEventTypes"
                | "authenticationMethodsUsed"
                | "riskEventTypes"
                | "riskEventTypes_v2",
            ) if path.var.is_none() => Some(PropType::String),
            _ => None,
        };
        self.vars.push((var, element));
        let body = self.or();
        self.vars.pop();
        let body = body?;
        self.expect(Tok::RParen, "')' to close the lambda")?;
        self.depth -= 1;
        Ok(Expr::Lambda {
            path,
            all,
            body: Some(Box::new(body)),
        })
    }

    /// A property path starting with `first`; the type is `None` when it cannot be known
    /// (properties of lambda elements).
    fn path(&mut self, first: String) -> Result<(Path, Option<PropType>), String> {
        let var = self.vars.iter().rposition(|(name, _)| *name == first);
        let mut segments = Vec::new();
        if var.is_none() {
            let Some(name) = self.schema.top_level(&first, self.version) else {
                return Err(format!(
                    "Could not find a property named '{first}' on type 'microsoft.graph.signIn'."
                ));
            };
            segments.push(name);
        }
        // Further segments, except a trailing `/any(` or `/all(`.
        while self.peek() == Some(&Tok::Slash) {
            let Some((Tok::Ident(name), _)) = self.tokens.get(self.pos + 1) else {
                return Err(self.syntax_error(self.position(), "expected a property after '/'"));
            };
            let lambda = (name.eq_ignore_ascii_case("any") || name.eq_ignore_ascii_case("all"))
                && matches!(self.tokens.get(self.pos + 2), Some((Tok::LParen, _)));
            if lambda {
                break;
            }
            let name = name.clone();
            self.pos += 2;
            if var.is_some() {
                segments.push(name);
                continue;
            }
            let parent = segments.last().cloned().unwrap_or_default();
            match Schema::nested(&parent, &name) {
                Some(child) => segments.push(child),
                None => {
                    return Err(format!(
                        "Could not find a property named '{name}' on type 'microsoft.graph.{parent}'."
                    ));
                }
            }
        }
        let ty = match var {
            Some(i) if segments.is_empty() => self.vars.get(i).and_then(|(_, t)| *t),
            Some(_) => None,
            None => Some(type_of(&segments)),
        };
        Ok((Path { var, segments }, ty))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use serde_json::json;

    fn schema() -> Schema {
        Schema::new([])
    }

    fn parse(text: &str) -> Result<Filter, String> {
        Filter::parse(text, &schema(), ApiVersion::Beta)
    }

    fn check(filter: &str, event: &Value) -> bool {
        let types = event
            .get("signInEventTypes")
            .cloned()
            .unwrap_or(json!(["interactiveUser"]));
        parse(filter).unwrap().matches(Subject {
            event,
            event_types: &types,
        })
    }

    fn sample() -> Value {
        json!({
            "id": "a1",
            "createdDateTime": "2026-11-20T10:15:00Z",
            "userPrincipalName": "O'Brien@Contoso.com",
            "userDisplayName": "Pat O'Brien",
            "appDisplayName": "Microsoft Teams",
            "status": {"errorCode": 50126, "failureReason": "Invalid username or password."},
            "location": {"countryOrRegion": "NL", "city": "Rotterdam"},
            "deviceDetail": {"operatingSystem": "Windows10", "isCompliant": false},
            "isInteractive": true,
            "signInEventTypes": ["interactiveUser"],
            "appliedConditionalAccessPolicies": [
                {"id": "p1", "displayName": "Require MFA", "result": "failure"}
            ]
        })
    }

    #[test]
    fn quoting_and_case() {
        let e = sample();
        assert!(check("userPrincipalName eq 'o''brien@contoso.com'", &e));
        assert!(check("userPrincipalName eq 'O''BRIEN@CONTOSO.COM'", &e));
        assert!(!check("userPrincipalName eq 'obrien@contoso.com'", &e));
        assert!(check("startswith(userDisplayName,'pat o''b')", &e));
        assert!(check("startsWith(appDisplayName, 'Microsoft')", &e));
        assert!(!check("startswith(appDisplayName, 'Teams')", &e));
    }

    #[test]
    fn numbers_paths_and_logic() {
        let e = sample();
        assert!(check("status/errorCode ne 0", &e));
        assert!(check("status/errorCode eq 50126", &e));
        assert!(!check("status/errorCode eq 0", &e));
        assert!(check("location/countryOrRegion eq 'nl'", &e));
        assert!(check("deviceDetail/operatingSystem eq 'windows10'", &e));
        assert!(check("deviceDetail/isCompliant eq false", &e));
        assert!(check(
            "isInteractive eq true and (status/errorCode eq 1 or appDisplayName eq 'microsoft teams')",
            &e
        ));
        assert!(check("not (status/errorCode eq 0)", &e));
        assert!(check("correlationId eq null", &e));
        assert!(check("correlationId ne 'x'", &e));
        assert!(!check("correlationId eq 'x'", &e));
    }

    #[test]
    fn time_windows() {
        let e = sample();
        assert!(check(
            "createdDateTime ge 2026-11-20T10:00:00Z and createdDateTime lt 2026-11-20T11:00:00Z",
            &e
        ));
        assert!(!check("createdDateTime gt 2026-11-20T10:15:00Z", &e));
        assert!(check(
            "createdDateTime le 2026-11-20T11:15:00.123+01:00",
            &e
        ));
        assert!(check("createdDateTime ge 2026-11-20", &e));
        let f = parse(
            "createdDateTime ge 2026-11-20T10:00:00Z and createdDateTime lt 2026-11-20T11:00:00Z and status/errorCode ne 0",
        )
        .unwrap();
        let (lo, hi) = f.time_window();
        assert_eq!(hi.unwrap() - lo.unwrap(), chrono::Duration::hours(1));
        let open = parse("createdDateTime ge 2026-11-20T10:00:00Z").unwrap();
        assert!(open.time_window().1.is_none());
    }

    #[test]
    fn lambdas() {
        let e = sample();
        assert!(check(
            "signInEventTypes/any(t: t eq 'interactiveUser' or t eq 'nonInteractiveUser')",
            &e
        ));
        assert!(!check(
            "signInEventTypes/any(x: x eq 'servicePrincipal')",
            &e
        ));
        assert!(check(
            "appliedConditionalAccessPolicies/any(p: p/result eq 'failure')",
            &e
        ));
        assert!(check(
            "signInEventTypes/all(t: t ne 'servicePrincipal')",
            &e
        ));
        assert!(check("appliedConditionalAccessPolicies/any()", &e));
        let f = parse("signInEventTypes/any(t: t eq 'servicePrincipal')").unwrap();
        assert!(f.mentions("signInEventTypes"));
        assert!(
            !parse("status/errorCode eq 0")
                .unwrap()
                .mentions("signInEventTypes")
        );
    }

    #[test]
    fn errors_are_reported_not_panicked() {
        let bad = [
            "",
            "   ",
            "userPrincipalName eq 'unterminated",
            "userPrincipalName eq",
            "userPrincipalName 'x'",
            "eq 'x'",
            "(((",
            ")",
            "nosuchProperty eq 'x'",
            "status/noSuchThing eq 1",
            "createdDateTime eq 'yesterday'",
            "createdDateTime ge 2026-13-45T99:00:00Z",
            "status/errorCode eq '0'",
            "startswith(status/errorCode,'5')",
            "startswith(userPrincipalName)",
            "contains(userPrincipalName,'a')",
            "signInEventTypes/any(t t eq 'a')",
            "signInEventTypes/any(t: t eq 'a'",
            "userPrincipalName eq 'a' and",
            "userPrincipalName eq 'a' or or",
            "userPrincipalName eq 'a' extra",
            "status/ eq 1",
            "/ / /",
            "'''",
            "userPrincipalName eq 'a' # comment",
            "id eq -",
            "id eq 1e999",
            "not",
            "not not not",
            "signInEventTypes/any(",
            "a/b/c/d/e/f",
            "\u{0}\u{ffff}",
            "userPrincipalName eq 'é' and appDisplayName eq 'ü",
        ];
        for text in bad {
            assert!(parse(text).is_err(), "{text:?} should not parse");
        }
        let deep = format!("{}id eq 'a'{}", "(".repeat(10_000), ")".repeat(10_000));
        assert!(parse(&deep).is_err());
        let nots = format!("{}id eq 'a'", "not ".repeat(10_000));
        assert!(parse(&nots).is_err());
        let long_and = vec!["id eq 'a'"; 1_000].join(" and ");
        assert!(parse(&long_and).is_ok());
    }

    #[test]
    fn random_bytes_never_panic() {
        // A cheap fuzz: every prefix of a tricky filter, and shuffled pieces of the grammar.
        let source = "signInEventTypes/any(t: t eq 'o''b' or startswith(t,'x')) and (createdDateTime ge 2026-11-20T10:00:00Z or status/errorCode ne -1) and not isInteractive eq true";
        for end in 0..=source.len() {
            if source.is_char_boundary(end) {
                let _ = parse(&source[..end]);
            }
        }
        let pieces = [
            "(",
            ")",
            "'",
            "''",
            ",",
            ":",
            "/",
            "eq",
            "and",
            "or",
            "not",
            "any",
            "t",
            "1",
            "2026-11-20T10:00:00Z",
            "null",
            "status",
            "errorCode",
            "startswith",
            " ",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..5_000 {
            let mut text = String::new();
            for _ in 0..12 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            }
            let _ = parse(&text);
        }
    }

    #[test]
    fn v1_rejects_event_types() {
        let err = Filter::parse(
            "signInEventTypes/any(t: t eq 'interactiveUser')",
            &schema(),
            ApiVersion::V1,
        )
        .unwrap_err();
        assert!(err.contains("signInEventTypes"));
    }
}
