//! `jiejing settings`: the desk's Settings screen for scripts and station
//! admins. A value is set through the same validation as the screen, and
//! the change is audited.

use anyhow::Result;
use clap::Subcommand;
use jiejing_core::Settings;
use jiejing_desk::Desk;

use crate::Usage;

#[derive(Subcommand)]
pub enum SettingsCmd {
    /// Every setting and its value, as JSON
    Show,
    /// Sets one setting by its name in `settings show` (a JSON value, or
    /// text): `settings set idleLockMinutes 10`, `settings set city 常州`
    Set { name: String, value: String },
}

pub fn run(desk: &mut Desk, cmd: SettingsCmd) -> Result<()> {
    match cmd {
        SettingsCmd::Show => out!("{}", serde_json::to_string_pretty(desk.settings())?),
        SettingsCmd::Set { name, value } => {
            let serde_json::Value::Object(mut all) = serde_json::to_value(desk.settings())? else {
                unreachable!("settings are a JSON object")
            };
            if !all.contains_key(&name) {
                let names: Vec<&str> = all.keys().map(String::as_str).collect();
                return Err(Usage(format!(
                    "no setting {name:?}; the settings are {}",
                    names.join(", ")
                ))
                .into());
            }
            // Text that is not JSON is meant as text: `city 常州`.
            let v = serde_json::from_str(&value).unwrap_or(serde_json::Value::String(value));
            all.insert(name.clone(), v);
            let s: Settings = serde_json::from_value(serde_json::Value::Object(all))
                .map_err(|e| Usage(format!("{name}: {e}")))?;
            let saved = desk.save_settings(&s).map_err(|e| match e {
                // The rule's own words name the setting.
                jiejing_desk::DeskError::Core(e) => anyhow::Error::new(Usage(e.to_string())),
                e => e.into(),
            })?;
            out!("{name} = {}", serde_json::to_value(&saved)?[&name]);
        }
    }
    Ok(())
}
