"""`labeling-analytics extract`: the platform's activity log, pulled incrementally into the raw folder."""
