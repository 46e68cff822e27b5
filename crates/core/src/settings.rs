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
        }
    }
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
        if !(1..=24 * 60).contains(&self.repeat_window_minutes) {
            return Err(CoreError::InvalidValue {
                field: "repeatWindowMinutes".into(),
                reason: "between 1 and 1440 minutes".into(),
            });
        }
        if !(1..=30).contains(&self.followup_working_days) {
            return Err(CoreError::InvalidValue {
                field: "followupWorkingDays".into(),
                reason: "between 1 and 30 working days".into(),
            });
        }
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
        Ok(Settings {
            listen: self.listen,
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
        let s = Settings {
            followup_end_of_day: "18:00".into(),
            ..Settings::default()
        };
        assert_eq!(s.validated().unwrap().followup_end_of_day, "18:00:00");
    }
}
