-- The phrases a call was answered in (issue #17, Alt+L): 'zh-CN' (Mandarin,
-- every call before this), 'en', or 'dialect' (the station's dialect pack).
ALTER TABLE calls ADD COLUMN phrase_language TEXT NOT NULL DEFAULT 'zh-CN';
