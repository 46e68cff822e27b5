-- Who spoke each utterance (issue #15), when the desk hears the caller's
-- line as an input of its own: 'taker' or 'caller'; NULL with one
-- microphone, and for what was kept before.
ALTER TABLE call_speech ADD COLUMN speaker TEXT CHECK (speaker IN ('taker', 'caller'));
