use serde::{Deserialize, Serialize};

use crate::text::{self, MAX_SHORT_CHARS};
use crate::CoreError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum Language {
    #[default]
    #[serde(rename = "zh-CN")]
    ZhCn,
    #[serde(rename = "en")]
    En,
}

impl Language {
    pub fn as_str(self) -> &'static str {
        match self {
            Language::ZhCn => "zh-CN",
            Language::En => "en",
        }
    }
}

/// The station's settings. The store fills fields missing from an older
/// record with [`Settings::default`], so adding a field never breaks loading.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    /// The city said in the greeting: "你好，<city>110".
    pub city: String,
    /// The city as written in English phrases; the Chinese name if empty.
    pub city_en: String,
    /// The call-taker's number for "，<n>号接警员" (110接处警工作规则 art. 7);
    /// empty leaves it out.
    pub operator_number: String,
    pub taker_id: String,
    pub station_id: String,
    /// A call from a number that called within this many minutes is a
    /// repeat/urging call (norm clause 3).
    pub repeat_window_minutes: u32,
    pub language: Language,
    /// Working days to reply to a complaint (the norm says three).
    pub followup_working_days: u32,
    /// The end of the due day, `HH:MM:SS`.
    pub followup_end_of_day: String,
    /// IANA zone whose calendar days count (not the PC's zone).
    pub time_zone: String,
    /// Listen for the phone ringing (three-ring timing). Off: hotkeys only.
    pub listen: bool,
    /// Input device id to listen on; empty: the system's default input.
    pub audio_device: String,
    /// Minutes without a key or click before the desk locks (PIN to unlock).
    pub idle_lock_minutes: u32,
    /// The station's shifts as "HH:MM name" starts, comma-separated; each
    /// runs until the next one starts (the review screen filters by shift).
    pub shifts: String,
    /// Transcribe speech during calls to suggest checklist values.
    pub speech: bool,
    /// The ggml Whisper model file; empty: `models/ggml-base-q8_0.bin` in
    /// the data folder, else in the folder the app was started from.
    pub speech_model: String,
    /// The caller's line as an input of its own: "" none (the microphone
    /// hears both sides), "right" (the right channel of the input device,
    /// whose left is the microphone), or a second input device's id.
    pub caller_line: String,
    /// Keep every call's audio, from the first ring to the close.
    pub record: bool,
    /// Days a recording is kept before it is deleted (audited).
    pub recording_days: u32,
    /// Wrong PINs in a row an account is allowed before its sign-in waits.
    pub sign_in_attempts: u32,
    /// The first wait, in seconds; it doubles with each further wrong PIN
    /// (at most an hour).
    pub sign_in_wait_seconds: u32,
    /// The shortest PIN a new or changed account may have (PINs already
    /// set keep working until changed).
    pub pin_min_length: u32,
    /// Days a closed call keeps its caller's personal data (number, the
    /// items' words, notes, complainant, transcript) before it is
    /// de-identified, its figures kept (audited). 0: kept until the
    /// station sets a period.
    pub personal_data_days: u32,
}

/// One shift of the day, from its start to the next shift's start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Shift {
    pub name: String,
    /// Minutes after local midnight.
    pub start_min: u32,
    /// Minutes after local midnight; less than `start_min` when it runs
    /// past midnight.
    pub end_min: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            city: "常州".into(),
            city_en: "Changzhou".into(),
            operator_number: String::new(),
            taker_id: "0001".into(),
            station_id: "110".into(),
            repeat_window_minutes: 120,
            language: Language::ZhCn,
            followup_working_days: 3,
            followup_end_of_day: "23:59:59".into(),
            time_zone: "Asia/Shanghai".into(),
            listen: true,
            audio_device: String::new(),
            idle_lock_minutes: 15,
            shifts: "00:00 夜班, 08:00 白班, 16:00 中班".into(),
            speech: true,
            speech_model: String::new(),
            caller_line: String::new(),
            record: true,
            // Half a year unless the station's own rule says otherwise.
            recording_days: 180,
            sign_in_attempts: 5,
            sign_in_wait_seconds: 30,
            pin_min_length: 6,
            // The station decides: nothing is de-identified until it does.
            personal_data_days: 0,
        }
    }
}

/// `value` within `1..=max`, else the field named with its range in
/// `unit`s.
fn from_one_to(field: &str, value: u32, max: u32, unit: &str) -> Result<(), CoreError> {
    between(field, value, 1, max, unit)
}

/// `value` within `min..=max`, else the field named with its range.
fn between(field: &str, value: u32, min: u32, max: u32, unit: &str) -> Result<(), CoreError> {
    if (min..=max).contains(&value) {
        return Ok(());
    }
    Err(CoreError::InvalidValue {
        field: field.into(),
        reason: format!("between {min} and {max} {unit}"),
    })
}

impl Settings {
    /// Cleans every field and checks it.
    ///
    /// # Errors
    /// The first field that is wrong, by name.
    pub fn validated(&self) -> Result<Settings, CoreError> {
        let short = |f: &str, v: &str| text::clean(f, v, MAX_SHORT_CHARS, false);
        let city = text::clean("city", &self.city, 20, false)?;
        if city.is_empty() {
            return Err(CoreError::Required {
                field: "city".into(),
            });
        }
        let operator_number = text::clean("operatorNumber", &self.operator_number, 8, false)?;
        if !operator_number.chars().all(|c| c.is_ascii_digit()) {
            return Err(CoreError::InvalidValue {
                field: "operatorNumber".into(),
                reason: "digits only".into(),
            });
        }
        let taker_id = short("takerId", &self.taker_id)?;
        if taker_id.is_empty() {
            return Err(CoreError::Required {
                field: "takerId".into(),
            });
        }
        let station_id = short("stationId", &self.station_id)?;
        if station_id.is_empty() {
            return Err(CoreError::Required {
                field: "stationId".into(),
            });
        }
        from_one_to(
            "repeatWindowMinutes",
            self.repeat_window_minutes,
            24 * 60,
            "minutes",
        )?;
        from_one_to(
            "followupWorkingDays",
            self.followup_working_days,
            30,
            "working days",
        )?;
        let eod = self.followup_end_of_day.trim();
        let eod = chrono::NaiveTime::parse_from_str(eod, "%H:%M:%S")
            .or_else(|_| chrono::NaiveTime::parse_from_str(eod, "%H:%M"))
            .map_err(|_| CoreError::InvalidValue {
                field: "followupEndOfDay".into(),
                reason: "a time HH:MM:SS".into(),
            })?;
        let time_zone = text::clean("timeZone", &self.time_zone, MAX_SHORT_CHARS, false)?;
        if time_zone.is_empty() {
            return Err(CoreError::Required {
                field: "timeZone".into(),
            });
        }
        from_one_to("idleLockMinutes", self.idle_lock_minutes, 480, "minutes")?;
        from_one_to("recordingDays", self.recording_days, 3650, "days")?;
        from_one_to("signInAttempts", self.sign_in_attempts, 20, "wrong PINs")?;
        from_one_to(
            "signInWaitSeconds",
            self.sign_in_wait_seconds,
            3600,
            "seconds",
        )?;
        // Fewer than 4 is guessed within the sign-in back-off.
        between("pinMinLength", self.pin_min_length, 4, 32, "characters")?;
        // A month at least: a complaint's follow-up and a lead's review
        // need the call whole.
        if self.personal_data_days != 0 {
            between(
                "personalDataDays",
                self.personal_data_days,
                30,
                36_500,
                "days (or 0: kept)",
            )?;
        }
        let shifts = parse_shifts(&self.shifts)?;
        Ok(Settings {
            pin_min_length: self.pin_min_length,
            personal_data_days: self.personal_data_days,
            sign_in_attempts: self.sign_in_attempts,
            sign_in_wait_seconds: self.sign_in_wait_seconds,
            record: self.record,
            recording_days: self.recording_days,
            caller_line: text::clean("callerLine", &self.caller_line, 200, false)?,
            idle_lock_minutes: self.idle_lock_minutes,
            shifts: shifts
                .iter()
                .map(|s| format!("{:02}:{:02} {}", s.start_min / 60, s.start_min % 60, s.name))
                .collect::<Vec<_>>()
                .join(", "),
            listen: self.listen,
            speech: self.speech,
            speech_model: text::clean("speechModel", &self.speech_model, 500, false)?,
            audio_device: text::clean("audioDevice", &self.audio_device, 200, false)?,
            followup_working_days: self.followup_working_days,
            followup_end_of_day: eod.format("%H:%M:%S").to_string(),
            time_zone,
            city,
            city_en: text::clean("cityEn", &self.city_en, 40, false)?,
            operator_number,
            taker_id,
            station_id,
            repeat_window_minutes: self.repeat_window_minutes,
            language: self.language,
        })
    }
}

impl Settings {
    /// The shifts, in order of start. Valid settings always parse.
    pub fn shift_list(&self) -> Vec<Shift> {
        parse_shifts(&self.shifts).unwrap_or_default()
    }
}

/// Parses "HH:MM name, HH:MM name": distinct names and starts, at least one.
fn parse_shifts(raw: &str) -> Result<Vec<Shift>, CoreError> {
    let bad = |reason: String| CoreError::InvalidValue {
        field: "shifts".into(),
        reason,
    };
    let mut starts: Vec<(u32, String)> = Vec::new();
    for part in raw
        .split([',', '，', ';', '；'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let (time, name) = part.split_once(char::is_whitespace).unwrap_or((part, ""));
        let t = chrono::NaiveTime::parse_from_str(time, "%H:%M")
            .map_err(|_| bad(format!("{part:?}: start with a time HH:MM, then the name")))?;
        let name = text::clean("shifts", name, 20, false)?;
        if name.is_empty() {
            return Err(bad(format!("{part:?}: the shift needs a name")));
        }
        let min = chrono::Timelike::hour(&t) * 60 + chrono::Timelike::minute(&t);
        if starts.iter().any(|(m, n)| *m == min || *n == name) {
            return Err(bad(format!("{part:?}: two shifts share a start or a name")));
        }
        starts.push((min, name));
    }
    if starts.is_empty() {
        return Err(CoreError::Required {
            field: "shifts".into(),
        });
    }
    starts.sort();
    let n = starts.len();
    Ok((0..n)
        .map(|i| Shift {
            name: starts[i].1.clone(),
            start_min: starts[i].0,
            end_min: starts[(i + 1) % n].0,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        assert_eq!(
            Settings::default().validated().unwrap(),
            Settings::default()
        );
    }

    #[test]
    fn each_field_is_checked() {
        let bad = |f: fn(&mut Settings)| {
            let mut s = Settings::default();
            f(&mut s);
            s.validated().unwrap_err().field().unwrap().to_string()
        };
        assert_eq!(bad(|s| s.city = " ".into()), "city");
        assert_eq!(bad(|s| s.operator_number = "12a".into()), "operatorNumber");
        assert_eq!(bad(|s| s.taker_id = "".into()), "takerId");
        assert_eq!(bad(|s| s.repeat_window_minutes = 0), "repeatWindowMinutes");
        assert_eq!(bad(|s| s.station_id = "x".repeat(65)), "stationId");
        assert_eq!(bad(|s| s.followup_working_days = 0), "followupWorkingDays");
        assert_eq!(
            bad(|s| s.followup_end_of_day = "25:00".into()),
            "followupEndOfDay"
        );
        assert_eq!(bad(|s| s.time_zone = "".into()), "timeZone");
        assert_eq!(bad(|s| s.idle_lock_minutes = 0), "idleLockMinutes");
        assert_eq!(bad(|s| s.shifts = "8点 白班".into()), "shifts");
        assert_eq!(
            bad(|s| s.shifts = "08:00 白班, 08:00 中班".into()),
            "shifts"
        );
        assert_eq!(bad(|s| s.shifts = " , ".into()), "shifts");
        let s = Settings {
            followup_end_of_day: "18:00".into(),
            ..Settings::default()
        };
        assert_eq!(s.validated().unwrap().followup_end_of_day, "18:00:00");
    }

    #[test]
    fn shifts_run_to_the_next_start() {
        let s = Settings {
            shifts: "16:00 中班，8:00 白班; 00:00 夜班".into(),
            ..Settings::default()
        };
        let v = s.validated().unwrap();
        assert_eq!(v.shifts, "00:00 夜班, 08:00 白班, 16:00 中班");
        let l = v.shift_list();
        assert_eq!((l[0].start_min, l[0].end_min), (0, 480));
        assert_eq!(
            (l[2].name.as_str(), l[2].start_min, l[2].end_min),
            ("中班", 960, 0)
        );
    }
}
