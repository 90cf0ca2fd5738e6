-- A reopening of registration lasts until an end date (the last day a secretary may
-- register), after which the unit is closed again.
ALTER TABLE registration_reopenings ADD COLUMN until DATE;
-- Reopenings made before there was an end date were open-ended. They keep to the end of
-- the year they reopened (a registration for a year serves no follow-up once the year
-- is over) or, when made after that, 30 days from the day they were made: neither
-- closes a unit that was told it may register, and none stays open for ever.
UPDATE registration_reopenings
   SET until = greatest(make_date(year, 12, 31),
                        (reopened_at AT TIME ZONE 'UTC' + interval '7 hours')::date + 30);
ALTER TABLE registration_reopenings ALTER COLUMN until SET NOT NULL;
