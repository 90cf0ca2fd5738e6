DROP TABLE sign_in_events;
