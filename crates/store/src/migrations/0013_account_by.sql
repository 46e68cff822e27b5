-- Who made an account change (issue #12): the station takes a change from
-- a seat's login only with the PIN proof of an active lead of the station
-- (the first seat's own accounts excepted), so holding a seat's password
-- is not enough to make oneself a lead. '' for the command line's
-- administrator, whose changes the station refuses from a seat's login
-- (and records, so nothing is dropped unseen).
ALTER TABLE account_changes ADD COLUMN by_lead TEXT NOT NULL DEFAULT '';
