-- Personal-data retention (issue #16): a seat that de-identifies a call
-- removes its transcript here too, and only its own seat's.
GRANT DELETE ON speech TO jiejing_desk;
CREATE POLICY speech_delete ON speech FOR DELETE USING (seat = jiejing_seat());
