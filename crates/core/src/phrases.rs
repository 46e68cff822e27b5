//! Phrase packs: the norm's phrases per language, as station-editable TOML.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::{CoreError, ElementKey, Language, PhraseLanguage, SituationKind};

const BUILTIN_ZH: &str = include_str!("../../../assets/phrases/zh-CN.toml");
const BUILTIN_EN: &str = include_str!("../../../assets/phrases/en.toml");
/// The norm's keys with nothing in them, for a station's dialect pack.
const DIALECT_TEMPLATE: &str = include_str!("../../../assets/phrases/dialect-template.toml");

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Greeting {
    /// Contains `{city}`.
    pub text: String,
    /// Appended when the call-taker has a number; contains `{n}`.
    pub operator: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ElementPhrases {
    pub key: ElementKey,
    pub label: String,
    /// What to ask to establish the item.
    pub prompt: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SituationPhrases {
    pub kind: SituationKind,
    pub label: String,
    /// What to say, verbatim from the norm where the norm gives words.
    pub phrases: Vec<String>,
    /// A short reminder of how to handle the situation.
    pub hint: String,
}

/// All phrases of one language, in checklist and situation order.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct PhrasePack {
    pub language: PhraseLanguage,
    /// What the call-taker sees the language called (普通话, English, or the
    /// station's dialect pack's `name`, e.g. 常州话).
    pub name: String,
    pub greeting: Greeting,
    pub elements: Vec<ElementPhrases>,
    pub situations: Vec<SituationPhrases>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPack {
    language: Spanned<String>,
    /// Required in a dialect pack; the others are named by their language.
    #[serde(default)]
    name: Option<Spanned<String>>,
    greeting: RawGreeting,
    elements: Spanned<BTreeMap<Spanned<String>, RawElement>>,
    situations: Spanned<BTreeMap<Spanned<String>, RawSituation>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGreeting {
    text: Spanned<String>,
    #[serde(default)]
    operator: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawElement {
    label: Spanned<String>,
    prompt: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSituation {
    label: Spanned<String>,
    phrases: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    hint: Option<Spanned<String>>,
}

/// Turns byte offsets into "file:line" errors.
pub(crate) struct Source<'a> {
    pub file: &'a str,
    pub text: &'a str,
}

impl Source<'_> {
    pub fn line(&self, offset: usize) -> usize {
        self.text[..offset.min(self.text.len())]
            .matches('\n')
            .count()
            + 1
    }

    pub fn err(&self, offset: usize, key: &str, reason: impl Into<String>) -> CoreError {
        CoreError::BadFile {
            file: self.file.into(),
            line: self.line(offset),
            key: key.into(),
            reason: reason.into(),
        }
    }

    pub fn parse_err(&self, e: toml::de::Error) -> CoreError {
        let offset = e.span().map_or(0, |s| s.start);
        self.err(offset, "-", e.message().trim().to_string())
    }

    /// A non-empty string of at most `max` characters.
    pub fn text(&self, v: &Spanned<String>, key: &str, max: usize) -> Result<String, CoreError> {
        let s = v.get_ref().trim();
        if s.is_empty() {
            return Err(self.err(v.span().start, key, "must not be empty"));
        }
        if s.chars().count() > max || s.chars().any(char::is_control) {
            return Err(self.err(
                v.span().start,
                key,
                format!("at most {max} characters, no control characters"),
            ));
        }
        Ok(s.to_string())
    }
}

impl PhrasePack {
    /// The built-in file's text (Settings shows it for a station to edit).
    pub fn builtin_text(language: Language) -> &'static str {
        match language {
            Language::ZhCn => BUILTIN_ZH,
            Language::En => BUILTIN_EN,
        }
    }

    /// The dialect pack's template: every key, no text (a station writes
    /// its dialect in; it is refused until it has).
    pub fn dialect_template() -> &'static str {
        DIALECT_TEMPLATE
    }

    /// The pack compiled into the app.
    pub fn builtin(language: Language) -> PhrasePack {
        let (file, text) = match language {
            Language::ZhCn => ("assets/phrases/zh-CN.toml", BUILTIN_ZH),
            Language::En => ("assets/phrases/en.toml", BUILTIN_EN),
        };
        // A test parses both built-in packs, so this cannot fail in a build
        // that passed its tests.
        PhrasePack::parse(file, text, language.into()).expect("built-in phrase pack is valid")
    }

    /// Parses and validates a pack: every item and situation present, no
    /// unknown keys, no empty phrase, the greeting has `{city}`.
    ///
    /// # Errors
    /// [`CoreError::BadFile`] with the file, line and key.
    pub fn parse(
        file: &str,
        text: &str,
        language: PhraseLanguage,
    ) -> Result<PhrasePack, CoreError> {
        let src = Source { file, text };
        let raw: RawPack = toml::from_str(text).map_err(|e| src.parse_err(e))?;
        if raw.language.get_ref() != language.as_str() {
            return Err(src.err(
                raw.language.span().start,
                "language",
                format!("expected \"{}\"", language.as_str()),
            ));
        }

        let name = match (&raw.name, language) {
            (Some(n), _) => src.text(n, "name", 16)?,
            (None, PhraseLanguage::Dialect) => {
                return Err(src.err(
                    0,
                    "name",
                    "a dialect pack names its dialect (name = \"常州话\")",
                ))
            }
            (None, PhraseLanguage::Mandarin) => "普通话".to_string(),
            (None, PhraseLanguage::English) => "English".to_string(),
        };
        let g_text = src.text(&raw.greeting.text, "greeting.text", 60)?;
        if !g_text.contains("{city}") {
            return Err(src.err(
                raw.greeting.text.span().start,
                "greeting.text",
                "must contain {city}",
            ));
        }
        let operator = match &raw.greeting.operator {
            Some(op) => {
                let s = src.text(op, "greeting.operator", 40)?;
                if !s.contains("{n}") {
                    return Err(src.err(op.span().start, "greeting.operator", "must contain {n}"));
                }
                s
            }
            None => String::new(),
        };

        let el_map = raw.elements.get_ref();
        for k in el_map.keys() {
            if ElementKey::parse(k.get_ref()).is_none() {
                return Err(src.err(
                    k.span().start,
                    &format!("elements.{}", k.get_ref()),
                    "unknown checklist item",
                ));
            }
        }
        let mut elements = Vec::new();
        for key in ElementKey::ALL {
            let name = format!("elements.{key}");
            let (_, e) = el_map
                .iter()
                .find(|(k, _)| k.get_ref() == key.as_str())
                .ok_or_else(|| src.err(raw.elements.span().start, &name, "missing"))?;
            elements.push(ElementPhrases {
                key: *key,
                label: src.text(&e.label, &format!("{name}.label"), 16)?,
                prompt: src.text(&e.prompt, &format!("{name}.prompt"), 200)?,
            });
        }

        let sit_map = raw.situations.get_ref();
        for k in sit_map.keys() {
            if SituationKind::parse(k.get_ref()).is_none() {
                return Err(src.err(
                    k.span().start,
                    &format!("situations.{}", k.get_ref()),
                    "unknown situation",
                ));
            }
        }
        let mut situations = Vec::new();
        for kind in SituationKind::ALL {
            let name = format!("situations.{kind}");
            let (_, s) = sit_map
                .iter()
                .find(|(k, _)| k.get_ref() == kind.as_str())
                .ok_or_else(|| src.err(raw.situations.span().start, &name, "missing"))?;
            if s.phrases.get_ref().is_empty() {
                return Err(src.err(
                    s.phrases.span().start,
                    &format!("{name}.phrases"),
                    "needs at least one phrase",
                ));
            }
            let phrases = s
                .phrases
                .get_ref()
                .iter()
                .map(|p| src.text(p, &format!("{name}.phrases"), 200))
                .collect::<Result<Vec<_>, _>>()?;
            let hint = match &s.hint {
                Some(h) => src.text(h, &format!("{name}.hint"), 200)?,
                None => String::new(),
            };
            situations.push(SituationPhrases {
                kind: *kind,
                label: src.text(&s.label, &format!("{name}.label"), 16)?,
                phrases,
                hint,
            });
        }

        Ok(PhrasePack {
            language,
            name,
            greeting: Greeting {
                text: g_text,
                operator,
            },
            elements,
            situations,
        })
    }

    /// The greeting for a city and an optional operator number.
    pub fn greeting_for(&self, city: &str, operator_number: &str) -> String {
        let mut g = self.greeting.text.replace("{city}", city);
        if !operator_number.is_empty() && !self.greeting.operator.is_empty() {
            g.push_str(&self.greeting.operator.replace("{n}", operator_number));
        }
        g
    }

    /// Everything the pack has the call-taker say: the greeting and its
    /// operator part (placeholders left in), each element's prompt and each
    /// situation's phrases. Not labels or hints: those are the screen's
    /// words, never spoken. The speech crate learns from these lines that
    /// the call-taker's words are no caller's situation.
    pub fn spoken_lines(&self) -> Vec<&str> {
        let greeting = [self.greeting.text.as_str(), self.greeting.operator.as_str()];
        let prompts = self.elements.iter().map(|e| e.prompt.as_str());
        let phrases = self.situations.iter().flat_map(|s| s.phrases.iter());
        greeting
            .into_iter()
            .chain(prompts)
            .chain(phrases.map(String::as_str))
            .filter(|l| !l.is_empty())
            .collect()
    }

    pub fn situation(&self, kind: SituationKind) -> &SituationPhrases {
        // Validation guarantees one entry per kind, in order.
        &self.situations[kind as usize]
    }

    pub fn element(&self, key: ElementKey) -> &ElementPhrases {
        &self.elements[key as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_packs_parse() {
        let zh = PhrasePack::builtin(Language::ZhCn);
        let en = PhrasePack::builtin(Language::En);
        assert_eq!(zh.elements.len(), 8);
        assert_eq!(en.situations.len(), 7);
        assert_eq!(zh.greeting_for("常州", ""), "你好，常州110");
        assert_eq!(zh.greeting_for("常州", "27"), "你好，常州110，27号接警员");
        let spoken = zh.spoken_lines();
        assert!(spoken.contains(&"你好，{city}110"), "{spoken:?}");
        assert!(spoken.contains(&"请问什么时间发生的"), "{spoken:?}");
        assert!(!spoken.contains(&"何时"), "a label is not spoken");
        let phrases: usize = zh.situations.iter().map(|s| s.phrases.len()).sum();
        assert_eq!(spoken.len(), 2 + 8 + phrases);
    }

    /// The norm's words must be in the Chinese pack verbatim.
    #[test]
    fn zh_pack_has_the_norm_verbatim() {
        let zh = PhrasePack::builtin(Language::ZhCn);
        let el = |k| zh.element(k).prompt.clone();
        assert_eq!(el(ElementKey::When), "请问什么时间发生的");
        assert_eq!(el(ElementKey::Where), "请说出具体的位置");
        assert_eq!(el(ElementKey::What), "请说清楚发生了什么事情");
        assert_eq!(
            el(ElementKey::Contact),
            "你现在的具体位置在哪里，如何再次联系你"
        );
        assert_eq!(el(ElementKey::Object), "请描述清楚有什么特征");
        let has = |k, p: &str| assert!(zh.situation(k).phrases.iter().any(|x| x == p), "{k}: {p}");
        has(SituationKind::Panicked, "请别紧张，慢慢讲清楚");
        has(
            SituationKind::RepeatUrging,
            "我们已经通知民警来了，我们再催一下",
        );
        has(SituationKind::EmergencyHelp, "请不要着急，我们马上派民警来");
        has(SituationKind::EmergencyHelp, "我们马上通知有关部门来处理");
        has(SituationKind::Rude, "请注意语言文明");
        has(
            SituationKind::Harassment,
            "这里工作繁忙，请不要妨碍我们工作",
        );
        for p in [
            "请别激动，把事情说清楚",
            "请留下你的姓名、住址、工作单位及联系电话",
            "谢谢你对公安工作的监督",
            "我们一定会在三个工作日内给你一个答复",
        ] {
            has(SituationKind::Complaint, p);
        }
    }

    fn replace(from: &str, to: &str) -> String {
        let out = BUILTIN_ZH.replacen(from, to, 1);
        assert_ne!(out, BUILTIN_ZH, "fixture edit did not apply: {from}");
        out
    }

    fn err_of(text: &str) -> (usize, String, String) {
        match PhrasePack::parse("station.toml", text, Language::ZhCn.into()).unwrap_err() {
            CoreError::BadFile {
                file,
                line,
                key,
                reason,
            } => {
                assert_eq!(file, "station.toml");
                (line, key, reason)
            }
            other => panic!("{other:?}"),
        }
    }

    fn line_containing(text: &str, needle: &str) -> usize {
        text.lines().position(|l| l.contains(needle)).unwrap() + 1
    }

    #[test]
    fn empty_prompt_names_line_and_key() {
        let t = replace("prompt = \"请问什么时间发生的\"", "prompt = \"  \"");
        let (line, key, reason) = err_of(&t);
        assert_eq!(key, "elements.when.prompt");
        assert_eq!(line, line_containing(&t, "prompt = \"  \""));
        assert!(reason.contains("empty"));
    }

    #[test]
    fn unknown_and_missing_keys_are_named() {
        let t = replace("[elements.why]", "[elements.whyy]");
        assert_eq!(err_of(&t).1, "elements.whyy");
        let t = replace("[situations.rude]", "[situations.rud]");
        assert_eq!(err_of(&t).1, "situations.rud");
        let t = replace("label = \"情绪紧张\"", "labl = \"情绪紧张\"");
        let (line, _, reason) = err_of(&t);
        assert!(reason.contains("labl"), "{reason}");
        assert_eq!(line, line_containing(&t, "labl"));
    }

    #[test]
    fn greeting_and_language_rules() {
        assert_eq!(err_of(&replace("{city}110", "常州110")).1, "greeting.text");
        assert_eq!(
            err_of(&replace("language = \"zh-CN\"", "language = \"en\"")).1,
            "language"
        );
        assert_eq!(
            err_of(&replace("phrases = [\"请注意语言文明\"]", "phrases = []")).1,
            "situations.rude.phrases"
        );
    }

    #[test]
    fn syntax_errors_have_a_line() {
        let t = format!("{BUILTIN_ZH}\n[broken\n");
        let (line, _, _) = err_of(&t);
        assert_eq!(line, t.lines().count());
    }

    #[test]
    fn a_dialect_pack_is_the_template_filled_in_and_names_its_dialect() {
        let t = PhrasePack::dialect_template();
        let e = PhrasePack::parse("phrases/dialect.toml", t, PhraseLanguage::Dialect).unwrap_err();
        assert!(
            e.to_string().contains("phrases/dialect.toml:") && e.to_string().contains("name"),
            "{e}"
        );
        // Filled in (here with placeholders, not dialect): a pack of its own.
        let filled = t
            .replace("name = \"\"", "name = \"常州话\"")
            .replace("text = \"\"", "text = \"侬好，{city}110\"")
            .replace("operator = \"\"", "operator = \"，{n}号\"")
            .replace("\"\"", "\"某\"");
        let pack =
            PhrasePack::parse("phrases/dialect.toml", &filled, PhraseLanguage::Dialect).unwrap();
        assert_eq!(
            (pack.language, pack.name.as_str()),
            (PhraseLanguage::Dialect, "常州话")
        );
        assert_eq!(pack.situations.len(), SituationKind::ALL.len());
        let complaint = pack
            .situations
            .iter()
            .find(|s| s.kind == SituationKind::Complaint)
            .unwrap();
        assert_eq!(
            complaint.phrases.len(),
            4,
            "a slot for each of the norm's phrases"
        );
        // Without its name, or filed as another language, it is refused.
        let nameless = filled.replace("name = \"常州话\"\n", "");
        assert!(PhrasePack::parse("d.toml", &nameless, PhraseLanguage::Dialect).is_err());
        assert!(PhrasePack::parse("d.toml", &filled, PhraseLanguage::Mandarin).is_err());
        assert_eq!(PhrasePack::builtin(Language::En).name, "English");
    }
}
